"""The two Whoosh schemas of a generation (articles, quotes) and their shared analyzer.

Searchable text fields carry user-facing names (`title`, `speaker`, `outlet`...) so
`field:value` queries read naturally; exact facet values live apart in `f_*` fields
that are never parsed, only read into numpy arrays (see `index.facets`).
"""

from __future__ import annotations

from typing import Any

from whoosh import analysis as _analysis
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

A: Any = _analysis  # whoosh3's analysis package exports no types

ARTICLES = "articles"
QUOTES = "quotes"


def text_analyzer() -> Any:
    """Lower case, accents folded (`López` == `lopez`), English stems; no stop words,

    so phrases stay exact. Highlighting re-runs this same chain on the returned text.
    """
    return (
        A.RegexTokenizer()
        | A.LowercaseFilter()
        | A.CharsetFilter(accent_map)
        | A.StemFilter(lang="en", cachesize=50000)
    )


def name_analyzer() -> Any:
    """Names are matched folded but never stemmed (`Kirby` must not meet `Kirb`)."""
    return A.RegexTokenizer() | A.LowercaseFilter() | A.CharsetFilter(accent_map)


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
