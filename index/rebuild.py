"""The whole build, files to live index: the one function the CLI, the TUI tests and benches call.

Layout of an index folder: `gen-N/` + `CURRENT` (index/build.py), `records/`
(extraction shards of the live build), `cache.sqlite` (NLP results by
content), `errors.jsonl` (what was rejected or skipped, and why).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from archive import EXTRACTOR_VERSION
from archive.cache import ExtractionCache
from archive.collect import CollectReport, collect
from archive.models import Extraction, Rejection
from archive.pipeline import DEFAULT_OPTIONS, ExtractOptions, Submit
from archive.records import count_records, read_records
from archive.speakers import SpeakerDirectory
from index.build import build_index
from index.types import IndexLockedError, IndexStats

RECORDS = "records"
NEXT_RECORDS = "records.next"
CACHE = "cache.sqlite"
ERRORS = "errors.jsonl"
NEXT_ERRORS = "errors.jsonl.next"
BUILD_LOCK = ".build.lock"


@dataclass(frozen=True, slots=True)
class BuildReport:
    inputs: int
    articles: int
    duplicates: int
    rejected: int
    quotes: int
    speakers: int
    extracted: int
    seconds: float
    errors_path: str
    rejections: tuple[Rejection, ...]
    stats: IndexStats


class Progress:
    """Callbacks a front end can override to show progress; the default shows nothing."""

    def stage(self, name: str, total: int | None) -> None:
        """A new stage starts: 'reading', 'extracting' or 'indexing'."""

    def advance(self, name: str, amount: int = 1) -> None:
        """One more unit of the stage is done."""


def _lock(index_path: Path, timeout: float | None) -> FileLock:
    index_path.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index_path / BUILD_LOCK))
    try:
        lock.acquire(timeout=-1 if timeout is None else timeout)
    except Timeout:
        raise IndexLockedError(
            f"another build is running on {index_path}: wait for it, or pass --wait"
        ) from None
    return lock


def index_records(
    index_path: Path,
    records_dir: Path,
    *,
    model: str,
    progress: Progress | None = None,
) -> IndexStats:
    """Canonicalise speakers over the records, then write a new index generation from them."""
    progress = progress or Progress()
    directory = SpeakerDirectory()
    for extraction in read_records(records_dir):
        directory.add(extraction)
    progress.stage("indexing", count_records(records_dir))

    def advance() -> None:
        progress.advance("indexing")

    return build_index(
        index_path,
        read_records(records_dir),
        directory.speakers(),
        directory.speaker_id,
        model=model,
        extractor_version=EXTRACTOR_VERSION,
        lock_timeout=None,
        on_article=advance,
    )


def build_archive(
    paths: Iterable[str | Path],
    index_path: str | Path,
    *,
    options: ExtractOptions = DEFAULT_OPTIONS,
    progress: Progress | None = None,
    lock_timeout: float | None = 0,
    use_cache: bool = True,
    submit: Submit | None = None,
) -> BuildReport:
    """Ingest, extract (reusing cached NLP) and index; the live index changes only at the end."""
    started = time.perf_counter()
    index_path = Path(index_path)
    progress = progress or Progress()
    lock = _lock(index_path, lock_timeout)
    try:
        next_records = index_path / NEXT_RECORDS
        cache = ExtractionCache(index_path / CACHE) if use_cache else None
        models: set[str] = set()

        def on_extraction(extraction: Extraction) -> None:
            models.add(extraction.model)
            progress.advance("extracting")

        progress.stage("extracting", None)
        try:
            report: CollectReport = collect(
                paths,
                next_records,
                options=options,
                cache=cache,
                errors_path=index_path / NEXT_ERRORS,
                on_extraction=on_extraction,
                submit=submit,
            )
        finally:
            if cache is not None:
                cache.close()
        model = ",".join(sorted(models)) or options.model
        stats = index_records(index_path, next_records, model=model, progress=progress)
        _publish_records(index_path)
        os.replace(index_path / NEXT_ERRORS, index_path / ERRORS)
        return BuildReport(
            inputs=report.inputs,
            articles=report.articles,
            duplicates=report.duplicates,
            rejected=report.rejected,
            quotes=report.quotes,
            speakers=stats.speakers,
            extracted=report.extracted,
            seconds=time.perf_counter() - started,
            errors_path=str(index_path / ERRORS),
            rejections=tuple(report.rejections),
            stats=stats,
        )
    finally:
        lock.release()


def _publish_records(index_path: Path) -> None:
    live, new, old = index_path / RECORDS, index_path / NEXT_RECORDS, index_path / "records.old"
    shutil.rmtree(old, ignore_errors=True)
    if live.exists():
        os.replace(live, old)
    os.replace(new, live)
    shutil.rmtree(old, ignore_errors=True)


def reindex(
    index_path: str | Path, *, progress: Progress | None = None, lock_timeout: float | None = 0
) -> IndexStats:
    """Rebuild the index from the live records, without NLP (after a schema change)."""
    index_path = Path(index_path)
    records = index_path / RECORDS
    if not records.is_dir():
        from index.types import IndexMissingError

        raise IndexMissingError(
            f"no extraction records in {index_path}: run `whosaid build PATH --index {index_path}`"
        )
    lock = _lock(index_path, lock_timeout)
    try:
        models = {e.model for e in read_records(records)}
        return index_records(index_path, records, model=",".join(sorted(models)), progress=progress)
    finally:
        lock.release()
