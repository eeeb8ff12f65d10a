"""Search latency through the public API, and a check that every facet count is right.

Over at least 200 distinct queries made from the index itself (one word, two words,
speaker surnames without accents, phrases), three passes per target:
  (a) top 20 hits, no facets;  (b) plus speaker, outlet and topic counts;
  (c) as (b) plus one filter per facet (the query's own top value of each).
Each pass runs every query once, in order, on a freshly opened index, so no timed
query is answered from the index's per-generation query cache; passes run in the
order a b c c b a, so each figure is over two passes, one early and one late.
The check recounts every facet of (b) and (c) from the full list of hits.

    python -m bench.search --index bench/out/build-10000/index [--record]
    python -m bench.search --synthetic 100000 --from-records DIR --index bench/out/search-100k
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from archive.text import strip_accents
from bench.common import (
    Stopwatch,
    fmt_bytes,
    folder_bytes,
    machine,
    markdown_table,
    percentile,
    record,
)
from index.types import ArticleHit, QuoteHit, SearchIndex, SearchRequest, WhosaidIndexError

Mode = Literal["a", "b", "c"]
MODES: tuple[Mode, ...] = ("a", "b", "c")
MODE_NAMES = {"a": "(a) top 20", "b": "(b) + 3 facets", "c": "(c) + 3 filters"}
TARGETS = ("articles", "quotes")
CHECK_PAGE = 1000
WORD = re.compile(r"[A-Za-z][a-z]{3,}")
STOP = frozenset(
    (
        "this",
        "that",
        "with",
        "from",
        "have",
        "were",
        "will",
        "been",
        "they",
        "their",
        "there",
        "what",
        "when",
        "which",
        "would",
        "could",
        "about",
        "after",
        "into",
        "over",
        "more",
        "than",
        "some",
        "said",
        "says",
        "also",
        "just",
        "only",
        "other",
        "year",
        "years",
        "first",
        "last",
        "most",
        "much",
        "such",
        "them",
        "then",
        "these",
        "those",
        "very",
        "while",
        "where",
        "back",
        "make",
        "made",
    )
)


@dataclass(frozen=True, slots=True)
class Query:
    kind: str  # word, two words, surname, phrase
    text: str


def make_queries(searcher: SearchIndex, count: int = 220, seed: int = 6) -> list[Query]:
    """Distinct queries in four kinds, drawn from the index's own titles and speakers."""
    rng = random.Random(seed)
    browse = searcher.search(
        SearchRequest(text="", limit=1000, sort="date", with_facets=False, facet_limit=0)
    )
    titles = [[w.lower() for w in WORD.findall(hit.title)] for hit in browse.articles]
    titles = [[w for w in words if w not in STOP] for words in titles]
    titles = [words for words in titles if words]
    surnames = sorted(
        {
            strip_accents(s.name.split()[-1]).lower()
            for s in searcher.speakers()
            if s.kind == "person" and len(s.name.split()) > 1 and s.quote_count > 0
        }
    )
    quotas = {"word": 0.36, "two words": 0.27, "surname": 0.18, "phrase": 0.19}
    wanted = {kind: max(1, round(count * share)) for kind, share in quotas.items()}
    seen: set[str] = set()
    queries: list[Query] = []

    def add(kind: str, text: str) -> None:
        if text and text not in seen and sum(q.kind == kind for q in queries) < wanted[kind]:
            seen.add(text)
            queries.append(Query(kind, text))

    for _ in range(count * 20):
        if len(queries) >= sum(wanted.values()) or not titles:
            break
        words = rng.choice(titles)
        add("word", rng.choice(words))
        if len(words) >= 2:
            add("two words", " ".join(rng.sample(words, 2)))
            start = rng.randrange(len(words) - 1)
            add("phrase", '"' + " ".join(words[start : start + 2]) + '"')
        if surnames:
            add("surname", rng.choice(surnames))
    return queries


def _request(query: Query, target: str, mode: Mode, filters: dict[str, str]) -> SearchRequest:
    request = SearchRequest(
        text=query.text,
        target="quotes" if target == "quotes" else "articles",
        limit=20,
        with_facets=mode != "a",
    )
    if mode == "c":
        request = replace(
            request,
            speakers=tuple(filters[k] for k in ("speaker",) if k in filters),
            outlets=tuple(filters[k] for k in ("outlet",) if k in filters),
            topics=tuple(filters[k] for k in ("topic",) if k in filters),
        )
    return request


