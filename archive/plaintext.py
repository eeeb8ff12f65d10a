"""The plain-text article form: title line, optional header lines, then the body.

Header lines (a byline, an outlet alone on its line, a date stamp) are read
into metadata and leave the body; anything else stays article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.clean import Cleaned, clean_paragraphs, is_boilerplate_line, split_paragraphs
from archive.dates import date_of_stamp_line
from archive.outlets import lookup_outlet

_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
HEADER_LINES = 8  # non-empty lines after the title that may be header furniture

_BYLINE = re.compile(
    r"^(?:by|written by|words by|story by|reporting by|posted by|author)\s*[:\s]\s*(?P<rest>.+)$",
    re.I,
)
_BYLINE_PARTS = re.compile(r"\s*(?:,|\||·|•|—|–|\s-\s|\bfor\b|\bat\b)\s*")
_NAME_JOINERS = re.compile(r"\s*(?:\band\b|&)\s*")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PARTICLES = _words("de da das do dos del della der den di du la le van von y bin ibn al el st. st")
_NOT_NAMES = _words(
    """published updated posted written by staff reporter correspondent editor editors
    the a an and or of in on for share comments comment email print follow view more
    monday tuesday wednesday thursday friday saturday sunday today yesterday
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec am pm et est edt gmt utc"""
)
_NAME_TOKEN = re.compile(
    r"^(?:[A-Z][A-Za-z'’\-]*[a-z'’\-][A-Za-z'’\-]*|[A-Z]\.(?:[A-Z]\.)*|[A-Z]{2,})$"
)


@dataclass(slots=True)
class PlainText:
    title: str = ""
    byline: str | None = None
    outlet: str | None = None  # named in the header (outlet line or byline), canonical
    date: str | None = None
    body: Cleaned = field(default_factory=Cleaned)


def looks_like_name(text: str) -> bool:
    """`Ken Thomas`, `Alicia A. Caldwell`, `Luis de la Cruz`; not `Published` or `Dec. 27`."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 5:
        return False
    capitalised = 0
    for token in tokens:
        word = token.strip(",")
        if word.lower() in _NOT_NAMES:
            return False
        if word.lower() in _PARTICLES:
            continue
        if not _NAME_TOKEN.match(word):
            return False
        capitalised += 1
    return capitalised >= 2


def _tidy_name(name: str) -> str:
    name = " ".join(name.split())
    return name.title() if name.isupper() else name


def parse_byline(line: str) -> tuple[list[str], str | None] | None:
    """`By Jane Doe and John Roe, Reuters` -> (names, outlet); None when not a byline line."""
    match = _BYLINE.match(line.strip())
    if not match or len(line) > 160:
        return None
    names: list[str] = []
    outlet: str | None = None
    for part in _BYLINE_PARTS.split(match["rest"].strip().rstrip(".")):
        if not part:
            continue
        known = lookup_outlet(part)
        if known:
            outlet = outlet or known
            continue
        people = [p for p in _NAME_JOINERS.split(part) if p]
        if people and all(looks_like_name(p) for p in people):
            names.extend(_tidy_name(p) for p in people)
    return names, outlet


def _is_sentence(line: str) -> bool:
    return len(line.split()) > 6 or line.rstrip().endswith((".", "!", "?", "”", '"'))


def parse_plain_text(text: str) -> PlainText:
    """Split a plain-text article (newlines already normalised) into metadata and body."""
    result = PlainText()
    lines = text.split("\n")
    i = 0
    while i < len(lines) and (not lines[i].strip() or is_boilerplate_line(lines[i])):
        i += 1
    if i == len(lines):
        return result
    result.title = _MARKDOWN_HEADING.sub("", " ".join(lines[i].split()))
    parse_body(lines[i + 1 :], result, header=True)
    return result


def parse_body(lines: list[str], result: PlainText, *, header: bool) -> None:
    """Fill `result` from the lines after the title: header furniture, then the cleaned body.

    The first line is dropped when it repeats the title, as many exports do.
    """
    body: list[str] = []
    seen = 0
    for line in lines:
        stripped = line.strip()
        if not stripped or not header or seen >= HEADER_LINES:
            body.append(line)
            continue
        seen += 1
        same = " ".join(stripped.split()).casefold() == result.title.casefold()
        if seen == 1 and same:
            continue
        if _read_header_line(stripped, result):
            continue
        body.append(line)
    result.body = clean_paragraphs(split_paragraphs(body))


def _read_header_line(line: str, result: PlainText) -> bool:
    """Take metadata from one header line; True when the line is furniture, not body."""
    byline = parse_byline(line)
    if byline is not None:
        names, outlet = byline
        if names and result.byline is None:
            result.byline = ", ".join(names)
        result.outlet = result.outlet or outlet
        # `Written by Published`: no name, but no sentence either: furniture.
        return bool(names or outlet) or not _is_sentence(line)
    if len(line) <= 60:
        known = lookup_outlet(line)
        if known:
            result.outlet = result.outlet or known
            return True
    found = date_of_stamp_line(line)
    if found:
        result.date = result.date or found
        return True
    return False
