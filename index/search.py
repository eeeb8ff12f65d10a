"""The read side of the index: `open_index` and the `SearchIndex` the CLI and the TUI use.

Every call first checks CURRENT and moves to a newer generation when a build swapped
one in (Whoosh's `refresh()` does not follow a swap). A call that loses its files to a
concurrent clean-up is retried once on the newest generation, so no query fails.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from archive.models import Article, Speaker
from archive.speakers import match_speakers
from archive.text import fold
from archive.topics import all_topics
from index import SCHEMA_VERSION, store
from index.build import stats_from_meta
from index.documents import unpack
from index.facets import BoolArray, IntArray
from index.generation import Generation, Side
from index.highlight import Highlighter, snippet
from index.query import date_bound
from index.schema import ARTICLES, F_ARTICLE, F_SPEAKER, QUOTES
from index.scoring import top
from index.types import (
    ArticleHit,
    ArticleView,
    Facet,
    IndexMissingError,
    IndexStats,
    IndexVersionError,
    QuoteHit,
    SearchIndex,
    SearchRequest,
    SearchResult,
    SpeakerView,
    WhosaidIndexError,
)

T = TypeVar("T")
MAX_LIMIT = 1000
MAX_SPEAKER_MATCHES = 50


def open_index(path: str | Path) -> SearchIndex:
    """Open the live generation at `path`; raises IndexMissingError or IndexVersionError."""
    return WhooshSearchIndex(Path(path))


def _rebuild_hint(root: Path) -> str:
    return f"run `whosaid build PATH --index {root}`"


def _open_live(root: Path) -> Generation:
    gen = store.current_generation(root)
    if gen is None:
        if root.is_dir() and any(root.glob("_MAIN_*.toc")):
            raise IndexVersionError(
                f"index at {root} was built by an incompatible version "
                f"(schema 0, this is {SCHEMA_VERSION}): {_rebuild_hint(root)} to rebuild it"
            )
        raise IndexMissingError(f"no index at {root}: {_rebuild_hint(root)} to create it")
    try:
        version = str(store.read_json(gen / store.META).get("schema_version", "0"))
    except (FileNotFoundError, NotADirectoryError):
        raise  # removed by a build's clean-up since CURRENT was read: the caller retries
    except (OSError, ValueError):
        version = "0"
    if version != SCHEMA_VERSION:
        raise IndexVersionError(
            f"index at {root} was built by an incompatible version "
            f"(schema {version}, this is {SCHEMA_VERSION}): {_rebuild_hint(root)} to rebuild it"
        )
    try:
        return Generation(gen)
    except (FileNotFoundError, NotADirectoryError):
        raise  # maybe a swap and clean-up under us: the caller retries, then calls it damage
    except Exception as exc:  # a file missing or corrupt: whatever Whoosh or orjson raise
        raise WhosaidIndexError(
            f"index at {root} is damaged ({gen.name}: {_one_line(exc)}): "
            f"{_rebuild_hint(root)} to rebuild it"
        ) from None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class WhooshSearchIndex:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.RLock()
        self._gen: Generation | None = self._open()

    def _open(self) -> Generation:
        for _ in range(5):  # a build may swap and clean between reading CURRENT and opening
            try:
                return _open_live(self.root)
            except (FileNotFoundError, NotADirectoryError):
                time.sleep(0.01)
        try:
            return _open_live(self.root)
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise WhosaidIndexError(
                f"index at {self.root} is damaged ({_one_line(exc)}): "
                f"{_rebuild_hint(self.root)} to rebuild it"
            ) from None

    def _current(self) -> Generation:
        live = store.current_generation(self.root)
        if self._gen is None or (live is not None and live.name != self._gen.folder.name):
            fresh = self._open()
            if self._gen is not None:
                self._gen.close()
            self._gen = fresh
        return self._gen

    def _call(self, fn: Callable[[Generation], T]) -> T:
        with self._lock:
            gen = self._current()
            try:
                return fn(gen)
            except OSError:
                # Files gone under us (an old generation removed): move on and retry once.
                if self._gen is not None:
                    self._gen.close()
                self._gen = None
                return fn(self._current())

    # -- SearchIndex -------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        return self._call(lambda gen: _search(gen, request))

    def article(self, article_id: str) -> ArticleView | None:
        return self._call(lambda gen: _article(gen, article_id))

    def speaker(self, speaker_id: str) -> SpeakerView | None:
        return self._call(lambda gen: _speaker(gen, speaker_id))

    def speakers(self) -> tuple[Speaker, ...]:
        return self._call(lambda gen: gen.speakers)

    def find_speakers(self, name: str) -> tuple[Speaker, ...]:
        return self._call(lambda gen: match_speakers(name, gen.speakers))

    def stats(self) -> IndexStats:
        return self._call(lambda gen: stats_from_meta(self.root, gen.folder.name, gen.meta))

    def close(self) -> None:
        with self._lock:
            if self._gen is not None:
                self._gen.close()
            self._gen = None


# -- search ----------------------------------------------------------------------------


def _search(gen: Generation, request: SearchRequest) -> SearchResult:
    started = time.perf_counter()
    notes: list[str] = []
    target = request.target if request.target in (ARTICLES, QUOTES) else ARTICLES
    if target != request.target:
        notes.append(f"unknown target {request.target!r}: searched articles")
    side = gen.side(target)
    text = request.text if isinstance(request.text, str) else ""
    parsed, docs, scores = side.match(text)
    if parsed.note:
        notes.append(parsed.note)
    mask = _filter_mask(gen, side, request, target, notes)
    if mask is not None:
        keep = mask[docs]
        docs, scores = docs[keep], scores[keep]
    facets: tuple[Facet, ...] = ()
    if request.with_facets:
        facets = tuple(
            column.top(
                column.count(docs),
                request.facet_limit,
                gen.labels if name == "speaker" else _TOPIC_LABELS if name == "topic" else None,
            )
            for name, column in side.facets.items()
        )
    limit = max(0, min(int(request.limit), MAX_LIMIT))
    offset = max(0, int(request.offset))
    if parsed.query is not None and request.sort == "relevance":
        page = top(docs, scores, offset, limit)
    else:
        page = _by_date(side, docs, request.sort, offset, limit)
    articles: tuple[ArticleHit, ...] = ()
    quotes: tuple[QuoteHit, ...] = ()
    if target == QUOTES:
        hl = side.highlighter(parsed, text, "text")
        quotes = tuple(
            _quote_hit(unpack(side.stored(d)["data"]), score, hl.spans) for d, score in page
        )
    else:
        hl_text = side.highlighter(parsed, text, "text")
        hl_title = side.highlighter(parsed, text, "title")
        articles = tuple(
            _article_hit(unpack(side.stored(d)["data"]), score, hl_text, hl_title.spans)
            for d, score in page
        )
    return SearchResult(
        request=request,
        total=len(docs),
        articles=articles,
        quotes=quotes,
        facets=facets,
        note="; ".join(notes) or None,
        elapsed_ms=(time.perf_counter() - started) * 1000,
    )


def _by_date(
    side: Side, docs: IntArray, sort: str, offset: int, limit: int
) -> list[tuple[int, float]]:
    """Newest first (oldest for `date_asc`), undated last, ties in index order."""
    if not limit or offset >= len(docs):
        return []
    day = side.day[docs]
    if sort == "date_asc":
        order = np.lexsort((docs, np.where(day > 0, day, np.iinfo(np.int64).max)))
    else:
        order = np.lexsort((docs, -day))
    return [(int(d), 0.0) for d in docs[order[offset : offset + limit]]]


def _filter_mask(
    gen: Generation, side: Side, request: SearchRequest, target: str, notes: list[str]
) -> BoolArray | None:
    """AND across facets and dates, OR within a facet; None when nothing filters."""
    mask: BoolArray | None = None

    def narrow(more: BoolArray) -> None:
        nonlocal mask
        mask = more if mask is None else mask & more

    speakers = _as_values(request.speakers)
    if speakers:
        ids: list[str] = []
        for value in speakers:
            found = _resolve_speaker(gen, value)
            if not found:
                notes.append(f"no speaker matches {value!r}")
            ids.extend(found)
        narrow(side.facets["speaker"].mask(ids, side.doc_count))
    for name, values in (("outlet", request.outlets), ("topic", request.topics)):
        column = side.facets[name]
        wanted: list[str] = []
        for value in _as_values(values):
            known = _resolve_value(column.values, value)
            if known is None and name == "topic":  # a label (`Border security`) for its id
                label_id = _TOPIC_IDS.get(fold(value))
                known = _resolve_value(column.values, label_id) if label_id else None
            if known is None:
                notes.append(f"no {name} matches {value!r}")
            else:
                wanted.append(known)
        if _as_values(values):
            narrow(column.mask(wanted, side.doc_count))
    try:
        low = date_bound(request.date_from, upper=False)
        high = date_bound(request.date_to, upper=True)
    except ValueError as exc:
        notes.append(f"{exc}: date filter ignored")
        low = high = None
    if low is not None:
        narrow(side.day >= low)
    if high is not None:
        narrow((side.day <= high) & (side.day > 0))
    if target == QUOTES and request.speech_only and side.speech is not None:
        narrow(side.speech)
    return mask


def _as_values(values: Any) -> tuple[str, ...]:
    if isinstance(values, str):
        values = (values,)
    return tuple(v.strip() for v in values or () if isinstance(v, str) and v.strip())


_TOPIC_LABELS = {topic.id: topic.label for topic in all_topics()}
_TOPIC_IDS = {fold(topic.label): topic.id for topic in all_topics()}


def _resolve_value(known: tuple[str, ...], value: str) -> str | None:
    """The facet value itself, else the one equal to it without accents and case."""
    if value in known:
        return value
    key = fold(value)
    return next((k for k in known if fold(k) == key), None)


def _resolve_speaker(gen: Generation, value: str) -> list[str]:
    """A speaker id as is; a free name (`villagran`) to every speaker it names as well."""
    if value in gen.by_id:
        return [value]
    matches = match_speakers(value, gen.speakers)
    if not matches:
        return []
    words = set(fold(value).replace(".", " ").split())
    close = [
        s.id
        for s in matches[:MAX_SPEAKER_MATCHES]
        if any(words <= set(fold(n).replace("-", " ").split()) for n in (s.name, *s.aliases))
    ]
    return close or [matches[0].id]


# -- hits and views --------------------------------------------------------------------


def _quote_hit(
    data: dict[str, Any], score: float, spans: Callable[[str], tuple[tuple[int, int], ...]]
) -> QuoteHit:
    return QuoteHit(
        id=data["id"],
        article_id=data["article_id"],
        article_title=data["article_title"],
        text=data["text"],
        start=data["start"],
        end=data["end"],
        speaker_id=data["speaker_id"],
        speaker=data["speaker"],
        speaker_mention=data["speaker_mention"],
        kind=data["kind"],
        cue=data["cue"],
        how=data["how"],
        speech=data["speech"],
        outlet=data["outlet"],
        date=data["date"],
        topics=tuple(data["topics"]),
        score=score,
        highlights=spans(data["text"]),
    )


def _article_hit(
    data: dict[str, Any],
    score: float,
    text_highlighter: Highlighter,
    title_spans: Callable[[str], tuple[tuple[int, int], ...]],
) -> ArticleHit:
    short, highlights = snippet(data["text"], text_highlighter)
    return ArticleHit(
        id=data["id"],
        title=data["title"],
        outlet=data["outlet"],
        byline=data["byline"],
        date=data["date"],
        topics=tuple(data["topics"]),
        speakers=tuple(data["speakers"]),
        quote_count=data["quote_count"],
        score=score,
        snippet=short,
        highlights=highlights,
        title_highlights=title_spans(data["title"]),
    )


def _no_spans(_text: str) -> tuple[tuple[int, int], ...]:
    return ()


def _encodable(text: str) -> bool:
    """Ids from a shell may hold lone surrogates (`$'\\xff'`); no stored id can."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _article(gen: Generation, article_id: str) -> ArticleView | None:
    if not isinstance(article_id, str) or not article_id or not _encodable(article_id):
        return None
    docs = gen.articles.term_docs("id", article_id)
    if not len(docs):
        return None
    data = unpack(gen.articles.stored(int(docs[-1]))["data"])
    article = Article(
        id=data["id"],
        title=data["title"],
        text=data["text"],
        outlet=data["outlet"],
        byline=data["byline"],
        date=data["date"],
        url=data["url"],
        source=data["source"] or "",
        encoding=data["encoding"],
    )
    quotes = _quotes_of(gen, gen.quotes.term_docs(F_ARTICLE, article_id))
    ordered = sorted(quotes, key=lambda q: int(q.id.rsplit("#", 1)[1]))
    return ArticleView(article=article, quotes=tuple(ordered), topics=tuple(data["topics"]))


def _speaker(gen: Generation, speaker_id: str) -> SpeakerView | None:
    if not isinstance(speaker_id, str):
        return None
    speaker = gen.by_id.get(speaker_id)
    if speaker is None:
        return None
    side = gen.quotes
    docs = side.term_docs(F_SPEAKER, speaker_id)
    order = np.lexsort((docs, -side.day[docs])) if len(docs) else np.zeros(0, dtype=np.int64)
    return SpeakerView(speaker=speaker, quotes=_quotes_of(gen, docs[order]))


def _quotes_of(gen: Generation, docs: IntArray) -> tuple[QuoteHit, ...]:
    return tuple(
        _quote_hit(unpack(gen.quotes.stored(int(d))["data"]), 0.0, _no_spans) for d in docs
    )
