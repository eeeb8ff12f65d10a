"""SIGKILL a real build at many points; the previous index must keep answering, unchanged.

Each test copies an index built from version 1 of a small archive (the seeds and 30
synthetic articles), runs `whosaid build` on version 2 in a child process that kills
itself at the Nth call of a named function (bench/reliability.py: `KillPoint`), then
checks that the live index answers a fixed query set exactly as v1 did (or as v2, once
the pointer was swapped), and that the next build succeeds, answers as v2 and leaves no
temporary folder behind. Timed kills from outside add points nobody chose.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from archive.pipeline import ExtractOptions
from bench.reliability import (
    EMPTY_INPUT,
    KILL_POINTS,
    KillFixture,
    KillPoint,
    build_command,
    leftovers,
    open_snapshot,
    prepare_kill_fixture,
    read_errors,
    run_child,
    try_kill_point,
    try_timed_kill,
)
from index import store
from index.rebuild import build_archive, reindex
from index.search import open_index
from index.types import IndexMissingError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fixture(tmp_path_factory: pytest.TempPathFactory) -> KillFixture:
    return prepare_kill_fixture(tmp_path_factory.mktemp("kill-fixture"))


def test_fixture_versions_differ(fixture: KillFixture) -> None:
    """Without a difference between v1 and v2 the kill checks below could not fail."""
    assert fixture.snap_v1 != fixture.snap_v2
    assert [row[1] for row in fixture.snap_v1][:4] != [row[1] for row in fixture.snap_v2][:4]


@pytest.mark.parametrize("point", KILL_POINTS, ids=[p.name for p in KILL_POINTS])
def test_build_killed_at(fixture: KillFixture, point: KillPoint, tmp_path: Path) -> None:
    outcome = try_kill_point(fixture, point, tmp_path)
    assert outcome.died, outcome
    assert outcome.problems == (), outcome.problems


@pytest.mark.parametrize("delay", [2.0, 4.0])
def test_build_killed_from_outside_after(
    fixture: KillFixture, delay: float, tmp_path: Path
) -> None:
    outcome = try_timed_kill(fixture, delay, tmp_path)
    assert outcome.problems == (), outcome.problems


def _killed_copy(fixture: KillFixture, point: KillPoint, tmp_path: Path) -> Path:
    index_path = tmp_path / "index"
    shutil.copytree(fixture.warm_template, index_path, symlinks=True)
    child = run_child(build_command(fixture.v2, index_path), point.env())
    assert child.returncode == -9, child.stderr
    return index_path


def _point(name: str) -> KillPoint:
    return next(p for p in KILL_POINTS if p.name.startswith(name))


def test_reindex_after_a_kill_right_after_the_swap_keeps_the_live_answers(
    fixture: KillFixture, tmp_path: Path
) -> None:
    index_path = _killed_copy(fixture, _point("swap: right after"), tmp_path)
    assert open_snapshot(index_path) == fixture.snap_v2
    reindex(index_path)
    assert open_snapshot(index_path) == fixture.snap_v2


def test_reindex_after_a_kill_before_the_errors_copy(fixture: KillFixture, tmp_path: Path) -> None:
    index_path = _killed_copy(fixture, _point("swap: before the readable errors"), tmp_path)
    reindex(index_path)
    assert open_snapshot(index_path) == fixture.snap_v2


def test_killed_build_keeps_the_live_builds_errors_jsonl(
    fixture: KillFixture, tmp_path: Path
) -> None:
    template_rows = read_errors(fixture.warm_template / "errors.jsonl")
    assert [Path(r["file"]).name for r in template_rows] == [EMPTY_INPUT]
    index_path = _killed_copy(fixture, _point("extraction: 3rd article"), tmp_path)
    assert store.current_generation(index_path) is not None
    rows = read_errors(index_path / "errors.jsonl")
    assert [(r["file"], r["reason"]) for r in rows] == [
        (r["file"], r["reason"]) for r in template_rows
    ]


def test_first_build_killed_leaves_no_index_and_the_next_one_builds(
    fixture: KillFixture, tmp_path: Path
) -> None:
    """With no previous index, a build killed after renaming its generation leaves none live."""
    index_path = tmp_path / "index"
    point = _point("publish: generation renamed")
    child = run_child(build_command(fixture.v1, index_path), point.env())
    assert child.returncode == -9, child.stderr
    assert (index_path / "gen-1").is_dir() and store.current_generation(index_path) is None
    with pytest.raises(IndexMissingError, match="whosaid build"):
        open_index(index_path)
    build_archive([fixture.v1], index_path, options=ExtractOptions(processes=1))
    assert open_snapshot(index_path) == fixture.snap_v1
    assert leftovers(index_path) == []


def test_reindex_killed_before_the_swap_keeps_the_live_index(
    fixture: KillFixture, tmp_path: Path
) -> None:
    index_path = tmp_path / "index"
    shutil.copytree(fixture.warm_template, index_path, symlinks=True)
    point = _point("indexing: after the Whoosh commit")
    command = [sys.executable, "-m", "bench.reliability", "drive", "reindex"]
    child = run_child([*command, "--index", str(index_path)], point.env())
    assert child.returncode == -9, child.stderr
    assert open_snapshot(index_path) == fixture.snap_v1
    reindex(index_path)
    assert open_snapshot(index_path) == fixture.snap_v1
    assert leftovers(index_path) == []


TAG = "WHOSAID_TEST_TAG"


def _processes_mentioning(text: str) -> list[int]:
    """Pids whose command line or environment holds `text` (a unique index path).

    The environment catches what the command line does not: workers forked from
    multiprocessing's fork server carry the server's command line, but every
    descendant of the build inherits the tag it was started with.
    """
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            seen = (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes()
        except OSError:
            continue
        if text.encode() in seen:
            found.append(int(entry.name))
    return found


def test_killed_parallel_build_leaves_no_worker_processes(
    fixture: KillFixture, tmp_path: Path
) -> None:
    index_path = tmp_path / "index"
    shutil.copytree(fixture.cold_template, index_path, symlinks=True)
    command = build_command(fixture.v2, index_path)
    command[command.index("--processes") + 1] = "2"
    point = KillPoint(
        "workers started", "concurrent.futures:ProcessPoolExecutor.submit", 2, "after"
    )
    child = run_child(command, {**point.env(), TAG: str(index_path)})
    assert child.returncode == -9, child.stderr
    deadline = time.monotonic() + 15
    left = _processes_mentioning(str(index_path))
    while left and time.monotonic() < deadline:
        time.sleep(0.5)
        left = _processes_mentioning(str(index_path))
    for pid in left:  # the orphans of this test's own child: end them before failing
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert left == []


@pytest.mark.parametrize(
    "name",
    ["extraction: 3rd article", "indexing: 4th article", "publish: before fsync"],
)
def test_ctrl_c_exits_130_in_one_line_and_keeps_the_index(
    fixture: KillFixture, name: str, tmp_path: Path
) -> None:
    """Ctrl-C is the polite kill: one line, exit 130, the live index untouched and no tmp gen."""
    index_path = tmp_path / "index"
    shutil.copytree(fixture.warm_template, index_path, symlinks=True)
    child = run_child(build_command(fixture.v2, index_path), _point(name).env("interrupt"))
    assert child.returncode == 130, child.stderr
    assert child.stderr.strip().splitlines() == ["whosaid: error: interrupted"], child.stderr
    assert open_snapshot(index_path) == fixture.snap_v1
    assert not list(index_path.glob("gen-*.tmp"))
    build_archive([fixture.v2], index_path, options=ExtractOptions(processes=1))
    assert open_snapshot(index_path) == fixture.snap_v2
    assert leftovers(index_path) == []
