"""collect(): every input ends indexed, duplicate or rejected, and the log says where and why."""

from __future__ import annotations

from pathlib import Path

import orjson

from archive.collect import collect
from archive.ingest import MAX_TEXT_CHARS
from archive.records import read_records


def _row(id_: str, text: str) -> bytes:
    return orjson.dumps({"id": id_, "title": f"Title {id_}", "text": text}) + b"\n"


def test_accounting_and_log_rows(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(
        _row("a", "“We will reopen the school,” said Principal Dana Holt.")
        + _row("a", "A different text under the same id.")
        + _row("huge", "word " * (MAX_TEXT_CHARS // 5 + 10))
        + b"{not json\n"
    )
    errors = tmp_path / "errors.jsonl"
    report = collect([feed], tmp_path / "records", errors_path=errors)
    assert (report.inputs, report.articles, report.duplicates, report.rejected) == (4, 1, 1, 2)
    assert report.balanced
    rows = [orjson.loads(line) for line in errors.read_bytes().splitlines()]
    by_status = {(r["status"], r["line"]) for r in rows}
    assert ("duplicate", 2) in by_status and ("rejected", 3) in by_status
    assert all(r["file"] == str(feed) or r["file"].endswith("feed.jsonl") for r in rows)
    too_long = next(r for r in rows if r["line"] == 3)
    assert "too long" in too_long["reason"]
    [only] = list(read_records(tmp_path / "records"))
    assert only.article.id == "a" and only.quotes