@dataclass(slots=True)
class PassResult:
    target: str
    mode: Mode
    millis: list[float]
    totals: list[int]


def run_pass(
    index: SearchIndex,
    queries: Sequence[Query],
    target: str,
    mode: Mode,
    filters: list[dict[str, str]],
) -> tuple[PassResult, list[SearchRequest]]:
    """Time every query once; returns the timings and the requests (for the facet check)."""
    millis: list[float] = []
    totals: list[int] = []
    requests: list[SearchRequest] = []
    for i, query in enumerate(queries):
        request = _request(query, target, mode, filters[i] if mode == "c" else {})
        started = time.perf_counter()
        result = index.search(request)
        millis.append((time.perf_counter() - started) * 1000)
        totals.append(result.total)
        requests.append(request)
        if mode == "b" and len(filters) <= i:
            filters.append({f.name: f.values[0].value for f in result.facets if f.values})
    return PassResult(target, mode, millis, totals), requests


def _hits(index: SearchIndex, request: SearchRequest) -> Iterator[ArticleHit | QuoteHit]:
    """Every hit of `request`, page by page, without facets."""
    base = replace(request, with_facets=False, limit=CHECK_PAGE, sort="date")
    offset = 0
    while True:
        page = index.search(replace(base, offset=offset))
        hits: Sequence[ArticleHit | QuoteHit] = (
            page.quotes if base.target == "quotes" else page.articles
        )
        yield from hits
        offset += CHECK_PAGE
        if offset >= page.total or not hits:
            return


def recount(index: SearchIndex, request: SearchRequest) -> dict[str, Counter[str]]:
    """Facet counts by brute force: every matching hit's own speaker, outlet and topics.

    Speakers are compared by display name, since article hits carry names, not ids.
    """
    counts: dict[str, Counter[str]] = {
        "speaker": Counter(),
        "outlet": Counter(),
        "topic": Counter(),
    }
    for hit in _hits(index, request):
        counts["outlet"][hit.outlet] += 1
        counts["topic"].update(set(hit.topics))
        if isinstance(hit, QuoteHit):
            if hit.speaker_id:
                counts["speaker"][hit.speaker or hit.speaker_id] += 1
        else:
            counts["speaker"].update(hit.speakers)
    return counts


def check_facets(index: SearchIndex, request: SearchRequest) -> list[str]:
    """Differences between the index's facet counts and a recount; empty when they agree."""
    full = index.search(replace(request, facet_limit=1_000_000))
    expected = recount(index, request)
    problems: list[str] = []
    for facet in full.facets:
        got: Counter[str] = Counter()
        for value in facet.values:
            got[value.label if facet.name == "speaker" else value.value] += value.count
        want = expected.get(facet.name, Counter())
        if got != want:
            diff = sorted((got - want) + (want - got))[:3]
            problems.append(f"{request.target} {request.text!r} {facet.name}: differs on {diff}")
    return problems


# --- synthetic large indexes --------------------------------------------------------------


def synthetic_index(from_records: Path, size: int, index_path: Path) -> dict[str, int]:
    """An index of `size` articles without NLP: recombined articles carry the real
    extraction results of the paragraphs they are made of (bench.corpus recombines whole
    paragraphs, so each paragraph's quotes and speakers move with it)."""
    from bench.corpus import write_synthetic_records
    from index.rebuild import index_records

    records = index_path / "records"
    counts = write_synthetic_records(from_records, size, records)
    stats = index_records(index_path, records, model="synthetic")
    counts["indexed_articles"] = stats.articles
    counts["indexed_quotes"] = stats.quotes
    counts["speakers"] = stats.speakers
    return counts


# --- main ---------------------------------------------------------------------------------


