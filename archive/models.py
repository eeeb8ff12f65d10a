"""The data that moves between ingest, extraction, indexing and the front ends.

Every stage hands the next one small frozen dataclasses; `to_json`/`from_json`
give their one serialised form (orjson), used by the extraction cache, the
record shards and `whosaid extract`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from typing import Any, Literal, TypeVar

import orjson

SpeakerKind = Literal["person", "organisation", "unnamed"]
How = Literal["direct", "partial", "pronoun", "role", "floating", "context", "none"]

UNKNOWN_OUTLET = "unknown"


@dataclass(frozen=True, slots=True)
class Article:
    """One news article after ingest.

    `text` is the cleaned body; every character offset elsewhere in the
    system points into it. The title is kept apart so offsets stay stable
    whether or not a reader shows it.
    """

    id: str
    title: str
    text: str
    outlet: str = UNKNOWN_OUTLET
    byline: str | None = None
    date: str | None = None  # ISO 8601 date, yyyy-mm-dd
    url: str | None = None
    source: str = ""  # file path, with ":LINE" for JSONL rows
    encoding: str | None = None  # detected encoding of the source file
    # The source's real path (and ":LINE"), however it was spelled: what an incremental
    # build compares, so `news/a.jsonl` after `/srv/news/a.jsonl` rewrites nothing.
    origin: str = ""

    @property
    def content_hash(self) -> str:
        """Key for the extraction cache: changes whenever extraction input does."""
        digest = hashlib.blake2b(digest_size=16)
        for part in (self.title, self.text):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
        return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Entity:
    """A speaker as one article knows them: the fullest name it uses, and its variants."""

    name: str
    kind: SpeakerKind
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation found in an article.

    `entity` indexes `Extraction.entities`; None means no recoverable speaker.
    `speaker_mention` is the attribution phrase as written (`he`, `the Mexican
    president`, `U.S. officials`), kept even when it names nobody.
    """

    text: str
    start: int
    end: int
    speech: bool = True
    speaker_mention: str | None = None
    entity: int | None = None
    cue: str | None = None
    how: How = "none"
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article: the unit of caching and of record shards."""

    article: Article
    quotes: tuple[Quote, ...] = ()
    entities: tuple[Entity, ...] = ()
    topics: tuple[str, ...] = ()
    model: str = ""
    extractor: str = ""


@dataclass(frozen=True, slots=True)
class Speaker:
    """A canonical speaker across the archive."""

    id: str
    name: str
    kind: SpeakerKind
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    quote_count: int = 0
    article_count: int = 0
    outlets: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that did not become an article, and why (one line, for errors.jsonl)."""

    source: str
    reason: str
    line: int | None = None


T = TypeVar("T")


def to_dict(obj: Any) -> dict[str, Any]:
    return asdict(obj)


def to_json(obj: Any) -> bytes:
    return orjson.dumps(obj)


@cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


def _build(cls: type[T], data: dict[str, Any]) -> T:
    names = _field_names(cls)  # type: ignore[arg-type]
    kwargs = {k: v for k, v in data.items() if k in names}
    for key, value in kwargs.items():
        if isinstance(value, list):
            kwargs[key] = tuple(value)
    return cls(**kwargs)


def article_from_dict(data: dict[str, Any]) -> Article:
    return _build(Article, data)


def speaker_from_dict(data: dict[str, Any]) -> Speaker:
    return _build(Speaker, data)


def extraction_from_dict(data: Mapping[str, Any]) -> Extraction:
    return Extraction(
        article=article_from_dict(data["article"]),
        quotes=tuple(_build(Quote, q) for q in data.get("quotes", ())),
        entities=tuple(_build(Entity, e) for e in data.get("entities", ())),
        topics=tuple(data.get("topics", ())),
        model=data.get("model", ""),
        extractor=data.get("extractor", ""),
    )


def extraction_from_json(raw: bytes | str) -> Extraction:
    return extraction_from_dict(orjson.loads(raw))
