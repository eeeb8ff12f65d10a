"""Articles in, extractions out: batching, worker processes and the cache.

Workers load the pipeline once and return only the small extraction result
(quotes and entities as orjson bytes), never spaCy Docs, so little crosses
process boundaries. Output keeps input order and memory stays bounded: at
most `window` batches are in flight and at most `max_pending` articles wait.
Workers fork from a fork server (`archive.worker_start`), so, as with any spawn or
fork-server pool, a script that extracts with several processes must guard its entry
point with `if __name__ == "__main__":`.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from archive import DEFAULT_MODEL, EXTRACTOR_VERSION
from archive.cache import ExtractionCache, Memo, cache_key, remembered
from archive.memory import keep_freed_memory
from archive.models import Article, Entity, Extraction, Quote
from archive.nlp import load_pipeline, pipeline_tag
from archive.worker_start import BackgroundPool, fork_server_pool, worker_context

Batch = list[tuple[str, str]]  # (article id, text)


class BatchFuture(Protocol):
    """What a submitted batch returns: a concurrent.futures or a Dask future both fit."""

    def done(self) -> bool: ...

    def result(self) -> list[bytes]: ...


Submit = Callable[[Batch], BatchFuture]


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    model: str = DEFAULT_MODEL
    processes: int = 1
    batch_size: int = 8


DEFAULT_OPTIONS = ExtractOptions()


NO_QUOTES = orjson.dumps({"quotes": [], "entities": []})


def extract_batch(model: str, batch: Batch) -> list[bytes]:
    """Run NLP and quote extraction on a batch: the unit of work for a process or a cluster.

    Text without a single quotation mark skips spaCy: extraction reports only
    quotations and the speakers of quotations, so its result is empty anyway.
    The rest is parsed with the attribute ruler and lemmatizer replaced by
    `archive.attributes` (same annotations, a fifth less time).
    """
    from archive.attributes import parse
    from archive.extract import extract_quotes
    from archive.quotes import find_quote_spans

    out = [NO_QUOTES] * len(batch)
    todo = [i for i, (_, text) in enumerate(batch) if find_quote_spans(text)]
    if not todo:
        return out
    nlp = load_pipeline(model)
    texts = (batch[i][1] for i in todo)
    for i, doc in zip(todo, parse(nlp, texts, batch_size=max(1, len(todo))), strict=True):
        quotes, entities = extract_quotes(doc)
        out[i] = orjson.dumps({"quotes": quotes, "entities": entities})
    return out


def _init_worker(model: str) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    threading.Thread(target=_exit_with_build, daemon=True).start()
    # glibc handed a batch's large activation arrays back to the kernel (munmap, heap
    # trim) and page-faulted them in again for the next batch: about 850 faults per
    # article. Keeping them: 31 faults per article, 7% less CPU (45.1 -> 41.7 ms on
    # 1,600 BBC articles), the same peak RSS (about 510 MiB), but a worker stays near
    # it between batches (380 MiB instead of 185).
    keep_freed_memory(mmap_threshold=64 << 20, trim_threshold=256 << 20)
    load_pipeline(model)


def _exit_with_build() -> None:
    """A worker whose build was killed (SIGKILL skips every cleanup) must not linger.

    The worker's parent is the fork server, which lives as long as its workers hold
    its pipe, so the parent's pid says nothing; the sentinel multiprocessing gives
    every child ends when the process that started it (the build) is gone.
    """
    parent = multiprocessing.parent_process()
    if parent is None:  # not a multiprocessing child: nothing to watch
        return
    multiprocessing.connection.wait([parent.sentinel])
    os._exit(1)


def decode_result(article: Article, raw: bytes, model: str, memo: Memo | None = None) -> Extraction:
    """Turn a cached or fresh NLP result into an Extraction, adding topics.

    Topics are not part of the NLP cache (their keyword lists change on their own
    schedule), but `memo` keeps them by topic data, article content and NLP result.
    """
    data: dict[str, Any] = orjson.loads(raw)
    entities = tuple(
        Entity(
            name=e["name"],
            kind=e["kind"],
            aliases=tuple(e.get("aliases", ())),
            roles=tuple(e.get("roles", ())),
        )
        for e in data.get("entities", ())
    )
    rows = data.get("quotes", ())
    article_topics, quote_topics = _topics(article, raw, rows, memo)
    quotes = tuple(
        Quote(**{**q, "topics": tuple(found)}) for q, found in zip(rows, quote_topics, strict=True)
    )
    return Extraction(
        article=article,
        quotes=quotes,
        entities=entities,
        topics=article_topics,
        model=model,
        extractor=EXTRACTOR_VERSION,
    )


def _topics(
    article: Article, raw: bytes, rows: list[dict[str, Any]], memo: Memo | None
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    from archive.topics import topics_digest, topics_for

    def compute() -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        return topics_for(f"{article.title}\n\n{article.text}"), [
            topics_for(q["text"]) for q in rows
        ]

    if memo is None:
        return compute()
    digest = hashlib.blake2b(topics_digest(), digest_size=20)
    digest.update(article.content_hash.encode())  # title and text
    digest.update(raw)
    whole, each = remembered(
        memo,
        b"topics:" + digest.digest(),
        compute,
        orjson.dumps,
        lambda stored: _topic_lists(orjson.loads(stored)),
    )
    return (whole, each) if len(each) == len(rows) else compute()


def _topic_lists(data: list[Any]) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    whole, each = data
    return tuple(whole), [tuple(t) for t in each]


class _Slot:
    """One article waiting for its result, in input order."""

    __slots__ = ("article", "future", "index", "key", "raw")

    def __init__(self, article: Article, key: str, raw: bytes | None) -> None:
        self.article = article
        self.key = key
        self.raw = raw
        self.future: BatchFuture | None = None
        self.index = 0

    def ready(self) -> bool:
        return self.raw is not None or (self.future is not None and self.future.done())

    def result(self) -> bytes:
        if self.raw is None:
            assert self.future is not None
            self.raw = self.future.result()[self.index]
        return self.raw


class _InlineExecutor:
    """Runs batches in this process when one process is asked for: no pickling, same code path."""

    def submit(self, fn: Callable[..., list[bytes]], *args: Any) -> Future[list[bytes]]:
        future: Future[list[bytes]] = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        return None


def extract_articles(
    articles: Iterable[Article],
    options: ExtractOptions = DEFAULT_OPTIONS,
    cache: ExtractionCache | None = None,
    submit: Submit | None = None,
) -> Iterator[Extraction]:
    """Extract quotes from every article, reusing cached results; yields in input order.

    `submit` lets a caller run batches elsewhere (a Dask cluster); by default
    they run in a local process pool of `options.processes` workers.
    """
    model = pipeline_tag(options.model)  # fails early, with one clear line, if missing
    executor: BackgroundPool | _InlineExecutor | None = None
    if submit is None:
        if options.processes > 1:
            executor = fork_server_pool(
                lambda: ProcessPoolExecutor(
                    max_workers=options.processes,
                    mp_context=worker_context(options.model),
                    initializer=_init_worker,
                    initargs=(options.model,),
                )
            )
        else:
            executor = _InlineExecutor()
        pool = executor

        def submit(batch: Batch) -> BatchFuture:
            return pool.submit(extract_batch, options.model, batch)

    # Batches in flight. Output keeps input order, so the loop waits whenever the oldest
    # batch is not done; with only 3 per worker the workers ran dry behind a slow batch
    # (2.2k cold build: 62.0 s mean wall at 3, 58.0 s at 8, in four runs each).
    window = max(2, 8 * options.processes)
    # Cache hits queue up behind a miss until its NLP is done (output keeps input
    # order). The queue is bounded, but generously: when it is full the loop has to
    # wait for the workers, and an incremental build would wait at every miss. At 2048
    # the reader of a 10k 1% incremental build still stalled behind the first batches
    # (the fork server loads the model meanwhile): 7.17 s mean wall against 6.67 s at
    # 16384, three random changes each. A queued hit holds an article and its result,
    # about 5 KB, so a full queue is about 80 MB.
    max_pending = max(16384, window * options.batch_size * 4)
    # A miss among hits is sent after this many more articles even if its batch is
    # not full, so that workers start (and load the model) while ingest goes on.
    early_flush = 4 * options.batch_size
    slots: deque[_Slot] = deque()
    batch: Batch = []
    batch_slots: list[_Slot] = []
    in_flight: deque[BatchFuture] = deque()

    seen = 0
    misses = 0
    batch_opened = 0  # value of `seen` when the unsubmitted batch got its first article
    # While misses are sparse (an incremental build), the few articles to parse are sent
    # in quarter batches, so that the last of them (new articles come at the end of a
    # feed) are shared among the workers instead of queueing behind one full batch.
    sparse_batch = max(1, options.batch_size // 4)

    def flush_batch() -> None:
        if not batch:
            return
        assert submit is not None
        future = submit(list(batch))
        for i, slot in enumerate(batch_slots):
            slot.future, slot.index = future, i
        in_flight.append(future)
        batch.clear()
        batch_slots.clear()

    def drain(block: bool) -> Iterator[Extraction]:
        while slots and (slots[0].ready() or (block and slots[0].future is not None)):
            slot = slots.popleft()
            raw = slot.result()
            if cache is not None and slot.future is not None:
                cache.put(slot.key, raw)
            yield decode_result(slot.article, raw, model, cache)
        while in_flight and in_flight[0].done():
            in_flight.popleft()

    try:
        for article in articles:
            seen += 1
            key = cache_key(article.content_hash, model)
            raw = cache.get(key) if cache is not None else None
            slot = _Slot(article, key, raw)
            slots.append(slot)
            if raw is None:
                misses += 1
                if not batch:
                    batch_opened = seen
                batch.append((article.id, article.text))
                batch_slots.append(slot)
                full = options.batch_size if 4 * misses > seen else sparse_batch
                if len(batch) >= full:
                    flush_batch()
            if batch and seen - batch_opened >= early_flush:
                flush_batch()
            if len(in_flight) >= window or len(slots) >= max_pending:
                if len(slots) >= max_pending:
                    flush_batch()
                yield from drain(block=True)
            else:
                yield from drain(block=False)
        flush_batch()
        yield from drain(block=True)
    finally:
        if cache is not None:
            cache.flush()
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def extract_one(article: Article, model: str = DEFAULT_MODEL) -> Extraction:
    """Convenience for tests and notebooks: one article, this process, no cache."""
    return next(extract_articles([article], ExtractOptions(model=model)))
