"""Workers start from a fork server that loaded the pipeline, without the build waiting."""

from __future__ import annotations

import threading
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

import pytest

from archive import worker_start
from archive.worker_start import BackgroundPool


def double(value: int) -> int:
    return 2 * value


def test_batches_submitted_while_the_pool_starts_wait_and_then_run() -> None:
    release = threading.Event()

    def slow_pool() -> Executor:
        release.wait(5)  # a fork server still loading the pipeline
        return ThreadPoolExecutor(max_workers=2)

    pool = BackgroundPool(slow_pool)
    early = [pool.submit(double, n) for n in range(5)]  # returns at once
    assert not any(f.done() for f in early)
    release.set()
    late = [pool.submit(double, n) for n in range(5, 8)]
    assert [f.result(timeout=5) for f in early + late] == [2 * n for n in range(8)]
    pool.shutdown()


def test_a_pool_that_cannot_start_fails_every_batch() -> None:
    def broken() -> Executor:
        raise OSError("no fork server")

    pool = BackgroundPool(broken)
    first = pool.submit(double, 1)
    with pytest.raises(OSError, match="no fork server"):
        first.result(timeout=5)
    with pytest.raises(OSError, match="no fork server"):
        pool.submit(double, 2).result(timeout=5)
    pool.shutdown()


def test_shutdown_cancels_batches_not_yet_running() -> None:
    pool = BackgroundPool(lambda: ThreadPoolExecutor(max_workers=1))
    running = threading.Event()
    release = threading.Event()

    def busy() -> str:
        running.set()
        release.wait(5)
        return "done"

    first = pool.submit(busy)
    assert running.wait(5)
    queued: list[Future[Any]] = [pool.submit(double, n) for n in range(2)]
    threading.Timer(0.2, release.set).start()
    pool.shutdown(wait=True, cancel_futures=True)
    assert first.result(timeout=5) == "done"
    assert all(f.cancelled() for f in queued)


def test_a_build_that_never_submits_starts_no_pool() -> None:
    started: list[bool] = []

    def pool() -> Executor:
        started.append(True)
        return ThreadPoolExecutor(max_workers=1)

    BackgroundPool(pool).shutdown()
    assert started == []


def test_the_fork_server_preloads_the_named_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(worker_start.WORKER_MODEL, "")  # restored after the test
    context = worker_start.worker_context("some_model")
    assert context.get_start_method() == "forkserver"
    loaded: list[str] = []
    monkeypatch.setattr("archive.nlp.load_pipeline", loaded.append)
    worker_start.preload()
    assert loaded == ["some_model"]


def test_preload_leaves_a_broken_pipeline_for_the_worker_to_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing(name: str) -> None:
        raise RuntimeError(f"{name} is not installed")

    monkeypatch.setenv(worker_start.WORKER_MODEL, "missing_model")
    monkeypatch.setattr("archive.nlp.load_pipeline", missing)
    worker_start.preload()  # no exception: the fork server must keep serving


def test_the_fork_server_stops_when_the_last_build_is_done() -> None:
    from multiprocessing import forkserver

    from archive.models import Article
    from archive.pipeline import ExtractOptions, extract_articles

    article = Article(
        id="a1",
        title="Port",
        outlet="Test",
        byline="",
        date="2024-01-02",
        text='"We will reopen the port," the mayor said on Monday.',
    )
    extractions = list(extract_articles([article], ExtractOptions(processes=2)))
    assert extractions[0].quotes
    assert forkserver._forkserver._forkserver_pid is None  # type: ignore[attr-defined]


def test_on_shutdown_runs_once() -> None:
    calls: list[int] = []
    pool = BackgroundPool(lambda: ThreadPoolExecutor(max_workers=1), lambda: calls.append(1))
    assert pool.submit(double, 2).result(timeout=5) == 4
    pool.shutdown()
    pool.shutdown()
    assert calls == [1]
