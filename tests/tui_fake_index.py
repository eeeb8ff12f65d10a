"""An in-memory `SearchIndex` for fast TUI tests.

It follows the contract in `index/types.py` faithfully, so the TUI cannot
lean on anything the real index would not do: plain words (accent- and
case-insensitive, all must match), OR within a facet, AND across facets,
facet counts computed over exactly the matches the results come from (as
`index.search` does), so the TUI has to ask again for a facet's other values.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from archive.models import Article, Speaker
from archive.text import fold
from index.types import (
    ArticleHit,
    ArticleView,
    Facet,
    FacetValue,
    IndexStats,
    QuoteHit,
    SearchRequest,
    SearchResult,
    Span,
    SpeakerView,
)

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class FakeQuote:
    """A quote to put in the fake: text found in the article body, said by a speaker id."""

    text: str
    speaker_id: str | None
    topics: tuple[str, ...] = ()
    speech: bool = True


def _terms(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if w.lower() not in {"and", "or", "not"}]


def _spans(text: str, terms: Sequence[str]) -> tuple[Span, ...]:
    """Every word of `text` whose folded form starts with a query term (like a stemmed match)."""
    folded = fold(text)
    if len(folded) != len(text):  # folding changed lengths: match on the raw text instead
        folded = text.casefold()
    return tuple(
        (m.start(), m.end())
        for m in _WORD.finditer(folded)
        if any(m.group().startswith(t) for t in terms)
    )


def _matches(text: str, terms: Sequence[str]) -> bool:
    words = set(_WORD.findall(fold(text)))
    return all(any(w.startswith(t) for w in words) for t in terms)


class FakeIndex:
    """Holds articles, their quotes and the speaker registry in memory."""

    def __init__(
        self,
        articles: Iterable[tuple[Article, Sequence[FakeQuote], Sequence[str]]],
        speakers: Iterable[Speaker],
    ) -> None:
        self._speakers = {s.id: s for s in speakers}
        self._views: dict[str, ArticleView] = {}
        for article, quotes, topics in articles:
            hits = []
            cursor = 0
            for n, quote in enumerate(quotes):
                start = article.text.find(quote.text, cursor)
                if start < 0:
                    raise ValueError(f"{article.id}: quote not in text: {quote.text[:40]!r}")
                cursor = start + len(quote.text)
                speaker = self._speakers.get(quote.speaker_id or "")
                hits.append(
                    QuoteHit(
                        id=f"{article.id}#{n}",
                        article_id=article.id,
                        article_title=article.title,
                        text=quote.text,
                        start=start,
                        end=cursor,
                        speaker_id=speaker.id if speaker else None,
                        speaker=speaker.name if speaker else None,
                        speaker_mention=speaker.name if speaker else None,
                        kind=speaker.kind if speaker else "unnamed",
                        cue="said",
                        how="direct",
                        speech=quote.speech,
                        outlet=article.outlet,
                        date=article.date,
                        topics=quote.topics,
                    )
                )
            self._views[article.id] = ArticleView(article, tuple(hits), tuple(topics))
        self.calls: list[SearchRequest] = []
        self.closed = False

    # -- SearchIndex -------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        began = time.perf_counter()
        self.calls.append(request)
        terms = _terms(request.text)
        if request.target == "articles":
            docs: list[tuple[ArticleView | QuoteHit, dict[str, tuple[str, ...]]]] = [
                (view, self._article_keys(view))
                for view in self._views.values()
                if _matches(f"{view.article.title} {view.article.text}", terms)
            ]
        else:
            docs = [
                (
                    quote,
                    {
                        "speaker": (quote.speaker_id or "",),
                        "outlet": (quote.outlet,),
                        "topic": quote.topics,
                    },
                )
                for view in self._views.values()
                for quote in view.quotes
                if (quote.speech or not request.speech_only) and _matches(quote.text, terms)
            ]
        docs = [d for d in docs if _in_dates(d[0], request)]
        wanted = {
            "speaker": self._resolve_speakers(request.speakers),
            "outlet": set(request.outlets),
            "topic": set(request.topics),
        }

        def passes(keys: dict[str, tuple[str, ...]]) -> bool:
            return all(
                not values or bool(values & set(keys[name])) for name, values in wanted.items()
            )

        kept = [(doc, keys) for doc, keys in docs if passes(keys)]
        matched = [doc for doc, _ in kept]
        facets: tuple[Facet, ...] = ()
        if request.with_facets:
            facets = tuple(
                self._facet(name, [keys for _, keys in kept], request)
                for name in ("speaker", "outlet", "topic")
            )
        matched.sort(key=_sort_key(request))
        page = matched[request.offset : request.offset + request.limit]
        if request.target == "articles":
            articles = tuple(
                self._article_hit(v, terms) for v in page if isinstance(v, ArticleView)
            )
            quotes: tuple[QuoteHit, ...] = ()
        else:
            articles = ()
            quotes = tuple(
                replace(q, highlights=_spans(q.text, terms), score=1.0)
                for q in page
                if isinstance(q, QuoteHit)
            )
        unbalanced = request.text.count("(") != request.text.count(")")
        return SearchResult(
            request=request,
            note="unbalanced parentheses: searched the words instead" if unbalanced else None,
            total=len(matched),
            articles=articles,
            quotes=quotes,
            facets=facets,
            elapsed_ms=(time.perf_counter() - began) * 1000,
        )

    def article(self, article_id: str) -> ArticleView | None:
        return self._views.get(article_id)

    def speaker(self, speaker_id: str) -> SpeakerView | None:
        speaker = self._speakers.get(speaker_id)
        if speaker is None:
            return None
        quotes = tuple(
            q for v in self._views.values() for q in v.quotes if q.speaker_id == speaker_id
        )
        return SpeakerView(speaker, quotes)

    def speakers(self) -> tuple[Speaker, ...]:
        return tuple(sorted(self._speakers.values(), key=lambda s: -s.quote_count))

    def find_speakers(self, name: str) -> tuple[Speaker, ...]:
        key = fold(name)
        return tuple(
            s
            for s in self._speakers.values()
            if key and any(key in fold(n) for n in (s.name, *s.aliases))
        )

    def stats(self) -> IndexStats:
        return IndexStats(
            path=":memory:",
            generation="fake-1",
            built_at="2026-01-01T00:00:00",
            articles=len(self._views),
            quotes=sum(len(v.quotes) for v in self._views.values()),
            speakers=len(self._speakers),
            schema_version="fake",
            extractor_version="fake",
            model="none",
            outlets=tuple(sorted({v.article.outlet for v in self._views.values()})),
        )

    def close(self) -> None:
        self.closed = True

    # -- helpers -----------------------------------------------------------

    def _article_keys(self, view: ArticleView) -> dict[str, tuple[str, ...]]:
        speakers = tuple(q.speaker_id for q in view.quotes if q.speaker_id)
        return {"speaker": speakers, "outlet": (view.article.outlet,), "topic": view.topics}

    def _resolve_speakers(self, values: Sequence[str]) -> set[str]:
        resolved: set[str] = set()
        for value in values:
            if value in self._speakers:
                resolved.add(value)
            else:
                found = self.find_speakers(value)
                resolved.add(found[0].id if found else value)
        return resolved

    def _facet(
        self, name: str, keysets: list[dict[str, tuple[str, ...]]], request: SearchRequest
    ) -> Facet:
        counts: Counter[str] = Counter()
        for keys in keysets:
            counts.update(v for v in set(keys[name]) if v)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = ranked[: request.facet_limit]
        values = tuple(FacetValue(v, self._label(name, v), n) for v, n in shown)
        return Facet(name, values, other=len(ranked) - len(shown))

    def _label(self, facet: str, value: str) -> str:
        if facet == "speaker" and value in self._speakers:
            return self._speakers[value].name
        return value

    def _article_hit(self, view: ArticleView, terms: Sequence[str]) -> ArticleHit:
        article = view.article
        snippet = article.text[:200]
        return ArticleHit(
            id=article.id,
            title=article.title,
            outlet=article.outlet,
            byline=article.byline,
            date=article.date,
            topics=view.topics,
            speakers=tuple(dict.fromkeys(q.speaker for q in view.quotes if q.speaker)),
            quote_count=len(view.quotes),
            score=1.0,
            snippet=snippet,
            highlights=_spans(snippet, terms),
            title_highlights=_spans(article.title, terms),
        )


def _date_of(doc: ArticleView | QuoteHit) -> str:
    return (doc.article.date if isinstance(doc, ArticleView) else doc.date) or ""


def _in_dates(doc: ArticleView | QuoteHit, request: SearchRequest) -> bool:
    date = _date_of(doc)
    if request.date_from and date[: len(request.date_from)] < request.date_from:
        return False
    return not (request.date_to and date[: len(request.date_to)] > request.date_to)


def _sort_key(request: SearchRequest) -> Callable[[ArticleView | QuoteHit], Any]:
    def ident(doc: ArticleView | QuoteHit) -> str:
        return doc.article.id if isinstance(doc, ArticleView) else doc.id

    if request.sort == "date":
        return lambda d: (_invert(_date_of(d)), ident(d))
    if request.sort == "date_asc":
        return lambda d: (_date_of(d), ident(d))
    return ident


def _invert(date: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in date)


def sample_index() -> FakeIndex:
    """A small archive with several speakers, outlets and topics, written for these tests."""
    speakers = [
        Speaker(
            "maria-lopez",
            "María López",
            "person",
            ("López", "Ms. López"),
            ("mayor of Riverton",),
            3,
            3,
            ("Daily Ledger", "Harbor Post", "Valley Times"),
        ),
        Speaker(
            "tom-reyes",
            "Tom Reyes",
            "person",
            ("Reyes",),
            ("fire chief",),
            2,
            2,
            ("Daily Ledger", "Valley Times"),
        ),
        Speaker("city-council", "City Council", "organisation", (), (), 1, 1, ("Harbor Post",)),
    ]
    articles = [
        (
            Article(
                "a1",
                "Bridge closure angers commuters",
                "The bridge will close for repairs. “We cannot wait any longer for the bridge "
                "repairs,” said María López.\n\nFire chief Tom Reyes added: “Detours will slow "
                "our trucks near the border of the county.”",
                outlet="Daily Ledger",
                date="2025-03-02",
            ),
            [
                FakeQuote(
                    "We cannot wait any longer for the bridge repairs,",
                    "maria-lopez",
                    ("infrastructure",),
                ),
                FakeQuote(
                    "Detours will slow our trucks near the border of the county.",
                    "tom-reyes",
                    ("infrastructure", "safety"),
                ),
            ],
            ["infrastructure", "safety"],
        ),
        (
            Article(
                "a2",
                "Council approves border fence budget",
                "The City Council said in a statement: “The fence budget is final.”\n\n"
                "Mayor María López said: “The border fence protects the farms.”",
                outlet="Harbor Post",
                date="2025-05-10",
            ),
            [
                FakeQuote("The fence budget is final.", "city-council", ("budget",)),
                FakeQuote(
                    "The border fence protects the farms.",
                    "maria-lopez",
                    ("budget", "border security"),
                ),
            ],
            ["budget", "border security"],
        ),
        (
            Article(
                "a3",
                "Wildfire season starts early",
                "Tom Reyes warned: “Dry winds make every spark dangerous.” Residents near the "
                "border hills were told to prepare. María López promised “more crews by June.”",
                outlet="Valley Times",
                date="2024-07-21",
            ),
            [
                FakeQuote("Dry winds make every spark dangerous.", "tom-reyes", ("safety",)),
                FakeQuote("more crews by June.", "maria-lopez", ("safety",)),
            ],
            ["safety"],
        ),
        (
            Article(
                "a4",
                "A quiet week downtown",
                "Nothing much happened downtown this week, and a sign read “Open late”.",
                outlet="Daily Ledger",
                date="2025-06-01",
            ),
            [FakeQuote("Open late", None, (), speech=False)],
            [],
        ),
    ]
    return FakeIndex(articles, speakers)


def many_articles(count: int) -> FakeIndex:
    """`count` small articles, one quote each, for paging and volume tests."""
    speakers = [Speaker(f"s{n}", f"Speaker {n}", "person") for n in range(5)]
    articles = []
    for n in range(count):
        quote = f"Number {n} is about the border and the river."
        article = Article(
            f"m{n:04d}",
            f"Article {n}",
            f"Reporters wrote: “{quote}”",
            outlet=f"Outlet {n % 3}",
            date=f"2024-01-{n % 28 + 1:02d}",
        )
        articles.append((article, [FakeQuote(quote, f"s{n % 5}")], ["topic"]))
    return FakeIndex(articles, speakers)
