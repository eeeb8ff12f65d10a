"""Which outlet published an article: canonical names and recognition from text or URL.

All knowledge of particular outlets lives in `data/outlets.json`, so adding an
outlet never needs a code change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from archive.models import UNKNOWN_OUTLET
from archive.text import fold

_DOMAIN = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}")
_CREDIT_OR_LINK = re.compile(
    r"^\W*(?:photo|photograph|image|picture|video|illustration|graphic|read more|related|"
    r"more from|see also|also read|read also|read next|watch|listen)\b"
    r"|\b(?:AP|Reuters|AFP) Photo\b",
    re.I,
)
_LEADING_THE = re.compile(r"^the\s+")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
# `WASHINGTON (AP) —`, `LONDON, Dec 27 (Reuters) -`: a wire service credited in a dateline.
_DATELINE = re.compile(r"^[A-Z][A-Za-z .,'-]{1,60}?\s*\(([A-Za-z .&-]{2,40})\)\s*[—–-]")
# `© 2023 The New York Times Company`, `Copyright 2023 The Associated Press. All rights reserved.`
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright\b)\s*(?:©\s*)?(?:\d{4}\s*)?(?:[-–]\s*\d{4}\s*)?(.+?)(?:\s+(?:company|inc|ltd|llc|group|plc)\b.*|[.,;].*)?$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    ambiguous: bool


def _key(name: str) -> str:
    """Matching key: folded, no leading `The`, no trailing punctuation."""
    return _LEADING_THE.sub("", fold(name)).strip(" .,;:|-–—")


@cache
def known_outlets() -> tuple[Outlet, ...]:
    raw = resources.files("archive").joinpath("data/outlets.json").read_text(encoding="utf-8")
    return tuple(
        Outlet(
            name=entry["name"],
            aliases=tuple(entry.get("aliases", ())),
            domains=tuple(entry.get("domains", ())),
            ambiguous=bool(entry.get("ambiguous", False)),
        )
        for entry in json.loads(raw)["outlets"]
    )


@cache
def _by_key() -> dict[str, Outlet]:
    table: dict[str, Outlet] = {}
    for outlet in known_outlets():
        for name in (outlet.name, *outlet.aliases):
            table.setdefault(_key(name), outlet)
    return table


@cache
def _by_domain() -> dict[str, Outlet]:
    return {domain: outlet for outlet in known_outlets() for domain in outlet.domains}


@cache
def _free_text_pattern() -> re.Pattern[str]:
    """Names safe to look for in running text: distinctive, as capitalised in print."""
    names = {
        name
        for outlet in known_outlets()
        if not outlet.ambiguous
        for name in (outlet.name, *outlet.aliases)
        if len(name) >= 4 and not name.isupper()
    }
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def lookup_outlet(name: str) -> str | None:
    """The canonical name of a known outlet, or None when `name` is not one."""
    outlet = _by_key().get(_key(name))
    return outlet.name if outlet else None


def canonical_outlet(name: str) -> str:
    """`WSJ`, `Wall Street Journal` -> `The Wall Street Journal`; unknown names kept as given."""
    cleaned = " ".join(name.split()).strip(" .,;:|")
    if not cleaned or fold(cleaned) == UNKNOWN_OUTLET:
        return UNKNOWN_OUTLET
    if _DOMAIN.fullmatch(cleaned.lower()):
        return outlet_from_url(f"https://{cleaned}") or cleaned
    return lookup_outlet(cleaned) or cleaned


def outlet_from_url(url: str) -> str | None:
    """`https://www.nytimes.com/2023/...` -> `The New York Times`; None for unknown domains."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    table = _by_domain()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        outlet = table.get(".".join(parts[i:]))
        if outlet:
            return outlet.name
    return None


def outlet_in_dateline(paragraph: str) -> str | None:
    """The wire service of a `CITY (AP) —` dateline opening a paragraph."""
    match = _DATELINE.match(paragraph)
    return lookup_outlet(match.group(1)) if match else None


def outlet_in_copyright(line: str) -> str | None:
    match = _COPYRIGHT.match(line.strip())
    return lookup_outlet(match.group(1)) if match else None


def outlets_mentioned(text: str) -> list[str]:
    """Known outlets named in `text` outside quotations, canonical, in order of appearance."""
    found: list[str] = []
    for name, _, _ in outlet_spans(_QUOTED.sub(" ", text)):
        if name not in found:
            found.append(name)
    return found


def outlet_spans(text: str) -> list[tuple[str, int, int]]:
    """Each known outlet named in `text`: canonical name, start and end of the name."""
    spans: list[tuple[str, int, int]] = []
    for match in _free_text_pattern().finditer(text):
        name = lookup_outlet(match.group(0))
        if name:
            spans.append((name, match.start(), match.end()))
    return spans


def detect_outlet(
    header: Sequence[str] = (),
    bylines: Sequence[str] = (),
    body: Sequence[str] = (),
    boilerplate: Sequence[str] = (),
) -> str | None:
    """The outlet an article's own text names, strongest evidence first.

    `header`: lines between title and body (an outlet alone on its line);
    `bylines`: the parts of a byline after the names (`Reuters` in `By Jane Doe, Reuters`);
    `body`: paragraphs, searched only for wire datelines, because a story that
    cites `the New York Post` is not published by it;
    `boilerplate`: removed site furniture, where a known name is a self-reference
    (`The Independent is on the ground...`, `follow other Independent readers`).
    """
    for line in (*header, *bylines):
        name = lookup_outlet(line)
        if name:
            return name
    for line in boilerplate:
        name = outlet_in_copyright(line)
        if name:
            return name
    votes: dict[str, int] = {}
    for line in boilerplate:
        if _CREDIT_OR_LINK.search(line):
            continue  # `Photo: Reuters`, `Read more: CNN's report` name someone else
        for name in outlets_mentioned(line):
            votes[name] = votes.get(name, 0) + 1
    if votes:
        return max(votes, key=lambda n: votes[n])
    for paragraph in body[:3]:
        name = outlet_in_dateline(paragraph)
        if name:
            return name
    return None
