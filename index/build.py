"""Build a new index generation from extraction records, under a lock, then swap it in.

An existing generation is hard-linked and only the articles whose fingerprint changed
are deleted and re-added, so rebuilding an unchanged archive writes no documents (and
builds none: see `index.documents.fingerprint`). Any
failure (exception, Ctrl-C, SIGKILL) leaves the temporary folder behind and CURRENT
untouched: readers keep the previous generation and the next build cleans up.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from whoosh import index as whoosh_index

from archive.models import Speaker
from archive.records import StoredRecord
from index import SCHEMA_VERSION, child_writer, store
from index.child_writer import ARTICLES_LIMIT_MB, QUOTES_LIMIT_MB, ChildWriter
from index.documents import FINGERPRINT, fingerprint, outlet_name, packed, prepare
from index.schema import ARTICLES, F_ARTICLE, QUOTES, article_schema, quote_schema
from index.types import IndexLockedError, IndexStats, WhosaidIndexError


@dataclass(slots=True)
class _Tally:
    written: int = 0
    quotes_written: int = 0
    reused: int = 0
    deleted: int = 0
    duplicates: int = 0
    # article id -> [fingerprint, quote count, outlet]
    entries: dict[str, list[Any]] = field(default_factory=dict)


class _Writers:
    """The articles and quotes writers: each in-process or, for a large build, in a child."""

    def __init__(self, folder: Path, fresh: bool) -> None:
        merge = not fresh
        self.articles = ChildWriter(
            folder / ARTICLES,
            merge=merge,
            limitmb=ARTICLES_LIMIT_MB,
            spawn_after=child_writer.ARTICLES_SPAWN_AFTER,
        )
        self.quotes = ChildWriter(
            folder / QUOTES,
            merge=merge,
            limitmb=QUOTES_LIMIT_MB,
            spawn_after=child_writer.QUOTES_SPAWN_AFTER,
        )

    def commit(self) -> None:
        # Children commit side by side; an in-process writer commits while they work.
        both = sorted((self.quotes, self.articles), key=lambda w: w.in_child)
        for writer in both:
            writer.request_commit()
        for writer in both:
            writer.finish_commit()

    def cancel(self) -> None:
        for writer in (self.articles, self.quotes):
            writer.cancel()


def build_index(
    path: str | Path,
    records: Iterable[StoredRecord],
    speakers: Sequence[Speaker],
    speaker_of: Callable[[str, int], str | None],
    *,
    model: str,
    extractor_version: str,
    lock_timeout: float | None = 0,
    on_article: Callable[[], None] | None = None,
    attach: Mapping[str, Path] | None = None,
) -> IndexStats:
    """Index every article of the archive into a new generation and make it live.

    `lock_timeout` 0 fails at once with IndexLockedError when another build runs;
    None waits for it; a number waits that many seconds. `attach` names files or
    folders (the extraction records, the rejection log) moved into the generation
    before it goes live, so they change in the same atomic swap as the index.
    """
    root = Path(path)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WhosaidIndexError(f"cannot create index folder {root}: {exc.strerror}") from exc
    lock = FileLock(str(root / store.LOCK), timeout=-1 if lock_timeout is None else lock_timeout)
    try:
        lock.acquire()
    except (Timeout, RuntimeError):  # RuntimeError: filelock refuses to wait on its own thread
        raise IndexLockedError(
            f"index at {root} is locked by another build: wait for it to finish"
        ) from None
    try:
        live = store.current_generation(root)
        tmp = store.new_generation_dir(root)  # numbered above stale ones: never reused
        store.remove_stale(root, live)
        try:
            meta = _build_generation(
                tmp,
                live,
                records,
                speakers,
                speaker_of,
                model=model,
                extractor_version=extractor_version,
                on_article=on_article,
            )
            for name, source in (attach or {}).items():
                os.replace(source, tmp / name)
            gen = store.publish(root, tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        store.remove_stale(root, gen)
        return stats_from_meta(root, gen.name, meta)
    finally:
        lock.release()


def _reusable(live: Path | None, model: str, extractor_version: str) -> dict[str, list[Any]]:
    """The live generation's fingerprints when its documents can be kept, else nothing.

    Another schema, model or extractor version changes every document: a fresh build is
    then cheaper than deleting and re-adding them all.
    """
    if live is None:
        return {}
    try:
        meta = store.read_json(live / store.META)
        wanted = (SCHEMA_VERSION, model, extractor_version, FINGERPRINT)
        found = tuple(
            meta.get(key) for key in ("schema_version", "model", "extractor_version", "fingerprint")
        )
        if found != wanted:
            return {}
        fingerprints: dict[str, list[Any]] = store.read_json(live / store.FINGERPRINTS)
    except (OSError, ValueError):
        return {}
    return fingerprints


def _build_generation(
    tmp: Path,
    live: Path | None,
    records: Iterable[StoredRecord],
    speakers: Sequence[Speaker],
    speaker_of: Callable[[str, int], str | None],
    *,
    model: str,
    extractor_version: str,
    on_article: Callable[[], None] | None,
) -> dict[str, Any]:
    old = _reusable(live, model, extractor_version)
    tmp.mkdir(parents=True)
    if old and live is not None:
        store.link_or_copy_tree(live / ARTICLES, tmp / ARTICLES)
        store.link_or_copy_tree(live / QUOTES, tmp / QUOTES)
    else:
        old = {}
        for name, schema in ((ARTICLES, article_schema()), (QUOTES, quote_schema())):
            (tmp / name).mkdir()
            whoosh_index.create_in(str(tmp / name), schema)

    by_id = {s.id: s for s in speakers}
    writers = _Writers(tmp, fresh=not old)
    tally = _Tally()
    try:
        for record in records:
            article_id = record.article_id
            if article_id in tally.entries:
                tally.duplicates += 1
                continue
            digest = fingerprint(
                record.data, speaker_of, by_id, model=model, extractor_version=extractor_version
            )
            _apply(record, digest, old.get(article_id), writers, tally, speaker_of, by_id)
            if on_article is not None:
                on_article()
        for gone in sorted(old.keys() - tally.entries.keys()):
            writers.articles.delete("id", gone)
            writers.quotes.delete(F_ARTICLE, gone)
            tally.deleted += 1
        writers.commit()
    except BaseException:
        writers.cancel()
        raise

    outlets = sorted({entry[2] for entry in tally.entries.values()})
    meta: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "extractor_version": extractor_version,
        "model": model,
        "fingerprint": FINGERPRINT,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "articles": len(tally.entries),
        "quotes": sum(entry[1] for entry in tally.entries.values()),
        "speakers": len(speakers),
        "outlets": outlets,
        "written": {
            "articles": tally.written,
            "quotes": tally.quotes_written,
            "reused": tally.reused,
            "deleted": tally.deleted,
            "duplicates": tally.duplicates,
            "incremental": bool(old),
        },
    }
    store.write_json(tmp / store.SPEAKERS, [asdict(s) for s in speakers])
    store.write_json(tmp / store.FINGERPRINTS, tally.entries)
    store.write_json(tmp / store.META, meta)  # last: a generation is complete once it has meta
    return meta


def _apply(
    record: StoredRecord,
    digest: str,
    old: list[Any] | None,
    writers: _Writers,
    tally: _Tally,
    speaker_of: Callable[[str, int], str | None],
    by_id: Mapping[str, Speaker],
) -> None:
    """Keep the article's documents when its fingerprint matches, else (re)write them."""
    article = record.data["article"]
    quotes = record.data.get("quotes") or ()
    tally.entries[record.article_id] = [digest, len(quotes), outlet_name(article["outlet"])]
    if old is not None and old[0] == digest:
        tally.reused += 1
        return
    prepared = prepare(record.extraction(), speaker_of, by_id)
    if old is not None:
        writers.articles.delete("id", prepared.id)
        writers.quotes.delete(F_ARTICLE, prepared.id)
    writers.articles.add(packed(prepared.article))
    for doc in prepared.quotes:
        writers.quotes.add(packed(doc))
    tally.written += 1
    tally.quotes_written += len(prepared.quotes)


def stats_from_meta(root: Path, generation: str, meta: dict[str, Any]) -> IndexStats:
    return IndexStats(
        path=str(root),
        generation=generation,
        built_at=str(meta.get("built_at", "")),
        articles=int(meta.get("articles", 0)),
        quotes=int(meta.get("quotes", 0)),
        speakers=int(meta.get("speakers", 0)),
        schema_version=str(meta.get("schema_version", "0")),
        extractor_version=str(meta.get("extractor_version", "")),
        model=str(meta.get("model", "")),
        outlets=tuple(meta.get("outlets", ())),
    )
