"""Publication dates in the forms news sites print them, normalised to ISO `yyyy-mm-dd`.

An unparseable date is None, never an error: a missing date costs a facet
value, a rejected article costs the article.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_PATTERNS = (
    # 2023-12-27, 2023-12-27T10:00:00Z, 2023/12/27
    re.compile(
        r"(?<!\d)(?P<year>(?:19|20)\d\d)[-/.](?P<month>[01]?\d)[-/.](?P<day>[0-3]?\d)(?!\d)"
    ),
    # Dec. 27, 2023 / December 27 2023 / Wed, December 27, 2023
    re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR, re.I),
    # 27 December 2023 / Wed 27 Dec 2023
    re.compile(_WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR, re.I),
)
_TIME_NOISE = re.compile(r"[\d:.,/|\s-]|\b(?:a\.?m|p\.?m|et|est|edt|gmt|utc|bst)\b\.?", re.I)
_STAMP_WORD = re.compile(r"^(?:published|updated|posted|first published|last updated|date)\b", re.I)


def _make(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_number(value: str) -> int:
    return int(value) if value.isdigit() else _MONTHS[value.lower().rstrip(".")]


def find_date(text: str) -> str | None:
    """The first date written in `text`, as `yyyy-mm-dd`."""
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            return _make(int(match["year"]), _month_number(match["month"]), int(match["day"]))
    return None


def normalise_date(value: object) -> str | None:
    """ISO date from an ISO/RFC 2822/written-out date string or an epoch number; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value  # milliseconds are common in exports
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()[:200]
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    return find_date(text)


def date_of_stamp_line(line: str) -> str | None:
    """The date of a header line that is nothing but a date or a `Published ...` stamp."""
    stripped = line.strip()
    if len(stripped) > 100:
        return None
    found = find_date(stripped)
    if found is None:
        return None
    if _STAMP_WORD.match(stripped):
        return found
    # A bare date line: little else than the date and a time on it.
    leftover = stripped
    for pattern in _PATTERNS:
        leftover = pattern.sub("", leftover)
    leftover = _TIME_NOISE.sub("", leftover)
    return found if len(leftover) <= 12 else None
