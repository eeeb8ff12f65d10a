"""Every bad input ends indexed, duplicate or rejected with a reason; odd indexes fail in one line.

One `whosaid build` over a folder holding every bad-input kind (bench/reliability.py
writes it and says what each input may become), then the counts it prints, the
errors.jsonl it writes and the index it leaves are checked against each other.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from archive import EXTRACTOR_VERSION
from archive.ingest import iter_inputs
from archive.models import Rejection
from bench.reliability import (
    DUPLICATE,
    INDEXED,
    REJECTED,
    Expected,
    account,
    indexed_sources,
    read_errors,
    write_bad_inputs,
    write_long_line,
)
from index import SCHEMA_VERSION, store
from index.search import open_index
from index.types import SearchIndex, SearchRequest

WHOSAID = Path(sys.executable).with_name("whosaid")
REPO = Path(__file__).resolve().parents[1]
SPACY_MAX_LENGTH = 1_000_000  # spaCy's own default: ~1 GB of parser memory per 100k chars
_SUMMARY = re.compile(
    r"indexed (\d+) articles, \d+ quotes, \d+ speakers from (\d+) inputs "
    r"\((\d+) duplicates, (\d+) rejected\)"
)


def whosaid(*args: str | Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(WHOSAID), *map(str, args)], capture_output=True, text=True, timeout=300
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@dataclass(frozen=True)
class BadBuild:
    folder: Path
    index_path: Path
    expected: list[Expected]
    counts: dict[str, int]
    stderr: str


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory: pytest.TempPathFactory) -> BadBuild:
    root = tmp_path_factory.mktemp("bad-inputs")
    expected = write_bad_inputs(root / "inputs")
    index_path = root / "index"
    proc = whosaid("build", root / "inputs", "--index", index_path, "--processes", "1")
    assert proc.returncode == 0, proc.stderr
    found = _SUMMARY.search(proc.stdout)
    assert found, proc.stdout
    articles, inputs, duplicates, rejected = map(int, found.groups())
    counts = {"articles": articles, "inputs": inputs, "duplicates": duplicates}
    counts["rejected"] = rejected
    return BadBuild(root / "inputs", index_path, expected, counts, proc.stderr)


@pytest.fixture(scope="module")
def index(bad_build: BadBuild) -> Iterator[SearchIndex]:
    opened = open_index(bad_build.index_path)
    yield opened
    opened.close()


def test_counts_add_up_and_cover_every_input(bad_build: BadBuild) -> None:
    c = bad_build.counts
    assert c["inputs"] == c["articles"] + c["duplicates"] + c["rejected"]
    assert c["inputs"] == len(bad_build.expected)


def test_every_input_ends_as_expected_and_none_is_lost(
    bad_build: BadBuild, index: SearchIndex
) -> None:
    tally = account(bad_build.expected, bad_build.index_path / "errors.jsonl", index)
    assert tally.problems == []
    assert tally.lost == 0
    every = {o for counter in tally.outcomes.values() for o in counter}
    assert every == {INDEXED, DUPLICATE, REJECTED}


def test_errors_jsonl_has_one_line_per_rejected_or_duplicate_input(bad_build: BadBuild) -> None:
    rows = read_errors(bad_build.index_path / "errors.jsonl")
    c = bad_build.counts
    assert len(rows) == c["rejected"] + c["duplicates"]
    assert sum(r["status"] == "duplicate" for r in rows) == c["duplicates"]
    for row in rows:
        assert set(row) >= {"file", "line", "reason", "status"}
        assert row["file"] and row["reason"].strip() and "\n" not in row["reason"]
        assert "Traceback" not in row["reason"] and "internal error" not in row["reason"]
    jsonl = {r["line"] for r in rows if r["file"].endswith("rows.jsonl")}
    wanted = {e.line for e in bad_build.expected if e.line and REJECTED in e.outcomes}
    assert wanted - {e.line for e in bad_build.expected if INDEXED in e.outcomes} <= jsonl


def test_duplicate_jsonl_row_is_logged_with_its_file_and_line(bad_build: BadBuild) -> None:
    rows = read_errors(bad_build.index_path / "errors.jsonl")
    duplicate_row = next(e for e in bad_build.expected if e.category == "duplicate id")
    dup = [r for r in rows if r["status"] == "duplicate" and "rows.jsonl" in r["file"]]
    assert [(r["file"], r["line"]) for r in dup] == [(duplicate_row.source, duplicate_row.line)]


def test_build_names_each_skipped_input_on_stderr(bad_build: BadBuild) -> None:
    skipped = [line for line in bad_build.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == min(20, bad_build.counts["rejected"] + bad_build.counts["duplicates"])
    assert any("too large" in line and "huge.txt" in line for line in skipped)


def test_good_articles_are_searchable(bad_build: BadBuild, index: SearchIndex) -> None:
    words = [e for e in bad_build.expected if e.word]
    assert len(words) >= 10
    for item in words:
        word = item.word or ""
        result = index.search(SearchRequest(word, limit=5))
        assert result.total >= 1, item
        view = index.article(result.articles[0].id)
        assert view is not None and word in view.article.text


def _view(index: SearchIndex, name: str) -> Any:
    sources = indexed_sources(index)
    matches = [aid for source, aid in sources.items() if source.endswith("/" + name)]
    assert len(matches) == 1, (name, sorted(sources))
    return index.article(matches[0])


def test_legacy_encodings_and_line_ends_are_decoded(index: SearchIndex) -> None:
    latin = _view(index, "latin1.txt")
    assert "jalapeño" in latin.article.text and "Núñez" in latin.article.title
    assert latin.article.encoding not in (None, "utf-8", "ascii")
    cp = _view(index, "cp1252.txt")
    assert "“We cannot wait" in cp.article.text and "– said" in cp.article.text
    assert any(q.speaker == "Elena Vasquez" for q in cp.quotes)
    assert _view(index, "utf16.txt").article.encoding.lower().startswith("utf")
    assert not _view(index, "bom.txt").article.title.startswith("\ufeff")
    for name in ("crlf.txt", "cr.txt"):
        view = _view(index, name)
        assert "\r" not in view.article.text and "\r" not in view.article.title
        assert any(q.speaker == "Elena Vasquez" for q in view.quotes)


def test_quote_offsets_slice_the_stored_text(index: SearchIndex) -> None:
    for aid in indexed_sources(index).values():
        view = index.article(aid)
        assert view is not None
        for quote in view.quotes:
            assert view.article.text[quote.start : quote.end] == quote.text


def test_a_5mb_line_is_rejected_or_bounded_before_nlp(tmp_path: Path) -> None:
    """Real articles are < 200 KB; anything spaCy cannot parse in bounded memory must stop here."""
    path = write_long_line(tmp_path / "one-line.txt")
    jsonl = tmp_path / "one-line.jsonl"
    body = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
    jsonl.write_bytes(orjson.dumps({"title": "Long", "text": body}) + b"\n")
    for result in iter_inputs([path, jsonl]):
        if isinstance(result, Rejection):
            assert "too" in result.reason and "\n" not in result.reason
        else:
            assert len(result.text) <= SPACY_MAX_LENGTH


# -- indexes that cannot be read --------------------------------------------------------


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("versions") / "index"
    proc = whosaid("build", REPO / "seeds", "--index", path, "--processes", "1")
    assert proc.returncode == 0, proc.stderr
    return path


def _damaged(seed_index: Path, tmp_path: Path) -> tuple[Path, Path]:
    copy = tmp_path / "index"
    shutil.copytree(seed_index, copy, symlinks=True)
    live = store.current_generation(copy)
    assert live is not None
    return copy, live


COMMANDS = (("search", "border"), ("quotes", "--speaker", "kirby"), ("stats",), ("speakers",))


def _one_line_exit_3(index_path: Path, commands: tuple[tuple[str, ...], ...] = COMMANDS[:1]) -> str:
    proc = None
    for args in commands:
        proc = whosaid(*args, "--index", index_path)
        assert proc.returncode == 3, (args, proc.stdout, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert f"whosaid build PATH --index {index_path}" in proc.stderr, proc.stderr
    assert proc is not None
    return proc.stderr


def test_index_records_schema_and_extractor_versions(seed_index: Path) -> None:
    proc = whosaid("stats", "--index", seed_index, "--json")
    assert proc.returncode == 0, proc.stderr
    data = orjson.loads(proc.stdout)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["extractor_version"] == EXTRACTOR_VERSION


def test_other_schema_version_names_the_rebuild_command(seed_index: Path, tmp_path: Path) -> None:
    copy, live = _damaged(seed_index, tmp_path)
    meta = orjson.loads((live / store.META).read_bytes())
    meta["schema_version"] = str(int(SCHEMA_VERSION) + 1)
    (live / store.META).write_bytes(orjson.dumps(meta))
    message = _one_line_exit_3(copy, COMMANDS)
    assert "incompatible version" in message
    proc = whosaid("build", REPO / "seeds", "--index", copy, "--processes", "1")
    assert proc.returncode == 0, proc.stderr
    assert whosaid("search", "border", "--index", copy).returncode == 0


@pytest.mark.parametrize(
    "damage",
    ["garbage meta", "pointer to nothing", "garbage pointer", "empty pointer"],
)
def test_damaged_index_is_one_line_naming_the_rebuild(
    seed_index: Path, tmp_path: Path, damage: str
) -> None:
    copy, live = _damaged(seed_index, tmp_path)
    if damage == "garbage meta":
        (live / store.META).write_bytes(b"\x00{not json")
    elif damage == "pointer to nothing":
        (copy / store.POINTER).write_text("gen-99\n", encoding="utf-8")
    elif damage == "garbage pointer":
        (copy / store.POINTER).write_bytes(b"\xff\xfe../../etc\n")
    else:
        (copy / store.POINTER).write_bytes(b"")
    _one_line_exit_3(copy)


def test_generation_missing_a_file_names_the_rebuild(seed_index: Path, tmp_path: Path) -> None:
    copy, live = _damaged(seed_index, tmp_path)
    (live / store.SPEAKERS).unlink()
    _one_line_exit_3(copy)


def test_articles_inside_a_non_utf8_folder_are_read(tmp_path: Path) -> None:
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/archive-caf\xe9"))
    folder.mkdir()
    (folder / "story.txt").write_text(
        "Harbour vote\n\n“We will decide on Monday,” said Elena Vasquez, the mayor.\n",
        encoding="utf-8",
    )
    results = list(iter_inputs([folder]))
    assert [type(r).__name__ for r in results] == ["Article"], results
