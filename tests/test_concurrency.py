"""Two builds on one index, and a reader that never stops while builds swap underneath it.

Builds run as real `whosaid build` processes; the first one pauses, holding the lock,
at a chosen call (bench/reliability.py hook with action "pause") until the test lets
it go, so "at the same time" is certain rather than a matter of timing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bench.reliability import (
    REPO,
    KillFixture,
    KillPoint,
    build_command,
    leftovers,
    prepare_kill_fixture,
    snapshot,
    snapshot_requests,
)
from index import store
from index.search import open_index
from index.types import SearchIndex

pytestmark = pytest.mark.slow
WHOSAID = Path(sys.executable).with_name("whosaid")
PAUSE_AT = KillPoint("pause before indexing", "index.rebuild:build_index")


@pytest.fixture(scope="module")
def fixture(tmp_path_factory: pytest.TempPathFactory) -> KillFixture:
    return prepare_kill_fixture(tmp_path_factory.mktemp("concurrency"))


@pytest.fixture
def index_path(fixture: KillFixture, tmp_path: Path) -> Path:
    path = tmp_path / "index"
    shutil.copytree(fixture.warm_template, path, symlinks=True)
    return path


def whosaid(*args: str | Path) -> list[str]:
    return [str(WHOSAID), *map(str, args), "--processes", "1"]


def start(command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    full = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.Popen(
        command, cwd=REPO, env=full, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


@pytest.fixture
def paused_build(fixture: KillFixture, index_path: Path, tmp_path: Path) -> Iterator[Any]:
    """A v2 build holding the lock, paused just before indexing; released by the test."""
    marker = tmp_path / "paused"
    proc = start(build_command(fixture.v2, index_path), PAUSE_AT.env("pause", marker))
    deadline = time.monotonic() + 180
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the first build never reached its pause"
        time.sleep(0.05)
    release = marker.with_name(marker.name + ".release")
    yield proc, release
    if proc.poll() is None:
        release.touch()
        try:
            proc.communicate(timeout=180)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def test_second_build_fails_at_once_with_one_line_then_waits_with_the_flag(
    fixture: KillFixture, index_path: Path, paused_build: Any
) -> None:
    first, release = paused_build
    second = subprocess.run(
        whosaid("build", fixture.v1, "--index", index_path), capture_output=True, text=True
    )
    assert second.returncode == 3, second.stderr
    assert first.poll() is None  # it failed while the first still held the lock: no waiting
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "another build is running" in lines[0] and "--wait" in lines[0]
    assert "Traceback" not in second.stderr

    waiting = start(whosaid("build", fixture.v1, "--index", index_path, "--wait"))
    time.sleep(2.0)
    assert waiting.poll() is None, waiting.communicate()  # blocked behind the first build
    release.touch()
    _out, err = first.communicate(timeout=180)
    assert first.returncode == 0, err
    _out, err = waiting.communicate(timeout=180)
    assert waiting.returncode == 0, err
    index = open_index(index_path)
    try:
        assert snapshot(index) == fixture.snap_v1  # the waiting v1 build ran last
        assert index.stats().generation == "gen-3"
    finally:
        index.close()
    assert leftovers(index_path) == []


def test_waiting_build_says_it_waits(
    fixture: KillFixture, index_path: Path, paused_build: Any
) -> None:
    first, release = paused_build
    waiting = start(whosaid("build", fixture.v1, "--index", index_path, "--wait"))
    assert waiting.stderr is not None
    said = waiting.stderr.readline()  # blocks until the build reports, however slow it starts
    assert first.poll() is None, "the first build must still hold the lock"
    release.touch()
    first.communicate(timeout=180)
    _out, err = waiting.communicate(timeout=180)
    assert waiting.returncode == 0, err
    assert "waiting for another build" in said.lower(), said + err


def _answers(snap: tuple[Any, ...]) -> list[tuple[int, tuple[str, ...]]]:
    return [(row[1], row[2]) for row in snap[:-1]]


def test_reader_never_fails_while_builds_swap_generations(
    fixture: KillFixture, index_path: Path
) -> None:
    """A reader thread queries nonstop while three builds swap and clean generations."""
    requests = [replace(r, limit=1000) for r in snapshot_requests()]
    versions = {"v1": _answers(fixture.snap_v1), "v2": _answers(fixture.snap_v2)}
    reader: SearchIndex = open_index(index_path)
    failures: list[str] = []
    seen: set[str] = set()
    answered = 0
    stop = threading.Event()

    def read() -> None:
        nonlocal answered
        while not stop.is_set():
            for n, request in enumerate(requests):
                try:
                    result = reader.search(request)
                except BaseException as exc:  # any failure at all is what this test counts
                    failures.append(f"{type(exc).__name__}: {exc}")
                    continue
                hits = result.quotes if request.target == "quotes" else result.articles
                got = (result.total, tuple(sorted(h.id for h in hits)))
                which = [v for v, answers in versions.items() if answers[n] == got]
                if not which:
                    failures.append(f"{request.text!r}: an answer from neither version: {got}")
                seen.update(which if len(which) == 1 else ())
                answered += 1
                time.sleep(0.002)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    try:
        for corpus, snap in (
            (fixture.v2, fixture.snap_v2),
            (fixture.v1, fixture.snap_v1),
            (fixture.v2, fixture.snap_v2),
        ):
            before = answered
            proc = subprocess.run(
                whosaid("build", corpus, "--index", index_path), capture_output=True, text=True
            )
            assert proc.returncode == 0, proc.stderr
            assert answered > before  # the reader kept going during the build
            live = store.current_generation(index_path)
            assert live is not None and reader.stats().generation == live.name
            assert snapshot(reader) == snap  # the very next query sees the new generation
    finally:
        stop.set()
        thread.join(timeout=30)
        reader.close()
    assert failures == []
    assert seen == {"v1", "v2"}
    assert answered > 3 * len(requests)


def test_a_waiting_build_goes_on_when_the_lock_holder_is_killed(
    fixture: KillFixture, index_path: Path, paused_build: Any
) -> None:
    """The lock is the kernel's: a SIGKILLed holder frees it, no stale lock file blocks."""
    first, _release = paused_build
    waiting = start(whosaid("build", fixture.v1, "--index", index_path, "--wait"))
    time.sleep(1.5)
    assert waiting.poll() is None
    first.kill()
    first.communicate(timeout=60)
    _out, err = waiting.communicate(timeout=180)
    assert waiting.returncode == 0, err
    index = open_index(index_path)
    try:
        assert snapshot(index) == fixture.snap_v1
    finally:
        index.close()
    assert leftovers(index_path) == []
