"""What every benchmark shares: the machine it ran on, peak memory, percentiles, tables.

Figures only mean something next to the machine that produced them, so every
recorded table carries the date, core count, RAM and CPU model.
"""

from __future__ import annotations

import math
import os
import platform
import resource
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
RESULTS = BENCH_DIR / "RESULTS.md"
GIB = 1024**3
MIB = 1024**2


@dataclass(frozen=True, slots=True)
class Machine:
    cpus: int
    ram_gib: float
    cpu_model: str
    python: str

    def describe(self) -> str:
        return (
            f"{self.cpus} cores (nproc), {self.ram_gib:.1f} GiB RAM, {self.cpu_model}, "
            f"Python {self.python}"
        )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def _ram_bytes() -> int:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 0


def usable_cpus() -> int:
    """What `nproc` prints: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def machine() -> Machine:
    return Machine(
        cpus=usable_cpus(),
        ram_gib=_ram_bytes() / GIB,
        cpu_model=_cpu_model(),
        python=platform.python_version(),
    )


def _tree_rss() -> int:
    """Resident memory of this process plus all its descendants (psutil), in bytes."""
    import psutil  # type: ignore[import-untyped]

    me = psutil.Process()
    total = 0
    for proc in (me, *me.children(recursive=True)):
        try:
            total += proc.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def _rusage_peak() -> int:
    """Fallback without psutil: own peak plus the largest finished child's (Linux: KiB)."""
    scale = 1 if sys.platform == "darwin" else 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) * scale


class PeakRss:
    """Samples the RSS of this process and its worker processes while the block runs.

    The sum counts pages shared by forked workers once per process, so it is an
    upper bound of real memory use: a figure under a limit is safely under it.
    """

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak = 0
        self.method = "psutil"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        try:
            self.peak = _tree_rss()
        except ImportError:
            self.method = "getrusage"
            return self
        self._thread = threading.Thread(target=self._sample, name="peak-rss", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._thread is None:
            self.peak = _rusage_peak()
            return
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _tree_rss())


def cpu_seconds() -> float:
    """User + system CPU time of this process, of its children that have been waited for,
    and of its live descendants with theirs.

    The live ones matter: extraction workers are children of multiprocessing's fork
    server, which this process never waits for, so `RUSAGE_CHILDREN` misses them.
    """
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    try:
        import psutil
    except ImportError:
        return total
    for proc in psutil.Process().children(recursive=True):
        try:
            times = proc.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return float(total)


class Stopwatch:
    """Wall-clock seconds of a block (`perf_counter`), and the CPU seconds it used.

    On a machine shared with other work, wall time depends on the load and CPU time
    much less, so comparisons between runs should look at both.
    """

    def __init__(self) -> None:
        self.seconds = 0.0
        self.cpu = 0.0
        self._start = 0.0
        self._cpu_start = 0.0

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        self._cpu_start = cpu_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._start
        self.cpu = cpu_seconds() - self._cpu_start


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): an actual observation, never interpolated."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def folder_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue
    return total


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def record(title: str, command: str, body: str, path: Path = RESULTS) -> None:
    """Append one dated section, with the machine, to RESULTS.md."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"\n## {title} ({stamp})\n\n"
        f"Machine: {machine().describe()}.  \n"
        f"Command: `{command}`\n\n{body.rstrip()}\n"
    )
    if not path.exists():
        path.write_text("# Benchmark results\n", encoding="utf-8")
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(section)


def fmt_bytes(n: float) -> str:
    return f"{n / GIB:.2f} GiB" if n >= GIB else f"{n / MIB:.0f} MiB"
