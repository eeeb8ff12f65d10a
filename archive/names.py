"""Parse written names into display tokens and folded matching keys.

Speaker canonicalisation compares keys, never raw strings: `Mr. López-Obrador`
and `President Lopez Obrador` both become `("lopez", "obrador")`. The word
lists (titles, suffixes, particles) live in `data/name_words.json` so they can
grow without code changes. Middle initials and `Jr.`/`Sr.` stay in the key as
marker tokens (`hw.`, `jr#`) so they can keep people apart; given-name
nicknames come from the `nicknames` package, filtered by `data/nickname_links.json`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from archive.models import SpeakerKind
from archive.text import fold

_DATA = Path(__file__).with_name("data")
_WORDS_FILE = _DATA / "name_words.json"
_NICKNAMES_FILE = _DATA / "nickname_links.json"
_FIRST_NAMES_FILE = _DATA / "first_names.json"
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w]+")
_EDGE_PUNCT = ',;:!?"“”‘’«»()[]{}<>*'
_LEADING_ARTICLES = frozenset({"the"})

Key = tuple[str, ...]
INITIALS_MARK = "."  # ends the one key token that holds a name's middle initials
GENERATION_MARK = "#"  # ends the key token for `Jr.`/`Sr.`/`III`, kept before the surname
_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})


@dataclass(frozen=True, slots=True)
class NameWords:
    titles: frozenset[str]
    dotted_titles: frozenset[str]
    title_links: frozenset[str]
    title_context: frozenset[str]
    male_titles: frozenset[str]
    female_titles: frozenset[str]
    suffixes: frozenset[str]
    particles: frozenset[str]
    regnal_titles: frozenset[str]


@dataclass(frozen=True, slots=True)
class ParsedName:
    """`display`: written tokens without titles; `key`: what matching compares.

    `gender` is what the dropped titles say (`Mr.` MALE, `Ms.` FEMALE, both or
    neither 0), so a gendered mention never joins a name known as the other.
    """

    display: tuple[str, ...]
    key: Key
    gender: int = 0


MALE = 1
FEMALE = 2


def genders_conflict(first: int, second: int) -> bool:
    """True only when each side is known to be one gender, and they differ."""
    return first in (MALE, FEMALE) and second in (MALE, FEMALE) and first != second


@cache
def name_words() -> NameWords:
    try:
        data = json.loads(_WORDS_FILE.read_text(encoding="utf-8"))
        return NameWords(
            titles=frozenset(data["titles"]),
            dotted_titles=frozenset(data["dotted_titles"]),
            title_links=frozenset(data["title_links"]),
            title_context=frozenset(data["title_context"]),
            male_titles=frozenset(data["male_titles"]),
            female_titles=frozenset(data["female_titles"]),
            suffixes=frozenset(data["suffixes"]),
            particles=frozenset(data["particles"]),
            regnal_titles=frozenset(data["regnal_titles"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{_WORDS_FILE}: cannot read name word lists ({exc})") from exc


def quick_fold(text: str) -> str:
    """`archive.text.fold`, with a fast path for the ASCII strings most names are."""
    return " ".join(text.casefold().split()) if text.isascii() else fold(text)


def _plain(token: str) -> str:
    """Folded token without periods or apostrophes: `J.` -> `j`, `O'Neill` -> `oneill`."""
    return _APOSTROPHES.sub("", quick_fold(token).replace(".", ""))


@dataclass(frozen=True, slots=True)
class _Token:
    """What name parsing needs to know about one written token, worked out once."""

    plain: str
    parts: tuple[str, ...]  # key parts: hyphens and other marks split `al-Assad`
    title: bool
    suffix: bool
    initial: bool  # `J.`, `H.W.`, `F`: letters standing for a name
    title_word: bool  # a link or context word that can continue a title (`of`, `State`)

    @property
    def name(self) -> bool:
        return not (self.title or self.suffix or self.title_word)


@lru_cache(maxsize=65536)
def _token(token: str) -> _Token:
    words = name_words()
    plain = _plain(token)
    parts = tuple(part for part in _NON_WORD.split(plain) if part and part != "_")
    return _Token(
        plain=plain,
        parts=parts,
        title=(bool(parts) and all(part in words.titles for part in parts))
        or (token.endswith(".") and plain in words.dotted_titles),
        suffix=len(parts) == 1 and parts[0] in words.suffixes,
        initial=plain.isalpha() and (len(plain) == 1 or ("." in token and len(plain) <= 2)),
        title_word=plain in words.title_links or plain in words.title_context,
    )


def written_tokens(name: str) -> list[str]:
    """Whitespace tokens of a name, without bracketed asides, edge punctuation or a possessive."""
    text = _PARENS.sub(" ", name) if "(" in name or "[" in name else name
    tokens = [tok.strip(_EDGE_PUNCT) for tok in text.split()]
    tokens = [tok for tok in tokens if tok and _token(tok).parts]
    if tokens:
        tokens[-1] = _POSSESSIVE.sub("", tokens[-1]) or tokens[-1]
    return tokens


def _title_gender(tokens: Sequence[str]) -> int:
    words = name_words()
    gender = 0
    for token in tokens:
        plain = _token(token).plain
        gender |= MALE if plain in words.male_titles else 0
        gender |= FEMALE if plain in words.female_titles else 0
    return gender


def _strip_titles(tokens: list[str]) -> list[str]:
    """Drop everything up to the last title word that still has a name after it.

    `House Speaker Mike Johnson` -> `Mike Johnson`; `Charlie King` keeps `King`
    because no name follows it; `Sen. Angus King` drops only `Sen.`;
    `Secretary of State Antony Blinken` drops the title's `of State` too. A regnal
    title before a lone given name stays (`Britain's Prince Charles` -> `Prince Charles`).
    """
    info = [_token(token) for token in tokens]
    links = name_words().title_links
    cut = 0
    for index, token in enumerate(info):
        if token.title and any(t.name for t in info[index + 1 :]):
            cut = index + 1
    if cut and cut < len(info) and info[cut].plain in links:
        end = cut
        while end < len(info) and info[end].title_word:
            end += 1
        if any(t.name for t in info[end:]):
            cut = end
    if _regnal_before_one_name(info, cut):
        cut -= 1  # `Prince Charles` is how he is named, not a bare `Charles`
    return tokens[cut:]


def _regnal_before_one_name(info: list[_Token], cut: int) -> bool:
    return (
        cut > 0
        and info[cut - 1].plain in name_words().regnal_titles
        and sum(1 for token in info[cut:] if token.name) == 1
    )


def parse_person(name: str) -> ParsedName:
    """Key a person's name: no titles or suffixes; folded; hyphens split.

    Middle initials become one marker token (`George H. W. Bush` ->
    `("george", "hw.", "bush")`), so two different initials never look like
    one person while `George Bush` is still a shorter form of either. A
    generation suffix does the same before the surname (`Martin Vale Jr.` ->
    `("martin", "jr#", "vale")`): father and son stay apart, `Martin Vale`
    may be either. Other suffixes (`Ph.D.`) are dropped. A lower-case
    one-letter particle (`Ortega y Gasset`) is dropped too.
    """
    written = written_tokens(name)
    display = _strip_titles(written)
    titles = written[: len(written) - len(display)]
    if len(display) > 1 and _token(display[0]).plain in name_words().regnal_titles:
        titles = [*titles, display[0]]  # kept in the name, and still says the gender
    gender = _title_gender(titles)
    core = [tok for tok in display if not _token(tok).suffix] or display
    last = len(core) - 1
    key: list[str] = []
    letters = ""
    marker_at = -1
    for index, tok in enumerate(core):
        info = _token(tok)
        if index in (0, last) or not info.initial:
            key.extend(info.parts)
        elif "." in tok or not (tok.islower() and is_particle(info.plain)):
            marker_at = len(key) if marker_at < 0 else marker_at
            letters += info.plain
    if letters:
        key.insert(marker_at, letters + INITIALS_MARK)
    generations = [
        _token(tok).plain
        for tok in display
        if _token(tok).suffix and _token(tok).plain in _GENERATIONS
    ]
    if generations and len(core) > 1 and len(key) > 1:
        key.insert(len(key) - 1, generations[-1] + GENERATION_MARK)
    return ParsedName(display=tuple(display), key=tuple(key), gender=gender if gender != 3 else 0)


def parse_group(name: str) -> ParsedName:
    """Key an organisation or unnamed group: folded words, a leading `the` dropped."""
    tokens = written_tokens(name)
    while len(tokens) > 1 and _token(tokens[0]).plain in _LEADING_ARTICLES:
        tokens = tokens[1:]
    key = tuple(part for tok in tokens for part in _token(tok).parts)
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


def is_initials(token: str) -> bool:
    """The key token holding a name's middle initials (`hw.`)."""
    return token.endswith(INITIALS_MARK)


