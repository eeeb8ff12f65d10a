"""From whatever a person typed to a Whoosh query, or a plain-words fallback with a note.

Whoosh's parser almost never raises: it silently reads `foo:bar` with an unknown field
or a dangling quote as something odd. So the text is checked first, and anything the
parser would misread is searched as its plain words instead, with a note saying why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from whoosh.fields import Schema
from whoosh.qparser import plugins as _plugins
from whoosh.qparser.default import MultifieldParser, QueryParser
from whoosh.qparser.syntax import AndGroup
from whoosh.query.qcore import NullQuery, Query

from index.schema import SEARCH_FIELDS, USER_FIELDS

MAX_CHARS = 1000
MAX_WORDS = 32
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})

_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "″": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
    }
)
_WORD = re.compile(r"\w+")
_FIELD = re.compile(r"(?:(?<=^)|(?<=[\s(+\-]))([A-Za-z_]\w*):")
_QUOTED = re.compile(r'"[^"]*"')


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    query: Query | None  # None matches every document
    note: str | None = None


def clean_text(text: str) -> str:
    """Straight quotes for curly ones, spaces for control and format characters."""
    text = text.translate(_QUOTES)
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") else ch
        for ch in text
    )


def _problem(text: str, known: frozenset[str]) -> str | None:
    """Why the parser would misread `text`, or None when it is well-formed."""
    if text.count('"') % 2:
        return "unbalanced quotes"
    outside = _QUOTED.sub(" ", text)
    depth = 0
    for ch in outside:
        depth += 1 if ch == "(" else -1 if ch == ")" else 0
        if depth < 0:
            break
    if depth:
        return "unbalanced parentheses"
    for match in _FIELD.finditer(outside):
        if match.group(1) not in known:
            return f"unknown field '{match.group(1)}' (known: {', '.join(sorted(known))})"
    words = [w for w in re.split(r"[\s()]+", outside) if w]
    for i, word in enumerate(words):
        if word in OPERATORS:
            nxt = words[i + 1] if i + 1 < len(words) else None
            doubled = nxt in OPERATORS and not (nxt == "NOT" and word in ("AND", "OR"))
            if nxt is None or doubled or (i == 0 and word != "NOT"):
                return f"misplaced {word}"
    return None


PLUGINS: Any = _plugins  # untyped in whoosh3


def _field_case(name: str, known: frozenset[str]) -> str:
    """`Title:` means `title:`; unknown names stay as typed for the note."""
    return name.lower() if name.lower() in known else name


def _plain_parser(schema: Schema, fields: tuple[str, ...]) -> QueryParser:
    parser: Any = QueryParser(None, schema, plugins=[PLUGINS.WhitespacePlugin()], group=AndGroup)
    parser.add_plugin(PLUGINS.MultifieldPlugin(fields))
    result: QueryParser = parser
    return result


def plain_query(text: str, schema: Schema, fields: tuple[str, ...]) -> Query | None:
    """Every word must match (in any search field); no syntax at all."""
    words = _WORD.findall(text)[:MAX_WORDS]
    if not words:
        return None
    query: Query = _plain_parser(schema, fields).parse(" ".join(words))
    return None if query is NullQuery else query


def parse(text: str, schema: Schema, target: str) -> ParsedQuery:
    """Never raises: syntax errors and unknown fields fall back to the plain words."""
    fields = SEARCH_FIELDS[target]
    notes: list[str] = []
    text = clean_text(text).strip()
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        notes.append(f"query too long: used its first {MAX_CHARS} characters")
    if not text:
        return ParsedQuery(None, "; ".join(notes) or None)
    if not _WORD.search(text):
        notes.append(f"nothing to search for in {text[:40]!r}: showing everything")
        return ParsedQuery(None, "; ".join(notes))
    known = USER_FIELDS[target]
    text = _FIELD.sub(lambda m: _field_case(m.group(1), known) + ":", text)
    problem = _problem(text, known)
    query: Query | None = None
    if problem is None:
        try:
            parser = MultifieldParser(list(fields), schema, group=AndGroup)
            query = parser.parse(text)
        except Exception as exc:  # the parser's failure modes are not documented
            problem = f"query syntax error ({type(exc).__name__})"
        else:
            if query is NullQuery:
                problem = "query syntax error"
    if problem is not None:
        notes.append(f"{problem}: searched the words instead")
        query = plain_query(_FIELD.sub(" ", text), schema, fields)
    return ParsedQuery(query, "; ".join(notes) or None)


DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def date_bound(value: str | None, *, upper: bool) -> int | None:
    """`2023` -> 20230000 (from) or 20239999 (to); None when absent.

    Raises ValueError with one line when the value is not yyyy, yyyy-mm or yyyy-mm-dd.
    """
    if value is None or not value.strip():
        return None
    match = DATE.match(value.strip())
    if (
        not match
        or not 1 <= int(match.group(2) or 1) <= 12
        or not 1 <= int(match.group(3) or 1) <= 31
    ):
        raise ValueError(f"{value!r} is not a date (yyyy, yyyy-mm or yyyy-mm-dd)")
    fill = 99 if upper else 0
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else fill
    day = int(match.group(3)) if match.group(3) else fill
    return year * 10000 + month * 100 + day