def bench_index(
    index_path: Path, targets: Sequence[str], count: int, check: bool
) -> tuple[str, list[str]]:
    from index.search import open_index

    def fresh() -> SearchIndex:
        """A newly opened index: empty query caches, columns loaded by an unrelated query."""
        opened = open_index(index_path)
        for target in TARGETS:
            opened.search(SearchRequest(text="zzwarmup", target=target))  # type: ignore[arg-type]
        return opened

    with Stopwatch() as opening:
        index = fresh()
    stats = index.stats()
    queries = make_queries(index, count)
    kinds = Counter(q.kind for q in queries)
    rows: list[list[str]] = []
    problems: list[str] = []
    verdicts: list[str] = []
    for target in targets:
        filters: list[dict[str, str]] = []
        millis: dict[str, list[float]] = {mode: [] for mode in MODES}
        totals: dict[str, list[int]] = {mode: [] for mode in MODES}
        # a b c c b a: each mode runs early and late, so a drifting machine load
        # (other work on shared cores) does not favour whichever mode ran first.
        for turn, mode in enumerate((*MODES, *reversed(MODES))):
            index.close()
            index = fresh()  # so no pass answers from the caches another pass filled
            result, requests = run_pass(index, queries, target, mode, filters)
            millis[mode].extend(result.millis)
            totals[mode].extend(result.totals)
            if check and mode != "a" and turn < len(MODES):
                for request in requests:
                    problems.extend(check_facets(index, request))
        p95: dict[str, float] = {}
        for mode in MODES:
            p50, p95[mode] = percentile(millis[mode], 50), percentile(millis[mode], 95)
            rows.append(
                [
                    target,
                    MODE_NAMES[mode],
                    f"{len(queries)} x 2",
                    f"{p50:.1f}",
                    f"{p95[mode]:.1f}",
                    f"{max(millis[mode]):.1f}",
                    f"{sum(totals[mode]) / len(totals[mode]):.0f}",
                ]
            )
        for mode in ("b", "c"):
            ratio = p95[mode] / p95["a"] if p95["a"] else float("inf")
            verdicts.append(f"{target}: {mode} p95 / a p95 = {ratio:.2f} (target <= 1.3)")
    index.close()
    table = markdown_table(
        ("target", "request", "queries", "p50 ms", "p95 ms", "max ms", "mean hits"), rows
    )
    size = folder_bytes(index_path / stats.generation) if stats.generation else 0
    head = (
        f"Index {index_path}: {stats.articles} articles, {stats.quotes} quotes, "
        f"{stats.speakers} speakers, generation {fmt_bytes(size)}; opened and first query "
        f"in {opening.seconds:.2f} s. Queries: "
        + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        + "."
    )
    checked = (
        f"Facet check (recount from all hits, every (b) and (c) query): "
        f"{'all equal' if not problems else f'{len(problems)} differences'}."
        if check
        else "Facet check skipped."
    )
    body = "\n\n".join([head, table, "- " + "\n- ".join([*verdicts, checked])])
    return body, problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--targets", default="articles,quotes")
    parser.add_argument("--queries", type=int, default=220)
    parser.add_argument("--no-check", action="store_true", help="skip the facet recount")
    parser.add_argument("--synthetic", type=int, help="first build a synthetic index this large")
    parser.add_argument("--from-records", type=Path, help="records of a real build (--synthetic)")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    targets = [t for t in args.targets.split(",") if t in TARGETS]
    if not targets:
        parser.error(f"--targets takes {' and/or '.join(TARGETS)}")
    if args.queries < 1:
        parser.error("--queries must be at least 1")
    print(f"machine: {machine().describe()}", file=sys.stderr)
    notes = ""
    if args.synthetic:
        if args.from_records is None or not args.from_records.is_dir():
            parser.error("--synthetic needs --from-records with the records folder of a build")
        with Stopwatch() as clock:
            counts = synthetic_index(args.from_records, args.synthetic, args.index)
        notes = (
            f"\n\nSynthetic index: {counts['indexed_articles']} articles and "
            f"{counts['indexed_quotes']} quotes, whose quotes and speakers are the real "
            f"extraction results of {counts['source_articles']} BBC articles' paragraphs "
            f"(no NLP run); built and indexed in {clock.seconds:.0f} s."
        )
    try:
        body, problems = bench_index(args.index, targets, args.queries, not args.no_check)
    except WhosaidIndexError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    body += notes
    print(body)
    for problem in problems[:20]:
        print(f"facet mismatch: {problem}", file=sys.stderr)
    if args.record:
        command = "python -m bench.search " + " ".join(argv if argv is not None else sys.argv[1:])
        record("Search latency", command, body)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