def is_generation(token: str) -> bool:
    """The key token holding a generation suffix (`jr#`)."""
    return token.endswith(GENERATION_MARK)


@cache
def _nickname_links() -> dict[str, frozenset[str]]:
    """Given name -> the names one direct link of the `nicknames` package joins it to.

    Only direct links, both ways (`bob` <-> `robert`), never chains: `bill` is
    linked to both `william` and `robert`, which are not linked to each other.
    Pairs listed in `nickname_links.json` and pairs of names that
    `first_names.json` gives to opposite sexes are left out.
    """
    from nicknames import name_triplets

    try:
        data = json.loads(_NICKNAMES_FILE.read_text(encoding="utf-8"))
        excluded = {frozenset(quick_fold(name) for name in pair) for pair in data["not_equivalent"]}
        sexes = json.loads(_FIRST_NAMES_FILE.read_text(encoding="utf-8"))
        sex = {name: "male" for name in sexes["male"]}
        sex.update({name: "female" for name in sexes["female"]})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{_NICKNAMES_FILE}: cannot read nickname exclusions ({exc})") from exc
    links: dict[str, set[str]] = {}
    for triplet in name_triplets():
        first, second = _plain(triplet.name1), _plain(triplet.name2)
        if not first or not second or first == second or {first, second} in excluded:
            continue
        if sex.get(first, second) != sex.get(second, first):  # known, and opposite
            continue
        links.setdefault(first, set()).add(second)
        links.setdefault(second, set()).add(first)
    return {name: frozenset(linked) for name, linked in links.items()}


