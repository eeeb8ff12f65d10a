"""An unchanged rebuild reuses cleaning, dedupe signatures and topics from the cache's memo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest

from archive import clean, dedupe, ingest, row_memo, topics
from archive.cache import ExtractionCache
from archive.collect import collect
from archive.models import to_json
from archive.records import read_records

ROOT = Path(__file__).resolve().parents[1]
BODY = (
    "The council voted on Tuesday to reopen the Elm Street library after a long repair of its "
    "roof, which had leaked through two winters and closed the reading room to the public. "
    "“We will reopen the school and the library,” said Principal Dana Holt, who has led the "
    "campaign since the spring and spoke at every meeting of the council this year.\n\n"
    "Support us by donating today."
)


def _unique(i: int) -> str:
    """A sentence of its own, so that articles are not near-duplicates of each other."""
    return "Notes " + " ".join(f"item{i}n{j}" for j in range(80)) + "."


def _feed(path: Path, count: int) -> Path:
    rows = [
        {"id": f"a{i}", "title": f"Library {i}", "text": f"{_unique(i)} {BODY}"}
        for i in range(count)
    ]
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def _snapshot(folder: Path) -> list[bytes]:
    return sorted(to_json(e) for e in read_records(folder))


def test_second_build_recomputes_nothing_and_gives_the_same_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = _feed(tmp_path / "feed.jsonl", 4)
    with ExtractionCache(tmp_path / "cache.sqlite") as cache:
        first = collect([feed], tmp_path / "one", cache=cache)
    calls: list[str] = []
    for module, name in (
        (ingest, "_read_row"),
        (clean, "_clean_paragraphs"),
        (dedupe.DuplicateFilter, "_signature"),
        (topics, "topics_for"),
    ):
        real = getattr(module, name)

        def spy(*args: object, _real: object = real, _name: str = name) -> object:
            calls.append(_name)
            return _real(*args)  # type: ignore[operator]

        monkeypatch.setattr(module, name, spy)
    with ExtractionCache(tmp_path / "cache.sqlite") as cache:
        second = collect([feed], tmp_path / "two", cache=cache)
    assert calls == []
    assert (first.articles, first.quotes) == (second.articles, second.quotes) == (4, 4)
    assert _snapshot(tmp_path / "one") == _snapshot(tmp_path / "two")
    assert all("donating" not in e.article.text for e in read_records(tmp_path / "two"))


def _rows_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    read: list[int] = []
    real = ingest._read_row

    def spy(row: Any) -> object:
        read.append(row.number)
        return real(row)

    monkeypatch.setattr(ingest, "_read_row", spy)
    return read


def _memo_keys_after_build(feed: Path, tmp_path: Path, records: str) -> list[bytes]:
    """Collect `feed` into the records folder `records`, with the shared cache; its memo keys."""
    with ExtractionCache(tmp_path / "cache.sqlite") as cache:
        collect([feed], tmp_path / records, cache=cache)
        return [bytes(k) for (k,) in cache._db.execute("SELECT key FROM memo")]


def test_only_changed_rows_are_read_again_and_text_is_kept_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = _feed(tmp_path / "feed.jsonl", 4)
    _memo_keys_after_build(feed, tmp_path, "one")
    lines = feed.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b"Library 2", b"Library two")
    feed.write_bytes(b"".join(lines))
    read = _rows_read(monkeypatch)
    kinds = [k.split(b":")[0] for k in _memo_keys_after_build(feed, tmp_path, "two")]
    assert read == [3]
    titles = sorted(e.article.title for e in read_records(tmp_path / "two"))
    assert titles == ["Library 0", "Library 1", "Library 3", "Library two"]
    assert b"row-memo" in kinds and b"clean" not in kinds  # the cleaned text is stored once


def test_rows_are_read_again_and_old_entries_dropped_when_the_code_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = _feed(tmp_path / "feed.jsonl", 2)
    _memo_keys_after_build(feed, tmp_path, "one")
    read = _rows_read(monkeypatch)
    monkeypatch.setattr(row_memo, "key_prefix", lambda: row_memo.FAMILY + b"another version:")
    rows = _memo_keys_after_build(feed, tmp_path, "two")
    assert read == [1, 2]
    kept = [k for k in rows if k.startswith(row_memo.FAMILY)]
    assert len(kept) == 2 and all(k.startswith(b"row-memo:another version:") for k in kept)
    assert _snapshot(tmp_path / "one") == _snapshot(tmp_path / "two")


def test_changed_cleaning_rules_are_not_served_from_the_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = _feed(tmp_path / "feed.jsonl", 1)
    with ExtractionCache(tmp_path / "cache.sqlite") as cache:
        collect([feed], tmp_path / "one", cache=cache)
    cleaned: list[int] = []
    real = clean._clean_paragraphs
    monkeypatch.setattr(clean, "_clean_paragraphs", lambda p: cleaned.append(1) or real(p))
    monkeypatch.setattr(clean, "CLEAN_VERSION", "changed")
    clean.rules_digest.cache_clear()
    try:
        with ExtractionCache(tmp_path / "cache.sqlite") as cache:
            collect([feed], tmp_path / "two", cache=cache)
    finally:
        clean.rules_digest.cache_clear()
    assert cleaned == [1]


def test_signatures_from_the_memo_equal_fresh_ones(tmp_path: Path) -> None:
    texts = [f"{BODY} {i}" for i in range(3)]
    fresh = dedupe.DuplicateFilter()
    with ExtractionCache(tmp_path / "cache.sqlite") as cache:
        first = dedupe.DuplicateFilter(memo=cache)
        for text in texts:
            first._remembered_signature(dedupe.text_key(text), text)
        cache.flush()
        second = dedupe.DuplicateFilter(memo=cache)
        for text in texts:
            got = second._remembered_signature(dedupe.text_key(text), text)
            want = fresh._signature(text)
            assert got is not None and want is not None
            assert np.array_equal(got.hashvalues, want.hashvalues)
            assert got.hashvalues.dtype == want.hashvalues.dtype  # LSH bands hash the bytes


def test_shingle_hashes_of_short_and_repeated_text() -> None:
    assert len(dedupe.shingle_hashes([], 5)) == 0
    assert len(dedupe.shingle_hashes(["a", "b"], 5)) == 0
    assert len(dedupe.shingle_hashes(["a", "b", "c", "d", "e", "a", "b", "c", "d", "e"], 5)) == 5
    one = dedupe.shingle_hashes(["x", "y", "z", "w", "v", "u"], 5)
    assert list(one) == sorted(set(one.tolist())) and one.max() < 2**32


def test_pipeline_tag_reads_meta_json_without_importing_spacy() -> None:
    code = (
        "import sys; from archive.nlp import pipeline_tag; print(pipeline_tag()); "
        "assert 'spacy' not in sys.modules, 'spaCy was imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("en_")
