"""Extraction on an existing Dask distributed cluster: the same batches, run elsewhere.

`extract_articles` only needs a way to submit a batch and get back a future with
`done()` and `result()`; Dask futures have both, so the cluster slots in without a
second code path, and the record shards come out byte for byte as a local build's.
Dask is an optional extra (`pip install 'whosaid[cluster]'`), imported only here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from archive import DEFAULT_MODEL
from archive.nlp import load_pipeline, model_tag
from archive.pipeline import Batch, BatchFuture, extract_batch

INSTALL_HINT = "pip install 'whosaid[cluster]'"


class ClusterError(Exception):
    """The cluster cannot run extraction; `str()` is one line that says what to do."""


def _worker_model(model: str) -> str:
    """Runs on each worker: loads the pipeline once there and says which one it is."""
    return model_tag(load_pipeline(model))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _connect(address: str, timeout: float) -> Any:
    try:
        from distributed import Client as DaskClient
    except ImportError:
        raise ClusterError(f"--cluster needs Dask distributed: {INSTALL_HINT}") from None
    try:
        client_class: Any = DaskClient  # untyped upstream
        return client_class(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address}: {_one_line(exc)}"
        ) from None


def _check_workers(client: Any, address: str, model: str, timeout: float) -> None:
    """Every worker must run the same pipeline version as here, or records would differ."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(
            f"the Dask cluster at {address} has no workers: {_one_line(exc)}"
        ) from None
    expected = model_tag(load_pipeline(model))
    try:
        tags: dict[str, str] = client.run(_worker_model, model)
    except Exception as exc:  # whatever a worker raised comes back re-raised here
        raise ClusterError(
            f"a worker of the Dask cluster at {address} cannot load spaCy pipeline "
            f"'{model}': {_one_line(exc)} (install whosaid and the pipeline on every worker)"
        ) from None
    for worker, tag in sorted(tags.items()):
        if tag != expected:
            raise ClusterError(
                f"Dask worker {worker} runs pipeline {tag}, this machine {expected}: "
                "install the same version everywhere"
            )


class DaskSubmit:
    """A `Submit` that sends each batch to the cluster as one task.

    `threads` is the cluster's total worker threads when connecting: pass it as
    `ExtractOptions.processes`, since `extract_articles` keeps 3 batches in flight
    per process and a smaller window would leave workers idle.
    """

    def __init__(self, client: Any, model: str, threads: int) -> None:
        self._client = client
        self.model = model
        self.threads = threads

    def __call__(self, batch: Batch) -> BatchFuture:
        future: BatchFuture = self._client.submit(extract_batch, self.model, batch, pure=False)
        return future


def _threads(client: Any) -> int:
    workers = client.scheduler_info().get("workers", {})
    return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))


@contextmanager
def dask_submitter(
    address: str, model: str = DEFAULT_MODEL, *, timeout: float = 10.0
) -> Iterator[DaskSubmit]:
    """Connect to the scheduler at `address` and yield a `Submit` for `extract_articles`.

    Workers are checked first (reachable, pipeline loadable, same version as here), so
    a misconfigured cluster fails before any work with one clear line.
    """
    client = _connect(address, timeout)
    try:
        _check_workers(client, address, model, timeout)
        yield DaskSubmit(client, model, _threads(client))
    finally:
        client.close()
