"""The public shapes of the search API: what the CLI and the TUI send and get back.

Nothing here mentions Whoosh, so front ends depend on these and on
`index.search.open_index` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from archive.models import Article, Speaker

Target = Literal["articles", "quotes"]
SortOrder = Literal["relevance", "date", "date_asc"]
FACET_NAMES: tuple[str, ...] = ("speaker", "outlet", "topic")

Span = tuple[int, int]
"""A highlighted match: start and end offsets into the text it belongs to."""


class WhosaidIndexError(Exception):
    """Base for index problems a user can act on; `str()` is one line for the terminal."""


class IndexMissingError(WhosaidIndexError):
    """No index at the given place: the message names the build command."""


class IndexVersionError(WhosaidIndexError):
    """Built by an incompatible version: the message names the rebuild command."""


class IndexLockedError(WhosaidIndexError):
    """Another build holds the lock on this index."""


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """One search. Empty `text` matches everything (browse by facets alone).

    Filter values are facet values (speaker ids, outlet names, topic names);
    a speaker given as a free name (`villagran`, `Lopez Obrador`) is resolved
    tolerantly. Several values in one facet are OR-ed; facets are AND-ed.
    """

    text: str = ""
    target: Target = "articles"
    speakers: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    date_from: str | None = None  # inclusive, yyyy-mm-dd (or yyyy, yyyy-mm)
    date_to: str | None = None  # inclusive
    sort: SortOrder = "relevance"
    limit: int = 20
    offset: int = 0
    facet_limit: int = 30
    with_facets: bool = True
    speech_only: bool = True  # quotes target: hide quoted non-speech (titles, slogans)


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str  # what a filter takes
    label: str  # what a person reads
    count: int


@dataclass(frozen=True, slots=True)
class Facet:
    name: str  # one of FACET_NAMES
    values: tuple[FacetValue, ...]
    other: int = 0  # how many more distinct values were cut by facet_limit


@dataclass(frozen=True, slots=True)
class QuoteHit:
    id: str  # "<article id>#<n>"
    article_id: str
    article_title: str
    text: str
    start: int
    end: int
    speaker_id: str | None
    speaker: str | None
    speaker_mention: str | None
    kind: str
    cue: str | None
    how: str
    speech: bool
    outlet: str
    date: str | None
    topics: tuple[str, ...] = ()
    score: float = 0.0
    highlights: tuple[Span, ...] = ()  # into `text`


@dataclass(frozen=True, slots=True)
class ArticleHit:
    id: str
    title: str
    outlet: str
    byline: str | None
    date: str | None
    topics: tuple[str, ...]
    speakers: tuple[str, ...]  # display names
    quote_count: int
    score: float = 0.0
    snippet: str = ""
    highlights: tuple[Span, ...] = ()  # into `snippet`
    title_highlights: tuple[Span, ...] = ()  # into `title`


@dataclass(frozen=True, slots=True)
class SearchResult:
    request: SearchRequest
    total: int
    articles: tuple[ArticleHit, ...] = ()
    quotes: tuple[QuoteHit, ...] = ()
    facets: tuple[Facet, ...] = ()
    note: str | None = None  # e.g. "query syntax error: searched the words instead"
    elapsed_ms: float = 0.0

    def facet(self, name: str) -> Facet | None:
        return next((f for f in self.facets if f.name == name), None)


@dataclass(frozen=True, slots=True)
class ArticleView:
    """An article for reading: full text and every quote, with canonical speakers."""

    article: Article
    quotes: tuple[QuoteHit, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SpeakerView:
    speaker: Speaker
    quotes: tuple[QuoteHit, ...]


@dataclass(frozen=True, slots=True)
class IndexStats:
    path: str
    generation: str
    built_at: str  # ISO timestamp
    articles: int
    quotes: int
    speakers: int
    schema_version: str
    extractor_version: str
    model: str
    outlets: tuple[str, ...] = field(default_factory=tuple)


class SearchIndex(Protocol):
    """What `index.search.open_index` returns: the only way front ends read an index.

    Safe to keep open across rebuilds: each call answers from the newest
    complete generation.
    """

    def search(self, request: SearchRequest) -> SearchResult: ...

    def article(self, article_id: str) -> ArticleView | None: ...

    def speaker(self, speaker_id: str) -> SpeakerView | None: ...

    def speakers(self) -> tuple[Speaker, ...]: ...

    def find_speakers(self, name: str) -> tuple[Speaker, ...]:
        """Accent-, case- and surname-tolerant lookup, best match first."""
        ...

    def stats(self) -> IndexStats: ...

    def close(self) -> None: ...
