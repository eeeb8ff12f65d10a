"""The whole build, files to live index: the one function the CLI, the TUI tests and benches call.

Layout of an index folder: `CURRENT` naming the live `gen-N/` (index/build.py),
which also holds `records/` (the extraction shards it was built from) and
`errors.jsonl` (what was rejected or skipped, and why), so all three change in
one atomic swap; `errors.jsonl` beside `CURRENT` is a copy for people to read;
`cache.sqlite` keeps NLP results by content across builds.
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
from archive.memory import return_freed_memory
from archive.models import Extraction, Rejection
from archive.pipeline import DEFAULT_OPTIONS, ExtractOptions, Submit
from archive.records import count_records, read_records, read_stored
from archive.speakers import SpeakerDirectory
from index.build import build_index
from index.store import META, current_generation, link_or_copy_tree, read_json
from index.types import IndexLockedError, IndexMissingError, IndexStats

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

    def waiting(self, message: str) -> None:
        """The build waits for another one to release the index."""


def _lock(index_path: Path, timeout: float | None, progress: Progress) -> FileLock:
    index_path.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index_path / BUILD_LOCK))
    try:
        lock.acquire(timeout=0)
        return lock
    except Timeout:
        if timeout is not None and timeout <= 0:
            raise IndexLockedError(
                f"another build is running on {index_path}: wait for it, or pass --wait"
            ) from None
    progress.waiting(f"waiting for another build on {index_path} to finish")
    try:
        lock.acquire(timeout=-1 if timeout is None else timeout)
    except Timeout:
        raise IndexLockedError(
            f"another build still runs on {index_path} after {timeout:g}s"
        ) from None
    return lock


def index_records(
    index_path: Path,
    records_dir: Path,
    *,
    model: str,
    progress: Progress | None = None,
    errors: Path | None = None,
    directory: SpeakerDirectory | None = None,
) -> IndexStats:
    """Canonicalise speakers over the records, then write a new index generation from them.

    The records folder (and the rejection log) move into the new generation.
    A build passes the `directory` it filled while extracting, which saves
    reading every record twice.
    """
    progress = progress or Progress()
    if directory is None:
        directory = SpeakerDirectory()
        for extraction in read_records(records_dir):
            directory.add(extraction)
    progress.stage("indexing", count_records(records_dir))

    def advance() -> None:
        progress.advance("indexing")

    attach = {RECORDS: records_dir}
    if errors is not None:
        attach[ERRORS] = errors
    return build_index(
        index_path,
        read_stored(records_dir),
        directory.speakers(),
        directory.speaker_id,
        model=model,
        extractor_version=EXTRACTOR_VERSION,
        lock_timeout=None,
        on_article=advance,
        attach=attach,
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
    lock = _lock(index_path, lock_timeout, progress)
    try:
        next_records = index_path / NEXT_RECORDS
        cache = ExtractionCache(index_path / CACHE) if use_cache else None
        models: set[str] = set()
        directory = SpeakerDirectory()

        def on_extraction(extraction: Extraction) -> None:
            models.add(extraction.model)
            directory.add(extraction)
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
        # The duplicate filter and the row memo are garbage now, but glibc would keep
        # their memory through indexing, beside the two writer processes: at 100k
        # articles the parent held 366 MiB while indexing instead of 277.
        return_freed_memory()
        model = ",".join(sorted(models)) or options.model
        stats = index_records(
            index_path,
            next_records,
            model=model,
            progress=progress,
            errors=index_path / NEXT_ERRORS,
            directory=directory,
        )
        _copy_errors(index_path)
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


def _copy_errors(index_path: Path) -> None:
    """Refresh the readable copy of the live generation's rejection log, atomically."""
    live = current_generation(index_path)
    if live is None or not (live / ERRORS).is_file():
        return
    tmp = index_path / f"{ERRORS}.tmp"
    shutil.copyfile(live / ERRORS, tmp)
    os.replace(tmp, index_path / ERRORS)


def live_records(index_path: Path) -> Path | None:
    """The extraction records the live index was built from."""
    live = current_generation(index_path)
    return live / RECORDS if live is not None and (live / RECORDS).is_dir() else None


def reindex(
    index_path: str | Path, *, progress: Progress | None = None, lock_timeout: float | None = 0
) -> IndexStats:
    """Rebuild the index from the live records, without NLP (after a schema change)."""
    index_path = Path(index_path)
    lock = _lock(index_path, lock_timeout, progress or Progress())
    try:
        records = live_records(index_path)
        if records is None:
            raise IndexMissingError(
                f"no extraction records in {index_path}: "
                f"run `whosaid build PATH --index {index_path}`"
            )
        meta = read_json(records.parent / META)
        next_records = index_path / NEXT_RECORDS
        shutil.rmtree(next_records, ignore_errors=True)
        link_or_copy_tree(records, next_records)  # the live generation stays untouched
        errors = records.parent / ERRORS
        next_errors = index_path / NEXT_ERRORS
        if errors.is_file():
            shutil.copyfile(errors, next_errors)
        return index_records(
            index_path,
            next_records,
            model=str(meta.get("model", "")),
            progress=progress,
            errors=next_errors if errors.is_file() else None,
        )
    finally:
        lock.release()
