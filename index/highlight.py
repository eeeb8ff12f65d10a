"""Highlight spans computed with the index's own analyzer, so `lopez` marks `López`.

Running the analyzer over a whole article per hit costs milliseconds; instead one
regex finds candidate words (those starting with a query term's stem, which is a prefix
of its word give or take a final `y`, and those with accented letters), and only those
are analysed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from index.schema import ANALYZER
from index.types import Span

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
    """Spans of the words a query matched, by the analyzer's judgement, found fast."""

    def __init__(self, terms: frozenset[str]) -> None:
        self.terms = terms
        prefixes = {t[:-1] if len(t) > 1 else t for t in terms}
        if not terms:
            self.pattern: re.Pattern[str] | None = None
        elif len(prefixes) > MAX_PATTERN_TERMS:
            self.pattern = re.compile(r"\w+(?:\.\w+)*")
        else:
            # Folded prefixes for plain words, and any word with a non-ASCII letter, since
            # `López` folds to `lopez` only through the analyzer that verifies candidates.
            alternatives = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
            self.pattern = re.compile(
                rf"(?<!\w)(?:(?:{alternatives})\w*|(?=\w*[^\x00-\x7f])\w+)(?:\.\w+)*",
                re.IGNORECASE,
            )

    def spans(self, text: str, start: int = 0, end: int | None = None) -> tuple[Span, ...]:
        """Matches within text[start:end] (words cut by the bounds are left out)."""
        return tuple(self._iter(text, start, len(text) if end is None else end))

    def first(self, text: str) -> Span | None:
        return next(self._iter(text, 0, len(text)), None)

    def _iter(self, text: str, start: int, end: int) -> Iterator[Span]:
        if self.pattern is None or not text:
            return
        for match in self.pattern.finditer(text, start, end):
            offset = match.start()
            for tok in ANALYZER(match.group(), chars=True, mode="query"):
                if tok.text in self.terms:
                    yield (offset + tok.startchar, offset + tok.endchar)


def snippet(
    text: str, highlighter: Highlighter, width: int = SNIPPET_CHARS
) -> tuple[str, tuple[Span, ...]]:
    """A window of `text` around the first match, and the matches inside it.

    Only the window is scanned after the first match, so long articles cost little.
    """
    if len(text) <= width:
        return text.replace("\n", " "), highlighter.spans(text)
    first = highlighter.first(text)
    start = 0
    if first is not None:
        start = max(0, first[0] - width // 4)
        if start:
            space = text.find(" ", start, first[0])
            start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space > 0 else end
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    inside = tuple((s + shift, e + shift) for s, e in highlighter.spans(text, start, end))
    return prefix + text[start:end].replace("\n", " ") + suffix, inside
