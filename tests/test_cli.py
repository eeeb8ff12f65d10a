"""The `whosaid` command as a user runs it: a real process, real seed articles, real exit codes."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
WHOSAID = Path(sys.executable).with_name("whosaid")


def run(*args: str | Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(WHOSAID), *map(str, args)], capture_output=True, text=True, timeout=600
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    if ok:
        assert proc.returncode == 0, proc.stderr
    return proc


def jsonl(text: str) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("cli") / "index"
    proc = run("build", SEEDS, "--index", index, "--processes", "1")
    assert "indexed 5 articles" in proc.stdout
    return index


def test_kirby_quotes_found_by_surname(seed_index: Path) -> None:
    rows = jsonl(run("quotes", "--speaker", "kirby", "--index", seed_index, "--jsonl").stdout)
    assert len(rows) >= 3
    assert {r["speaker"] for r in rows} == {"John Kirby"}
    texts = " ".join(r["text"] for r in rows)
    assert "Their visit will really be about" in texts
    assert "agreed that additional enforcement actions" in texts
    assert {r["outlet"] for r in rows} >= {"The Wall Street Journal", "The Independent"}


def test_quotes_speaker_is_accent_tolerant(seed_index: Path) -> None:
    proc = run("quotes", "--speaker", "villagran", "--index", seed_index)
    assert "Luis García Villagrán" in proc.stdout
    assert "trading pieces" in proc.stdout


def test_unknown_speaker_exits_1_with_one_line(seed_index: Path) -> None:
    proc = run("quotes", "--speaker", "nobody-at-all", "--index", seed_index, ok=False)
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1


def test_search_json_has_hits_and_facets(seed_index: Path) -> None:
    data = orjson.loads(run("search", "border", "--index", seed_index, "--json").stdout)
    assert data["total"] == len(data["hits"]) == 5
    assert set(data["facets"]) == {"speaker", "outlet", "topic"}
    outlets = {v["label"]: v["count"] for v in data["facets"]["outlet"]}
    assert outlets["The Independent"] == 1


def test_search_is_accent_insensitive(seed_index: Path) -> None:
    plain = orjson.loads(run("search", "Lopez", "--index", seed_index, "--json").stdout)
    accented = orjson.loads(run("search", "López", "--index", seed_index, "--json").stdout)
    assert plain["total"] == accented["total"] >= 4


def test_filters_narrow_results(seed_index: Path) -> None:
    data = orjson.loads(
        run(
            "search",
            "border",
            "--quotes",
            "--speaker",
            "kirby",
            "--outlet",
            "The Independent",
            "--index",
            seed_index,
            "--json",
        ).stdout
    )
    assert data["total"] == 1
    assert data["hits"][0]["speaker"] == "John Kirby"
    assert data["hits"][0]["outlet"] == "The Independent"


def test_malformed_queries_never_crash(seed_index: Path) -> None:
    for query in ['"unbalanced (', "AND", "*", "title:", "nofield:x", "“curly”", "x" * 5000]:
        proc = run("search", query, "--index", seed_index, ok=False)
        assert proc.returncode in (0, 1), (query, proc.stderr)


def test_speakers_json_lists_canonical_names(seed_index: Path) -> None:
    speakers = orjson.loads(run("speakers", "--index", seed_index, "--json").stdout)
    by_name = {s["name"]: s for s in speakers}
    assert "John Kirby" in by_name and by_name["John Kirby"]["kind"] == "person"
    assert "Andrés Manuel López Obrador" in by_name
    assert by_name["John Kirby"]["quote_count"] >= 3


def test_show_prints_article_and_quotes(seed_index: Path) -> None:
    proc = run("show", "001_9f6a0ec44740c91c", "--index", seed_index)
    assert "White House Is Dispatching Blinken" in proc.stdout
    assert "John Kirby" in proc.stdout
    missing = run("show", "no-such-article", "--index", seed_index, ok=False)
    assert missing.returncode == 1 and "no article" in missing.stderr


def test_missing_index_is_exit_3_naming_build(tmp_path: Path) -> None:
    proc = run("search", "border", "--index", tmp_path / "none", ok=False)
    assert proc.returncode == 3
    assert "whosaid build" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_rebuild_reuses_cached_extractions(seed_index: Path) -> None:
    proc = run("build", SEEDS, "--index", seed_index, "--processes", "1", "--json")
    report = orjson.loads(proc.stdout)
    assert report["extracted"] == 0 and report["articles"] == 5


def test_extract_streams_jsonl_without_an_index(tmp_path: Path) -> None:
    rows = jsonl(
        run("extract", SEEDS / "001_9f6a0ec44740c91c.txt", "--jsonl", "--processes", "1").stdout
    )
    fields = {
        "article",
        "source",
        "quote",
        "start",
        "end",
        "speaker",
        "speaker_mention",
        "speaker_id",
        "kind",
        "cue",
        "how",
        "speech",
    }
    assert rows and all(fields <= set(r) for r in rows)
    assert any(r["speaker"] == "John Kirby" for r in rows)


def test_missing_model_is_exit_4(tmp_path: Path) -> None:
    proc = run("extract", SEEDS, "--model", "no_such_pipeline", ok=False)
    assert proc.returncode == 4
    assert "no_such_pipeline" in proc.stderr


def test_bad_inputs_are_reported_and_the_rest_indexed(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "empty.txt").write_text("")
    (inbox / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (inbox / "packed.txt").write_bytes(gzip.compress(b"hello " * 100))
    (inbox / "latin1.txt").write_bytes(
        'Café owners protest\n\n"We cannot pay," said Zoë Martín, who runs a café.\n'.encode(
            "latin-1"
        )
    )
    good = orjson.dumps({"id": "j1", "title": "Bridge", "text": "“It is safe,” the mayor said."})
    (inbox / "feed.jsonl").write_bytes(good + b"\n{broken json\n")
    index = tmp_path / "index"
    proc = run("build", inbox, "--index", index, "--processes", "1", "--json")
    report = orjson.loads(proc.stdout)
    assert report["articles"] == 2
    assert report["inputs"] == report["articles"] + report["duplicates"] + report["rejected"]
    assert report["rejected"] == 4
    errors = jsonl((index / "errors.jsonl").read_text())
    assert {Path(e["file"]).name for e in errors} == {
        "empty.txt",
        "image.png",
        "packed.txt",
        "feed.jsonl",
    }
    assert all(e["reason"] and "\n" not in e["reason"] for e in errors)
    found = run("quotes", "--speaker", "martin", "--index", index, ok=False)
    assert "Zoë Martín" in found.stdout
