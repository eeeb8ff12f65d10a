"""Turn one extraction record into the Whoosh documents written for it, and fingerprint it.

The fingerprint hashes everything the documents are made from: the stored record,
how each quote's speaker resolves in this build, the extractor version and model.
So an unchanged article is recognised without building its documents, and an
incremental build rewrites an article whenever its documents could differ. The one
exception is the source path, which counts by the file it names.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from archive.models import UNKNOWN_OUTLET, Extraction, Speaker
from index.schema import F_ARTICLE, F_DAY, F_OUTLET, F_SPEAKER, F_SPEECH, F_TOPIC

SpeakerOf = Callable[[str, int], "str | None"]

NO_DAY = "00000000"
# Names the fingerprint's recipe: a live generation fingerprinted another way is rebuilt.
FINGERPRINT = "record-1"


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    id: str
    article: dict[str, Any]  # Whoosh fields of the article document, `data` not yet packed
    quotes: tuple[dict[str, Any], ...]  # the same for each quote document


def day_key(date: str | None, fill: str = "00") -> str:
    """`2023-12-05` -> `20231205`; partial dates fill the missing parts (`2023` -> `20230000`).

    Anything that is not a date gives `NO_DAY`, so it sorts last and never passes a filter.
    """
    if not date:
        return NO_DAY
    parts = date.strip()[:10].split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4 or len(parts) > 3:
        return NO_DAY
    out = parts[0]
    for part in parts[1:3]:
        if not part.isdigit() or not 1 <= len(part) <= 2:
            return NO_DAY
        out += part.zfill(2)
    return out + fill * (3 - len(parts))


def pack(data: dict[str, Any]) -> bytes:
    """Stored payload: orjson then zlib, since article bodies dominate index size."""
    return zlib.compress(orjson.dumps(data), 1)


def packed(doc: dict[str, Any]) -> dict[str, Any]:
    """The document as written: its `data` packed (done only for documents that change)."""
    return {**doc, "data": pack(doc["data"])}


def unpack(blob: bytes) -> dict[str, Any]:
    result: dict[str, Any] = orjson.loads(zlib.decompress(blob))
    return result


def outlet_name(outlet: str) -> str:
    return outlet.strip() or UNKNOWN_OUTLET


def fingerprint(
    record: Mapping[str, Any],
    speaker_of: SpeakerOf,
    speakers: Mapping[str, Speaker],
    *,
    model: str,
    extractor_version: str,
) -> str:
    """A digest of what `prepare` builds the article's documents from (see the module doc)."""
    article = record["article"]
    entities = record.get("entities") or ()
    resolved: list[Any] = []
    for quote in record.get("quotes") or ():
        index = _entity_index(quote.get("entity"), len(entities))
        sid = speaker_of(article["id"], index) if index is not None else None
        canonical = speakers.get(sid) if sid else None
        resolved.append([sid, canonical.name, canonical.kind] if canonical else sid)
    # The source counts by the file it names: a path spelled another way rewrites nothing.
    source = article.get("origin") or article.get("source")
    identity = {**record, "article": {**article, "source": source}}
    payload = orjson.dumps([FINGERPRINT, extractor_version, model, identity, resolved])
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


def _entity_index(entity: Any, entities: int) -> int | None:
    """The quote's entity index when it points at one of the article's entities."""
    return entity if isinstance(entity, int) and 0 <= entity < entities else None


def _commas(values: list[str]) -> str:
    """KEYWORD(commas=True) value: commas inside a value would split it, so they go."""
    return ",".join(v.replace(",", " ") for v in values if v)


def prepare(
    extraction: Extraction,
    speaker_of: SpeakerOf,
    speakers: Mapping[str, Speaker],
) -> PreparedArticle:
    art = extraction.article
    entities = extraction.entities
    topics = list(dict.fromkeys(extraction.topics))
    day = day_key(art.date)
    outlet = outlet_name(art.outlet)

    quote_docs: list[dict[str, Any]] = []
    quote_data: list[dict[str, Any]] = []
    speaker_ids: list[str] = []
    speaker_names: list[str] = []
    for n, quote in enumerate(extraction.quotes):
        index = _entity_index(quote.entity, len(entities))
        entity = entities[index] if index is not None else None
        sid = speaker_of(art.id, index) if index is not None else None
        canonical = speakers.get(sid) if sid else None
        name = canonical.name if canonical else (entity.name if entity and sid else None)
        kind = canonical.kind if canonical else (entity.kind if entity else "unnamed")
        if sid and sid not in speaker_ids:
            speaker_ids.append(sid)
            speaker_names.append(name or sid)
        qtopics = list(dict.fromkeys(quote.topics))
        data = {
            "id": f"{art.id}#{n}",
            "article_id": art.id,
            "article_title": art.title,
            "text": quote.text,
            "start": quote.start,
            "end": quote.end,
            "speaker_id": sid,
            "speaker": name,
            "speaker_mention": quote.speaker_mention,
            "kind": kind,
            "cue": quote.cue,
            "how": quote.how,
            "speech": quote.speech,
            "outlet": outlet,
            "date": art.date,
            "topics": qtopics,
        }
        quote_data.append(data)
        quote_docs.append(
            {
                "id": data["id"],
                "text": quote.text,
                "speaker": name or "",
                "mention": quote.speaker_mention or "",
                "title": art.title,
                "outlet": outlet,
                "topic": " ".join(qtopics),
                "cue": quote.cue or "",
                F_SPEAKER: _commas([sid] if sid else []),
                F_OUTLET: outlet,
                F_TOPIC: _commas(qtopics),
                F_DAY: day,
                F_SPEECH: "1" if quote.speech else "0",
                F_ARTICLE: art.id,
            }
        )

    article_data = {
        "id": art.id,
        "title": art.title,
        "text": art.text,
        "outlet": outlet,
        "byline": art.byline,
        "date": art.date,
        "url": art.url,
        "source": art.source,
        "encoding": art.encoding,
        "topics": topics,
        "speaker_ids": speaker_ids,
        "speakers": speaker_names,
        "quote_count": len(quote_docs),
    }
    article_doc: dict[str, Any] = {
        "id": art.id,
        "title": art.title,
        "text": art.text,
        "speaker": " ; ".join(speaker_names),
        "outlet": outlet,
        "topic": " ".join(topics),
        "byline": art.byline or "",
        F_SPEAKER: _commas(speaker_ids),
        F_OUTLET: outlet,
        F_TOPIC: _commas(topics),
        F_DAY: day,
    }
    article_doc["data"] = article_data
    for doc, data in zip(quote_docs, quote_data, strict=True):
        doc["data"] = data
    return PreparedArticle(art.id, article_doc, tuple(quote_docs))