def nicknames_of(given: str) -> frozenset[str]:
    """Folded given names that can be the same given name (`bill` -> `william`, `billy`, ...)."""
    return _nickname_links().get(given, frozenset())


def given_names_match(first: str, second: str) -> bool:
    return first == second or second in nicknames_of(first)


def _initial_letters(middle: Key) -> str:
    return "".join(token[:-1] if is_initials(token) else token[:1] for token in middle)


def middles_agree(first: Key, second: Key) -> bool:
    """Can two middle-name runs belong to one person?

    A missing middle agrees with any; middle names must be one a subsequence of
    the other; once initials are involved, the initial letters must be the same
    (`W.` = `Walker`, `H. W.` = `Herbert Walker`, `W.` != `H. W.`); two
    different generation suffixes (`Jr.`, `Sr.`) never agree.
    """
    generation_first = [token for token in first if is_generation(token)]
    generation_second = [token for token in second if is_generation(token)]
    if generation_first and generation_second and generation_first != generation_second:
        return False
    first = tuple(token for token in first if not is_generation(token))
    second = tuple(token for token in second if not is_generation(token))
    if not first or not second:
        return True
    names_first = tuple(token for token in first if not is_initials(token))
    names_second = tuple(token for token in second if not is_initials(token))
    if len(names_first) == len(first) and len(names_second) == len(second):
        return is_subsequence(first, second) or is_subsequence(second, first)
    if _initial_letters(first) != _initial_letters(second):
        return False
    return is_subsequence(names_first, names_second) or is_subsequence(names_second, names_first)


def same_person_names(first: Key, second: Key) -> bool:
    """Can two full names, neither a shorter form of the other, be one person?

    `Joe Biden` = `Joseph R. Biden`, `John F. Kennedy` = `John Fitzgerald Kennedy`:
    the same surname, given names equal or linked as nicknames, middles that
    agree. Callers still have to check that no other name fits as well.
    """
    if len(first) < 2 or len(second) < 2 or first == second or first[-1] != second[-1]:
        return False
    if is_particle(first[0]) or is_particle(second[0]):
        return False
    return given_names_match(first[0], second[0]) and middles_agree(first[1:-1], second[1:-1])
