"""Quotes as flat rows for `whosaid extract`: what researchers pipe into their own tools."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from archive.models import Extraction, Speaker


def quote_rows(
    extraction: Extraction,
    speaker_id: Callable[[str, int], str | None],
    speakers: Mapping[str, Speaker],
) -> Iterator[dict[str, Any]]:
    """One row per quote, with the canonical speaker when the archive knows one."""
    article = extraction.article
    for quote in extraction.quotes:
        entity = extraction.entities[quote.entity] if quote.entity is not None else None
        sid = speaker_id(article.id, quote.entity) if quote.entity is not None else None
        speaker = speakers.get(sid) if sid is not None else None
        yield {
            "article": article.id,
            "source": article.source,
            "outlet": article.outlet,
            "date": article.date,
            "quote": quote.text,
            "start": quote.start,
            "end": quote.end,
            "speaker": speaker.name if speaker else (entity.name if entity else None),
            "speaker_mention": quote.speaker_mention,
            "speaker_id": sid,
            "kind": speaker.kind if speaker else (entity.kind if entity else "unnamed"),
            "cue": quote.cue,
            "how": quote.how,
            "speech": quote.speech,
            "topics": list(quote.topics),
        }
