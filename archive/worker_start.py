"""Where extraction workers come from: a fork server that has loaded the pipeline once.

Each worker used to import spaCy and load the pipeline itself: about 0.95 CPU s per
worker, a sixth of the CPU of a 1% incremental build at 10k articles. Workers now
fork from multiprocessing's fork server, which imports `archive.worker_preload` first
and, when `WORKER_MODEL` names a pipeline, loads it: every worker starts with the pipeline in
place (shared copy-on-write) and `load_pipeline` finds it in its cache. The server
starts in a fresh interpreter, so it inherits none of the build's threads or files.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from multiprocessing.context import BaseContext
from typing import Any

WORKER_MODEL = "WHOSAID_WORKER_MODEL"
PRELOAD_MODULE = "archive.worker_preload"  # imported by the fork server alone


def worker_context(model: str) -> BaseContext:
    """The context for a process pool whose workers run `model`."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context()  # Windows: spawn, and each worker loads
    # Read by the server when it starts; it stays set because a later build in this
    # process starts a new server (the last one stops with its pool).
    os.environ[WORKER_MODEL] = model
    context = multiprocessing.get_context("forkserver")
    # "__main__" as multiprocessing's default has it: the server imports the build's main
    # module once, instead of every worker importing it (the CLI: about 80 ms each).
    context.set_forkserver_preload(["__main__", PRELOAD_MODULE])
    return context


_pools_lock = threading.Lock()
_pools_open = 0


def fork_server_pool(make_pool: Callable[[], Executor]) -> BackgroundPool:
    """A BackgroundPool of fork-server workers; the server stops when the last one shuts down.

    The server holds a loaded pipeline (about 150 MB) that nothing needs between
    builds, nor while a build writes its index.
    """
    global _pools_open
    with _pools_lock:
        _pools_open += 1
    return BackgroundPool(make_pool, on_shutdown=_release_fork_server)


def _release_fork_server() -> None:
    global _pools_open
    with _pools_lock:
        _pools_open -= 1
        if _pools_open == 0:
            _stop_fork_server()


def _stop_fork_server() -> None:
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)  # what the standard library's own tests use
    if stop is not None:
        stop()


def preload() -> None:
    """In the fork server: load the pipeline; any failure is left for the worker to report."""
    model = os.environ.get(WORKER_MODEL)
    if not model:
        return
    try:
        from archive.nlp import load_pipeline

        load_pipeline(model)
    except Exception:  # the worker loads it again and raises the one-line error
        return


class BackgroundPool:
    """An executor whose process pool starts on a thread, so that submitting never waits.

    A fork-server worker can start only once the server has loaded the pipeline (about
    a second), and the pool starts its first worker inside `submit`. Batches submitted
    meanwhile wait here and go to the pool as soon as it is up, while the build goes on
    reading its input; a build that never submits never starts a pool.
    """

    def __init__(
        self, make_pool: Callable[[], Executor], on_shutdown: Callable[[], None] | None = None
    ) -> None:
        self._make_pool = make_pool
        self._on_shutdown = on_shutdown
        self._lock = threading.Lock()
        self._waiting: list[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = []
        self._pool: Executor | None = None
        self._error: BaseException | None = None
        self._starter: threading.Thread | None = None
        self._closed = False

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot submit to a pool that has been shut down")
            pool, error = self._pool, self._error
            if pool is None and error is None:
                self._waiting.append((future, fn, args))
                if self._starter is None:
                    self._starter = threading.Thread(
                        target=self._start, name="whosaid-pool-start", daemon=True
                    )
                    self._starter.start()
                return future
        _forward(pool, error, future, fn, args)
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closed = True
        try:
            if self._starter is not None:
                self._starter.join()  # it leaves once every waiting batch is forwarded
            if self._pool is not None:
                self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
        finally:
            on_shutdown, self._on_shutdown = self._on_shutdown, None
            if on_shutdown is not None:
                on_shutdown()

    def _start(self) -> None:
        pool: Executor | None = None
        error: BaseException | None = None
        try:
            pool = self._make_pool()
        except BaseException as exc:  # reported through every future submitted
            error = exc
        while True:
            with self._lock:
                waiting, self._waiting = self._waiting, []
                if not waiting:
                    self._pool, self._error = pool, error
                    return
            for future, fn, args in waiting:
                _forward(pool, error, future, fn, args)


def _forward(
    pool: Executor | None,
    error: BaseException | None,
    future: Future[Any],
    fn: Callable[..., Any],
    args: tuple[Any, ...],
) -> None:
    """Run `fn(*args)` on `pool` and settle `future` with its outcome."""
    if pool is None:
        future.set_exception(error or RuntimeError("the worker pool did not start"))
        return
    try:
        inner = pool.submit(fn, *args)
    except BaseException as exc:
        future.set_exception(exc)
        return
    inner.add_done_callback(lambda done: _settle(future, done))


def _settle(future: Future[Any], done: Future[Any]) -> None:
    if done.cancelled():
        future.cancel()
    elif (exc := done.exception()) is not None:
        future.set_exception(exc)
    else:
        future.set_result(done.result())
