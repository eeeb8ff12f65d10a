"""Highlight spans computed with the index's own analyzer, so `lopez` marks `López`.

Running the analyzer over a whole article per hit costs milliseconds; instead a cheap
regex over a length-preserving folded copy finds candidate words (an English stem is a
prefix of its word, give or take a final `y`), and only those are analysed.
"""

from __future__ import annotations

import re
from typing import Any

from whoosh.support.charset import accent_map

from index.schema import ANALYZER
from index.types import Span

_FOLD: dict[int, str] = {int(k): (v[0] if v else chr(int(k))) for k, v in accent_map.items()}
MAX_PATTERN_TERMS = 300
SNIPPET_CHARS = 240


def query_terms(query: Any, reader: Any, field: str) -> frozenset[str]:
    """The analysed terms of `field` a query looks for, wildcards expanded."""
    if query is None:
        return frozenset()
    terms: set[str] = set()
    try:
        for name, text in query.iter_all_terms():
            if name == field:
                terms.add(text.decode("utf-8") if isinstance(text, bytes) else str(text))
        for name, text in query.existing_terms(reader, expand=True):
            if name == field:
                terms.add(text.decode("utf-8") if isinstance(text, bytes) else str(text))
    except Exception:  # highlighting is a nicety: an odd query just gets none
        return frozenset(terms)
    return frozenset(terms)


class Highlighter:
    def __init__(self, terms: frozenset[str]) -> None:
        self.terms = terms
        prefixes = {t[:-1] if len(t) > 1 else t for t in terms}
        if not terms:
            self.pattern: re.Pattern[str] | None = None
        elif len(prefixes) > MAX_PATTERN_TERMS:
            self.pattern = re.compile(r"\w+(?:\.\w+)*")
        else:
            alternatives = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
            self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})\w*(?:\.\w+)*")

    def spans(self, text: str) -> tuple[Span, ...]:
        if self.pattern is None or not text:
            return ()
        folded = text.translate(_FOLD).lower()
        if len(folded) != len(text):  # a rare character changed length: analyse it all
            return self._analyse(text, 0)
        found: list[Span] = []
        for match in self.pattern.finditer(folded):
            found.extend(self._analyse(text[match.start() : match.end()], match.start()))
        return tuple(found)

    def _analyse(self, text: str, offset: int) -> tuple[Span, ...]:
        return tuple(
            (offset + tok.startchar, offset + tok.endchar)
            for tok in ANALYZER(text, chars=True, mode="query")
            if tok.text in self.terms
        )


def snippet(
    text: str, spans: tuple[Span, ...], width: int = SNIPPET_CHARS
) -> tuple[str, tuple[Span, ...]]:
    """A window of `text` around the first match, with the spans that fall inside it."""
    if len(text) <= width:
        return text.replace("\n", " "), spans
    start = 0
    if spans:
        start = max(0, spans[0][0] - width // 4)
        if start:
            space = text.find(" ", start, spans[0][0])
            start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space > 0 else end
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    inside = tuple((s + shift, e + shift) for s, e in spans if s >= start and e <= end)
    return prefix + text[start:end].replace("\n", " ") + suffix, inside
