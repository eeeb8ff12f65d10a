"""Segment upkeep for incremental commits: drop dead segments, rewrite mostly dead ones.

An incremental build deletes the documents of changed articles and adds new
ones in a fresh segment. Whoosh's default policy (MERGE_SMALL) merges segments
by document count, deleted ones included, so a large segment whose articles
were all rewritten stays on disk for ever, and every search still walks its
postings. Measured here: after a few rebuilds that rewrote most of a 10k
archive, its index had grown from 96 MB to 507 MB, five dead segments of ten
thousand documents each. This policy drops segments with nothing live, rewrites
those with a third or more deleted (the share Lucene's TieredMergePolicy allows
by default), and leaves the rest to MERGE_SMALL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader
from whoosh.writing import MERGE_SMALL

DEAD_SHARE_REWRITTEN = 1 / 3
_MERGE_SMALL: Any = MERGE_SMALL  # whoosh is untyped


def tidy_merge(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: returns the segments kept as they are."""
    kept = []
    for segment in segments:
        total, dead = segment.doc_count_all(), segment.deleted_count()
        if dead >= total:
            continue  # nothing live: its files go when the new table of contents is written
        if dead >= total * DEAD_SHARE_REWRITTEN:  # total > 0 here, so dead > 0 too
            reader = SegmentReader(writer.storage, writer.schema, segment)
            try:
                writer.add_reader(reader)  # copies the live documents only
            finally:
                reader.close()
        else:
            kept.append(segment)
    result: list[Any] = _MERGE_SMALL(writer, kept)
    return result


@dataclass(frozen=True, slots=True)
class SegmentCounts:
    segments: int
    documents: int  # stored, deleted ones included
    deleted: int


def segment_counts(folder: str | Path) -> SegmentCounts:
    """How much of one Whoosh index (an `articles` or `quotes` folder) is dead weight."""
    ix: Any = whoosh_index.open_dir(str(folder))
    try:
        segments = ix._segments()  # whoosh has no public accessor for the segment list
        return SegmentCounts(
            segments=len(segments),
            documents=sum(s.doc_count_all() for s in segments),
            deleted=sum(s.deleted_count() for s in segments),
        )
    finally:
        ix.close()
