"""Inputs to extraction records: ingest, drop duplicates, extract, write shards.

Every input ends as exactly one of indexed, duplicate or rejected, and the
rejections go to one JSONL file, so `inputs == indexed + duplicates + rejected`
can always be checked.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import orjson

from archive import row_memo
from archive.cache import ExtractionCache, Memo, remembering
from archive.dedupe import DuplicateFilter
from archive.ingest import iter_inputs
from archive.models import Article, Extraction, Rejection
from archive.pipeline import DEFAULT_OPTIONS, ExtractOptions, Submit, extract_articles
from archive.records import ShardWriter


@dataclass(slots=True)
class CollectReport:
    inputs: int = 0
    articles: int = 0
    duplicates: int = 0
    rejected: int = 0
    quotes: int = 0
    extracted: int = 0  # articles that needed NLP (cache misses)
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return self.inputs == self.articles + self.duplicates + self.rejected


class RejectionLog:
    """Appends rejections and duplicates to errors.jsonl as they happen (file, line, reason)."""

    def __init__(self, path: Path | None, keep: int = 1000) -> None:
        self.path = path
        self.keep = keep
        self._file: IO[bytes] | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(path, "wb")  # noqa: SIM115 - closed in close()

    def write(self, rejection: Rejection, status: str, report: CollectReport) -> None:
        if len(report.rejections) < self.keep:
            report.rejections.append(rejection)
        if self._file is not None:
            row = {
                "file": rejection.source,
                "line": rejection.line,
                "status": status,
                "reason": rejection.reason,
            }
            self._file.write(orjson.dumps(row) + b"\n")

    def close(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None


def _rejection(article: Article, reason: str) -> Rejection:
    """A rejection naming the file and, for JSONL rows (`path:LINE`), the line."""
    path, _, line = article.source.rpartition(":")
    if path and line.isdigit():
        return Rejection(source=path, reason=reason, line=int(line))
    return Rejection(source=article.source, reason=reason)


def _articles(
    paths: Iterable[str | Path],
    report: CollectReport,
    log: RejectionLog,
    on_input: Callable[[], None] | None,
    memo: Memo | None,
) -> Iterator[Article]:
    duplicates = DuplicateFilter(memo=memo)
    for item in iter_inputs(paths):
        report.inputs += 1
        if on_input is not None:
            on_input()
        if isinstance(item, Rejection):
            report.rejected += 1
            log.write(item, "rejected", report)
            continue
        reason = duplicates.check(item)
        if reason is not None:
            report.duplicates += 1
            log.write(_rejection(item, reason), "duplicate", report)
            continue
        report.articles += 1
        yield item


def collect(
    paths: Iterable[str | Path],
    records_dir: Path,
    *,
    options: ExtractOptions = DEFAULT_OPTIONS,
    cache: ExtractionCache | None = None,
    errors_path: Path | None = None,
    on_input: Callable[[], None] | None = None,
    on_extraction: Callable[[Extraction], None] | None = None,
    submit: Submit | None = None,
) -> CollectReport:
    """Ingest and extract everything under `paths` into fresh record shards in `records_dir`."""
    report = CollectReport()
    log = RejectionLog(errors_path)
    writer = ShardWriter(records_dir)
    misses_before = cache.misses if cache is not None else 0
    if cache is not None:
        cache.prune_memo(row_memo.FAMILY, row_memo.key_prefix())
    try:
        articles = _articles(paths, report, log, on_input, cache)
        with remembering(cache):
            for extraction in extract_articles(articles, options, cache, submit):
                writer.write(extraction)
                report.quotes += len(extraction.quotes)
                if on_extraction is not None:
                    on_extraction(extraction)
    except BaseException:
        writer.abort()
        raise
    finally:
        log.close()
    writer.commit()
    report.extracted = (cache.misses - misses_before) if cache is not None else report.articles
    return report
