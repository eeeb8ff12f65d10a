"""Parse written names into display tokens and folded matching keys.

Speaker canonicalisation compares keys, never raw strings: `Mr. López-Obrador`
and `President Lopez Obrador` both become `("lopez", "obrador")`. The word
lists (titles, suffixes, particles) live in `data/name_words.json` so they can
grow without code changes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from archive.models import SpeakerKind
from archive.text import fold

_WORDS_FILE = Path(__file__).with_name("data") / "name_words.json"
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w]+")
_EDGE_PUNCT = ',;:!?"“”‘’«»()[]{}<>*'
_LEADING_ARTICLES = frozenset({"the"})

Key = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NameWords:
    titles: frozenset[str]
    title_links: frozenset[str]
    title_context: frozenset[str]
    suffixes: frozenset[str]
    particles: frozenset[str]


@dataclass(frozen=True, slots=True)
class ParsedName:
    """`display`: written tokens without titles; `key`: what matching compares."""

    display: tuple[str, ...]
    key: Key


@cache
def name_words() -> NameWords:
    try:
        data = json.loads(_WORDS_FILE.read_text(encoding="utf-8"))
        return NameWords(
            titles=frozenset(data["titles"]),
            title_links=frozenset(data["title_links"]),
            title_context=frozenset(data["title_context"]),
            suffixes=frozenset(data["suffixes"]),
            particles=frozenset(data["particles"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{_WORDS_FILE}: cannot read name word lists ({exc})") from exc


def _plain(token: str) -> str:
    """Folded token without periods or apostrophes: `J.` -> `j`, `O'Neill` -> `oneill`."""
    return _APOSTROPHES.sub("", fold(token).replace(".", ""))


def _parts(token: str) -> list[str]:
    """Key parts of one written token; hyphens and other marks split it (`al-Assad`)."""
    return [part for part in _NON_WORD.split(_plain(token)) if part and part != "_"]


def _is_title(token: str) -> bool:
    parts = _parts(token)
    titles = name_words().titles
    return bool(parts) and all(part in titles for part in parts)


def _is_suffix(token: str) -> bool:
    parts = _parts(token)
    return len(parts) == 1 and parts[0] in name_words().suffixes


def _is_initial(token: str) -> bool:
    """`J.`, `H.W.`, `F`: letters standing for a name, not a name."""
    plain = _plain(token)
    if not plain.isalpha():
        return False
    return len(plain) == 1 or ("." in token and len(plain) <= 2)


def written_tokens(name: str) -> list[str]:
    """Whitespace tokens of a name, without bracketed asides, edge punctuation or a possessive."""
    text = _PARENS.sub(" ", name)
    tokens = [tok.strip(_EDGE_PUNCT) for tok in text.split()]
    tokens = [tok for tok in tokens if tok and _parts(tok)]
    if tokens:
        tokens[-1] = _POSSESSIVE.sub("", tokens[-1]) or tokens[-1]
    return tokens


def _strip_titles(tokens: list[str]) -> list[str]:
    """Drop everything up to the last title word that still has a name after it.

    `House Speaker Mike Johnson` -> `Mike Johnson`; `Charlie King` keeps `King`
    because no name follows it; `Sen. Angus King` drops only `Sen.`;
    `Secretary of State Antony Blinken` drops the title's `of State` too.
    """
    words = name_words()

    def is_name(token: str) -> bool:
        plain = _plain(token)
        if plain in words.title_links or plain in words.title_context:
            return False
        return not _is_title(token) and not _is_suffix(token)

    cut = 0
    for index, token in enumerate(tokens):
        if _is_title(token) and any(is_name(t) for t in tokens[index + 1 :]):
            cut = index + 1
    if cut and cut < len(tokens) and _plain(tokens[cut]) in words.title_links:
        end = cut
        while end < len(tokens) and (
            _plain(tokens[end]) in words.title_links or _plain(tokens[end]) in words.title_context
        ):
            end += 1
        if any(is_name(t) for t in tokens[end:]):
            cut = end
    return tokens[cut:]


def parse_person(name: str) -> ParsedName:
    """Key a person's name: no titles, suffixes or middle initials; folded; hyphens split."""
    display = _strip_titles(written_tokens(name))
    core = [tok for tok in display if not _is_suffix(tok)] or display
    kept = [
        tok
        for index, tok in enumerate(core)
        if index == 0 or index == len(core) - 1 or not _is_initial(tok)
    ]
    key = tuple(part for tok in kept for part in _parts(tok))
    return ParsedName(display=tuple(display), key=key)


def parse_group(name: str) -> ParsedName:
    """Key an organisation or unnamed group: folded words, a leading `the` dropped."""
    tokens = written_tokens(name)
    while len(tokens) > 1 and _plain(tokens[0]) in _LEADING_ARTICLES:
        tokens = tokens[1:]
    key = tuple(part for tok in tokens for part in _parts(tok))
    return ParsedName(display=tuple(tokens), key=key)


def parse_name(name: str, kind: SpeakerKind) -> ParsedName:
    return parse_person(name) if kind == "person" else parse_group(name)


def is_particle(token: str) -> bool:
    return token in name_words().particles


def is_subsequence(part: Key, full: Key) -> bool:
    """Every token of `part` appears in `full`, in order."""
    tokens = iter(full)
    return all(token in tokens for token in part)


def is_compatible(part: Key, full: Key) -> bool:
    """Can `part` be a shorter mention of the person called `full`, anywhere in the archive?

    The surname must match: `part` ends with `full`'s last token, and is either
    a run of its last tokens (`Obrador`, `López Obrador`, `von der Leyen`) or
    starts with the same given name (`Hillary Clinton` in `Hillary Rodham Clinton`).
    """
    if not part or len(part) >= len(full) or part[-1] != full[-1]:
        return False
    if all(is_particle(token) for token in part):
        return False
    if full[len(full) - len(part) :] == part:
        return True
    return part[0] == full[0] and is_subsequence(part, full)


def has_letters(name: str) -> bool:
    return any(ch.isalnum() for ch in name)
