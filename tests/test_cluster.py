"""Extraction on a Dask cluster: same record shards as a local build, clear one-line errors."""

from __future__ import annotations

import socket
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from archive.cluster import ClusterError, dask_submitter
from archive.pipeline import ExtractOptions
from index.rebuild import live_records

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def _shards(index: Path) -> dict[str, bytes]:
    records = live_records(index)
    assert records is not None
    return {p.name: p.read_bytes() for p in sorted(records.glob("shard-*.jsonl"))}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_missing_dask_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ClusterError) as info, dask_submitter("tcp://127.0.0.1:8786"):
        pass
    message = str(info.value)
    assert "\n" not in message
    assert "whosaid[cluster]" in message


def test_unreachable_scheduler_is_one_clear_line() -> None:
    pytest.importorskip("distributed", reason="Dask distributed (the cluster extra) not installed")
    address = f"tcp://127.0.0.1:{_closed_port()}"
    with pytest.raises(ClusterError) as info, dask_submitter(address, timeout=1):
        pass
    message = str(info.value)
    assert "\n" not in message
    assert address in message


def test_cluster_build_writes_the_same_shards_as_a_local_build(tmp_path: Path) -> None:
    distributed = pytest.importorskip(
        "distributed", reason="Dask distributed (the cluster extra) not installed"
    )
    from index.rebuild import build_archive

    inputs = sorted(SEEDS.glob("*.txt"))[:3]  # three batches: both workers get work
    assert len(inputs) == 3, "the seed articles are missing"
    options = ExtractOptions(processes=1, batch_size=1)
    local = build_archive(inputs, tmp_path / "local", options=options)

    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        dask_submitter(cluster.scheduler_address, options.model) as submit,
    ):
        assert submit.threads == 2
        cluster_options = replace(options, processes=submit.threads)
        remote = build_archive(inputs, tmp_path / "cluster", options=cluster_options, submit=submit)

    assert remote.articles == local.articles == len(inputs)
    assert remote.extracted == len(inputs), "the cluster build must run NLP, not reuse a cache"
    assert remote.quotes == local.quotes > 0
    local_shards, cluster_shards = _shards(tmp_path / "local"), _shards(tmp_path / "cluster")
    assert local_shards, "the local build wrote no record shards"
    assert cluster_shards == local_shards
