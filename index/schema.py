"""The two Whoosh schemas of a generation (articles, quotes) and their shared analyzer.

Searchable text fields carry user-facing names (`title`, `speaker`, `outlet`...) so
`field:value` queries read naturally; exact facet values live apart in `f_*` fields
that are never parsed, only read into numpy arrays (see `index.facets`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from whoosh import analysis as _analysis
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang import stemmer_for_language
from whoosh.support.charset import accent_map

A: Any = _analysis  # whoosh3's analysis package exports no types
_ACCENTS: Any = accent_map  # code point -> folded text; whoosh3 types it as str keys

ARTICLES = "articles"
QUOTES = "quotes"


class FoldingTokenizer(A.RegexTokenizer):  # type: ignore[misc]  # whoosh3 is untyped
    """Whoosh's RegexTokenizer, then lower case, accent folding and (optionally) stems.

    Token for token what `RegexTokenizer | LowercaseFilter | CharsetFilter(accent_map)
    | StemFilter(lang="en")` gives (`tests/test_schema.py`), in one generator and one
    memo lookup per token instead of three chained generators: analysis was a third of
    the index writers' time. Stemming makes the analyzer morphological, as StemFilter does.
    """

    def __init__(self, stem: bool) -> None:
        super().__init__()
        self.stem = stem
        self.is_morph = stem
        self._folds: dict[bool, Any] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_folds"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._folds = {}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.stem == self.stem  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def _fold(self, stemmed: bool) -> Any:
        known = self._folds.get(stemmed)
        if known is not None:
            return known
        stem = stemmer_for_language("en") if stemmed else None  # type: ignore[no-untyped-call]

        @lru_cache(maxsize=100_000)  # StemFilter keeps 50,000 stems; here a word and its fold
        def fold(word: str) -> str:
            folded: str = word.lower().translate(_ACCENTS)
            return stem(folded) if stem is not None else folded

        self._folds[stemmed] = fold
        return fold

    def __call__(self, value: str, **kwargs: Any) -> Any:
        # `no_morph` (spelling suggestions) leaves out morphological steps, as a Whoosh
        # analyzer chain drops its StemFilter.
        fold = self._fold(self.stem and not kwargs.get("no_morph", False))
        for token in super().__call__(value, **kwargs):
            token.text = fold(token.text)
            yield token


def text_analyzer() -> Any:
    """Lower case, accents folded (`López` == `lopez`), English stems; no stop words,

    so phrases stay exact. Highlighting re-runs this same chain on the returned text.
    """
    return FoldingTokenizer(stem=True)


def name_analyzer() -> Any:
    """Names are matched folded but never stemmed (`Kirby` must not meet `Kirb`)."""
    return FoldingTokenizer(stem=False)


ANALYZER = text_analyzer()
NAMES = name_analyzer()

# Facet fields: exact values, one posting list per value, multi-valued where a
# document can hold several (speakers of an article, topics).
F_SPEAKER = "f_speaker"
F_OUTLET = "f_outlet"
F_TOPIC = "f_topic"
F_DAY = "f_day"  # yyyymmdd, for date filters and date sorting
F_SPEECH = "f_speech"  # "1" for speech, "0" for quoted non-speech
F_ARTICLE = "f_article"  # quotes: the article they come from

FACET_FIELDS: dict[str, str] = {"speaker": F_SPEAKER, "outlet": F_OUTLET, "topic": F_TOPIC}


def _facet_fields() -> dict[str, object]:
    return {
        F_SPEAKER: KEYWORD(commas=True, scorable=False),
        F_OUTLET: ID(),
        F_TOPIC: KEYWORD(commas=True, scorable=False),
        F_DAY: ID(),
    }


def article_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=ANALYZER, field_boost=2.0),
        text=TEXT(analyzer=ANALYZER),
        speaker=TEXT(analyzer=NAMES, field_boost=1.5),
        outlet=TEXT(analyzer=NAMES),
        topic=TEXT(analyzer=ANALYZER),
        byline=TEXT(analyzer=NAMES),
        data=STORED(),  # everything shown, compressed: see index.documents
        **_facet_fields(),  # type: ignore[arg-type]
    )


def quote_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        text=TEXT(analyzer=ANALYZER),
        speaker=TEXT(analyzer=NAMES, field_boost=1.5),
        mention=TEXT(analyzer=NAMES),
        title=TEXT(analyzer=ANALYZER, field_boost=0.5),
        outlet=TEXT(analyzer=NAMES),
        topic=TEXT(analyzer=ANALYZER),
        cue=TEXT(analyzer=ANALYZER),
        data=STORED(),
        **_facet_fields(),  # type: ignore[arg-type]
        **{F_SPEECH: ID(), F_ARTICLE: ID()},
    )


SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    ARTICLES: ("title", "text", "speaker"),
    QUOTES: ("text", "speaker", "title"),
}
"""Fields a plain word is looked up in, per target. A quote also matches on its article's
title (at half weight), so `border` finds what was said in articles about the border;
`text:border` searches the quoted words alone."""

USER_FIELDS: dict[str, frozenset[str]] = {
    ARTICLES: frozenset({"title", "text", "speaker", "outlet", "topic", "byline"}),
    QUOTES: frozenset({"text", "speaker", "mention", "title", "outlet", "topic", "cue"}),
}
"""Fields a query may name with `field:value`; anything else triggers the fallback."""
