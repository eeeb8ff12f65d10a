"""Canonical speakers across the archive.

Each extraction knows its speakers only by the names one article uses. The
directory folds those names into keys (`archive.names`), merges short mentions
with the full name inside each article as it streams in, and at the end merges
surname-only keys with the one full name they can belong to across the archive,
then full names that are one person written two ways (`Joe Biden`, `Joseph R.
Biden Jr.`). Ambiguity never merges: a key that could be two people (`Johnson`,
`George Bush` beside `George W. Bush` and `George H. W. Bush`) stays a speaker
of its own. Only names, roles and counts are kept per article, so 100k articles
fit easily, and every merge goes through dictionaries keyed by folded tokens,
never all pairs.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar, get_args

from archive.models import UNKNOWN_OUTLET, Extraction, Speaker, SpeakerKind
from archive.names import (
    Key,
    ParsedName,
    genders_conflict,
    has_letters,
    is_compatible,
    is_particle,
    is_subsequence,
    nicknames_of,
    parse_group,
    parse_person,
    quick_fold,
    same_person_names,
)
from archive.text import fold_words, slug

__all__ = ["SpeakerDirectory", "SpeakerMatcher", "match_speakers"]

MAX_ROLES = 20  # the most frequent roles: enough to say who someone is, without bloating the index
_DISPLAY_SUPPORT = 5  # a display-name candidate needs 1/5 of the uses of the most used full form
_SURNAME_FIRST_ARTICLES = 2  # articles that call a full name by its first word, before `Xi` joins
_KINDS: tuple[SpeakerKind, ...] = get_args(SpeakerKind)
_KIND_PREFERENCE = {kind: rank for rank, kind in enumerate(reversed(_KINDS))}
_KIND_INDEX = {kind: index for index, kind in enumerate(_KINDS)}
_ROLE_ARTICLES = ("the ", "a ", "an ")
_NO_VARIANT = -1
_Node = TypeVar("_Node", int, Key)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_LETTERS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=32768)
def _parse(name: str, person: bool) -> ParsedName:
    return parse_person(name) if person else parse_group(name)


def _clean(name: str) -> str:
    return " ".join(name.split())


def _is_role(role: str) -> bool:
    """A description, not debris such as `R., La.`: a word of 3+ letters or an acronym (`VP`)."""
    return any(
        len(word) >= 3 or (len(word) >= 2 and word.isupper()) for word in _LETTERS.findall(role)
    )


@lru_cache(maxsize=65536)
def _role_key(role: str) -> str:
    key = fold_words(role)
    for article in _ROLE_ARTICLES:
        if key.startswith(article):
            return key[len(article) :]
    return key


@dataclass(slots=True)
class _Variant:
    """Everything the archive said under one folded key."""

    key: Key
    names: Counter[str] = field(default_factory=Counter)
    roles: dict[str, Counter[str]] | None = None  # folded role -> spellings; most have none
    kinds: list[int] = field(default_factory=lambda: [0] * len(_KINDS))  # mentions per kind
    held: bool = False  # some article had two fuller names it could be: never merge it
    gender: int = 0  # MALE/FEMALE bits from titles across the archive
    first_refs: int = 0  # articles that called this full name by its first word alone (`Xi`)
    last_refs: int = 0  # articles that shortened it to a form ending in its last word

    def kind(self) -> SpeakerKind:
        return _majority(self.kinds, None)


def _majority(counts: Sequence[int], favour: SpeakerKind | None) -> SpeakerKind:
    """The kind most mentions give; ties go to `favour`, then person, organisation, unnamed."""
    return max(
        _KINDS,
        key=lambda kind: (counts[_KIND_INDEX[kind]], kind == favour, _KIND_PREFERENCE[kind]),
    )


@dataclass(frozen=True, slots=True)
class _ArticleEntry:
    content_hash: str
    outlet: str
    variants: tuple[int, ...]  # per entity index; _NO_VARIANT for nameless entities
    quotes: tuple[int, ...]  # speech quotes per entity index


@dataclass(frozen=True, slots=True)
class _Resolved:
    speakers: tuple[Speaker, ...]
    variant_ids: tuple[str, ...]  # speaker id for every variant
    by_id: dict[str, Speaker]


@dataclass(slots=True)
class _Local:
    """One entity of the article being added, before it joins a variant."""

    key: Key
    kind: SpeakerKind
    names: list[str]
    roles: tuple[str, ...]
    gender: int  # MALE/FEMALE bits from titles (`Mr.`, `Ms.`); both bits mean unknown


class SpeakerDirectory:
    """Collects the per-article entities of every extraction, then canonicalises them.

    Canonicalisation runs lazily on the first `speakers()`/`speaker_id()` after
    an `add`, so streaming adds stay cheap.
    """

    def __init__(self) -> None:
        self._variants: list[_Variant] = []
        self._by_key: dict[Key, int] = {}
        self._articles: dict[str, _ArticleEntry] = {}
        self._resolved: _Resolved | None = None

    def __len__(self) -> int:
        return len(self.speakers())

    def add(self, extraction: Extraction) -> None:
        """Record one article's speakers; re-adding the same article content is a no-op."""
        article = extraction.article
        content_hash = article.content_hash
        known = self._articles.get(article.id)
        if known is not None:
            if known.content_hash == content_hash:
                return
            raise ValueError(f"article {article.id!r}: added twice with different content")
        locals_ = [
            self._local(entity.name, entity.kind, entity.aliases, entity.roles)
            for entity in extraction.entities
        ]
        targets, held = _merge_within_article(locals_)
        first_refs: set[Key] = set()
        last_refs: set[Key] = set()
        for local, target in zip(locals_, targets, strict=True):
            if local is not None and target is not None and target != local.key:
                if local.key == target[:1]:
                    first_refs.add(target)
                elif local.key[-1] == target[-1]:
                    last_refs.add(target)
        variant_of: list[int] = []
        for local, target in zip(locals_, targets, strict=True):
            if local is None or target is None:
                variant_of.append(_NO_VARIANT)
                continue
            index = self._variant(target)
            variant = self._variants[index]
            variant.held = variant.held or target in held
            variant.gender |= local.gender
            variant.names.update(local.names)
            variant.kinds[_KIND_INDEX[local.kind]] += 1
            for role in local.roles:
                key = _role_key(role)
                if key:
                    if variant.roles is None:
                        variant.roles = {}
                    variant.roles.setdefault(key, Counter())[_clean(role)] += 1
            variant_of.append(index)
        for target in first_refs:  # once per article, however often it says the first word
            self._variants[self._variant(target)].first_refs += 1
        for target in last_refs:
            self._variants[self._variant(target)].last_refs += 1
        quotes = [0] * len(variant_of)
        for quote in extraction.quotes:
            if quote.speech and quote.entity is not None and 0 <= quote.entity < len(quotes):
                quotes[quote.entity] += 1
        self._articles[article.id] = _ArticleEntry(
            content_hash=content_hash,
            outlet=article.outlet,
            variants=tuple(variant_of),
            quotes=tuple(quotes),
        )
        self._resolved = None

    def extend(self, extractions: Iterable[Extraction]) -> None:
        for extraction in extractions:
            self.add(extraction)

    def speakers(self) -> tuple[Speaker, ...]:
        """Every canonical speaker, most quoted first, then by name."""
        return self._resolve().speakers

    def speaker_id(self, article_id: str, entity: int) -> str | None:
        """The canonical id for `Quote.entity` index `entity` of article `article_id`."""
        entry = self._articles.get(article_id)
        if entry is None or not 0 <= entity < len(entry.variants):
            return None
        index = entry.variants[entity]
        return None if index == _NO_VARIANT else self._resolve().variant_ids[index]

    def speaker(self, speaker_id: str) -> Speaker | None:
        return self._resolve().by_id.get(speaker_id)

    # -- adding -------------------------------------------------------------

    @staticmethod
    def _local(name: str, kind: str, aliases: Sequence[str], roles: Sequence[str]) -> _Local | None:
        if not isinstance(name, str) or not has_letters(name):
            return None
        safe_kind: SpeakerKind = kind if kind in _KINDS else "person"  # type: ignore[assignment]
        person = safe_kind == "person"
        parsed = _parse(name, person)
        key = parsed.key or (quick_fold(name),)
        gender = parsed.gender
        written = [_clean(name)]
        for alias in aliases:
            if not isinstance(alias, str) or not has_letters(alias):
                continue
            written.append(_clean(alias))
            parsed_alias = _parse(alias, person)
            gender |= parsed_alias.gender
            alias_key = parsed_alias.key
            # An alias that spells out more of the same name makes the key fuller.
            if person and len(alias_key) > len(key) and is_subsequence(key, alias_key):
                key = alias_key
        clean_roles = tuple(r for r in roles if isinstance(r, str) and _is_role(r))
        return _Local(key=key, kind=safe_kind, names=written, roles=clean_roles, gender=gender)

    def _variant(self, key: Key) -> int:
        index = self._by_key.get(key)
        if index is None:
            index = len(self._variants)
            self._variants.append(_Variant(key=key))
            self._by_key[key] = index
        return index

    # -- resolving ----------------------------------------------------------

    def _resolve(self) -> _Resolved:
        if self._resolved is None:
            self._resolved = _resolve(self._variants, self._articles.values())
        return self._resolved


def _merge_within_article(
    locals_: Sequence[_Local | None],
) -> tuple[list[Key | None], set[Key]]:
    """Each entity's key after merging short person mentions into this article's full names.

    Inside one article, any mention whose tokens appear in order in exactly one
    fuller name is that person (`Obrador`, `García`, `Hillary`); two fuller
    candidates (`Mike Johnson`, `Ron Johnson`) leave it as it is, and it is
    returned as held so that no archive-wide merge picks one of them either.
    Full names that are one person written two ways (`Joe Biden`, `Joseph R.
    Biden Jr.`) count as one candidate, under the archive-wide rule; they keep
    their own keys, so the archive-wide step still sees what each one says.
    """
    genders: dict[Key, int] = {}
    for local in locals_:
        if local is not None and local.kind == "person":
            genders[local.key] = genders.get(local.key, 0) | local.gender
    persons = sorted(genders, key=lambda key: (-len(key), key))
    fuller: dict[Key, list[Key]] = {}
    for key in persons:
        if all(is_particle(token) for token in key):
            fuller[key] = []
            continue
        fuller[key] = [
            other
            for other in persons
            if len(other) > len(key)
            and is_subsequence(key, other)
            and not genders_conflict(genders[key], genders[other])
        ]
    full = [key for key in persons if not fuller[key] and len(key) > 1]
    same = _cliques(
        {
            key: {
                other
                for other in full
                if same_person_names(key, other)
                and not genders_conflict(genders[key], genders[other])
            }
            for key in full
        },
        lambda key: key,
    )
    resolved: dict[Key, Key] = {}
    held: set[Key] = set()
    for key in persons:
        terminals = {same.get(other, other) for other in fuller[key] if not fuller[other]}
        resolved[key] = terminals.pop() if len(terminals) == 1 else key
        if len(terminals) > 1:
            held.add(key)
    targets: list[Key | None] = []
    for local in locals_:
        if local is None:
            targets.append(None)
        else:
            targets.append(
                resolved.get(local.key, local.key) if local.kind == "person" else local.key
            )
    return targets, held


def _archive_parents(variants: Sequence[_Variant], kinds: Sequence[SpeakerKind]) -> list[int]:
    """For every variant, the variant it merges into across the archive (itself if none).

    Two steps: every person key finds the full names it can be a shorter form
    of (`_terminals`), then full names that are one person written two ways
    (`Joe Biden`, `Joseph R. Biden Jr.`) are joined (`_nickname_clusters`). A key
    merges only when everything it can be ends up as one single speaker.
    """
    persons = [i for i, kind in enumerate(kinds) if kind == "person"]
    terminals = _terminals(variants, persons)
    nodes = [
        index
        for index in persons
        if terminals[index] == {index}
        and not variants[index].held
        and len(variants[index].key) >= 2
    ]
    cluster = _nickname_clusters(variants, nodes)
    parents = list(range(len(variants)))
    for index in persons:
        roots = {cluster.get(terminal, terminal) for terminal in terminals[index]}
        if len(roots) == 1:
            parents[index] = roots.pop()
    return parents


def _terminals(variants: Sequence[_Variant], persons: Sequence[int]) -> dict[int, frozenset[int]]:
    """Every person variant's fullest names: the keys it can shorten that nothing fuller shortens.

    Candidates come from indexes (proper suffixes, first+last token, first token),
    so the work is linear in the number of keys. A one-word key (`Xi`) is also
    looked up as the first word of a full name, but only when some full name
    starting with it was called by that word alone in `_SURNAME_FIRST_ARTICLES`
    articles and never by its last word: the archive's own evidence that the
    word is a surname written first (`Xi Jinping`), not a given name (`Hillary`).
    """
    by_suffix: dict[Key, list[int]] = {}
    by_ends: dict[tuple[str, str], list[int]] = {}
    by_first: dict[str, list[int]] = {}
    surname_first: set[str] = set()
    for index in persons:
        variant = variants[index]
        key = variant.key
        for start in range(1, len(key)):
            by_suffix.setdefault(key[start:], []).append(index)
        if len(key) > 1:
            by_ends.setdefault((key[0], key[-1]), []).append(index)
            by_first.setdefault(key[0], []).append(index)
            if variant.first_refs >= _SURNAME_FIRST_ARTICLES and not variant.last_refs:
                surname_first.add(key[0])
    terminals: dict[int, frozenset[int]] = {}
    for index in sorted(persons, key=lambda i: -len(variants[i].key)):
        key = variants[index].key
        if variants[index].held:
            terminals[index] = frozenset((index,))
            continue
        candidates = set(by_suffix.get(key, ()))
        candidates.update(by_ends.get((key[0], key[-1]), ()))
        gender = variants[index].gender
        fuller = [
            c
            for c in candidates
            if is_compatible(key, variants[c].key)
            and not genders_conflict(gender, variants[c].gender)
        ]
        if len(key) == 1 and key[0] in surname_first:
            fuller.extend(
                c for c in by_first[key[0]] if not genders_conflict(gender, variants[c].gender)
            )
        reach = frozenset(
            t
            for c in fuller
            for t in terminals[c]
            if not genders_conflict(gender, variants[t].gender)
        )
        terminals[index] = reach or frozenset((index,))
    return terminals


def _nickname_clusters(variants: Sequence[_Variant], nodes: Sequence[int]) -> dict[int, int]:
    """Full-name variants that are one person written two ways -> one representative of each.

    Two full names are linked when `same_person_names` says they can be one
    person and no title says otherwise. A group of linked names merges only if
    every two of them are linked: `Bill Ames` links to both `William Ames` and
    `Robert Ames`, who are not linked to each other, so none of the three merges.
    """
    by_ends: dict[tuple[str, str], list[int]] = {}
    for index in nodes:
        key = variants[index].key
        by_ends.setdefault((key[0], key[-1]), []).append(index)
    links: dict[int, set[int]] = {}
    for index in nodes:
        variant = variants[index]
        key = variant.key
        for given in (key[0], *nicknames_of(key[0])):
            for other in by_ends.get((given, key[-1]), ()):
                if (
                    other != index
                    and same_person_names(key, variants[other].key)
                    and not genders_conflict(variant.gender, variants[other].gender)
                ):
                    links.setdefault(index, set()).add(other)
    return _cliques(links, lambda index: variants[index].key)


def _cliques(links: dict[_Node, set[_Node]], key_of: Callable[[_Node], Key]) -> dict[_Node, _Node]:
    """Linked nodes -> the representative of their group, for groups where all pairs are linked.

    The representative is the node with the longest key, then the first key, so
    the choice does not depend on the order articles arrive in.
    """
    cluster: dict[_Node, _Node] = {}
    seen: set[_Node] = set()
    for start, linked in links.items():
        if start in seen or not linked:
            continue
        component = {start}
        stack = [start]
        while stack:
            for other in links[stack.pop()]:
                if other not in component:
                    component.add(other)
                    stack.append(other)
        seen |= component
        if all(len(links[member]) == len(component) - 1 for member in component):
            root = min(component, key=lambda node: (-len(key_of(node)), key_of(node)))
            cluster.update((member, root) for member in component)
    return cluster


def _resolve(variants: Sequence[_Variant], articles: Iterable[_ArticleEntry]) -> _Resolved:
    kinds = [variant.kind() for variant in variants]
    parents = _archive_parents(variants, kinds)
    members: dict[int, list[int]] = {}
    for index, parent in enumerate(parents):
        members.setdefault(parent, []).append(index)
    roots = sorted(members)
    cluster_of = {root: position for position, root in enumerate(roots)}
    quote_counts = [0] * len(roots)
    article_counts = [0] * len(roots)
    outlets: list[set[str]] = [set() for _ in roots]
    for entry in articles:
        quoted: dict[int, int] = {}
        for variant, quotes in zip(entry.variants, entry.quotes, strict=True):
            if variant == _NO_VARIANT:
                continue
            cluster = cluster_of[parents[variant]]
            quoted[cluster] = quoted.get(cluster, 0) + quotes
        for cluster, quotes in quoted.items():
            article_counts[cluster] += 1
            quote_counts[cluster] += quotes
            if quotes and entry.outlet and entry.outlet != UNKNOWN_OUTLET:
                outlets[cluster].add(entry.outlet)
    drafts = [
        _draft(variants[root].key, [variants[i] for i in members[root]], kinds[root])
        for root in roots
    ]
    ids = _unique_ids([(name, key) for name, key, _, _, _ in drafts])
    speakers = [
        Speaker(
            id=ids[position],
            name=name,
            kind=kind,
            aliases=aliases,
            roles=roles,
            quote_count=quote_counts[position],
            article_count=article_counts[position],
            outlets=tuple(sorted(outlets[position])),
        )
        for position, (name, _, kind, aliases, roles) in enumerate(drafts)
    ]
    speakers.sort(key=lambda s: (-s.quote_count, quick_fold(s.name), s.name, s.id))
    cluster_ids = [ids[cluster_of[parents[i]]] for i in range(len(variants))]
    return _Resolved(
        speakers=tuple(speakers),
        variant_ids=tuple(cluster_ids),
        by_id={speaker.id: speaker for speaker in speakers},
    )


def _draft(
    key: Key, group: Sequence[_Variant], root_kind: SpeakerKind
) -> tuple[str, Key, SpeakerKind, tuple[str, ...], tuple[str, ...]]:
    names: Counter[str]
    roles: dict[str, Counter[str]]
    if len(group) == 1:
        names, kinds, roles = group[0].names, group[0].kinds, group[0].roles or {}
    else:
        names, kinds, roles = Counter(), [0] * len(_KINDS), {}
        for variant in group:
            names.update(variant.names)
            kinds = [a + b for a, b in zip(kinds, variant.kinds, strict=True)]
            for role_key, written in (variant.roles or {}).items():
                roles.setdefault(role_key, Counter()).update(written)
    kind = _majority(kinds, root_kind)
    person = kind == "person"
    name = _display_name(key, names, person)
    aliases = tuple(sorted(names, key=lambda n: (-names[n], n)))
    ranked_roles = sorted(roles.items(), key=lambda item: (-item[1].total(), item[0]))
    role_names = tuple(_best_spelling(written) for _, written in ranked_roles[:MAX_ROLES])
    return name, key, kind, aliases, role_names


def _accents(text: str) -> int:
    return 0 if text.isascii() else sum(1 for ch in text if not ch.isascii())


def _casing(token: str) -> int:
    """2 for `López`/`McCaskill`, 1 for an acronym or a particle, 0 for `PENCE`/`pence`."""
    if token.isupper():
        return 1 if sum(ch.isalpha() for ch in token) <= 2 else 0
    if token.islower():
        return 1 if is_particle(quick_fold(token)) else 0
    first = next((ch for ch in token if ch.isalpha()), "")
    return 2 if first.isupper() else 1


def _best_spelling(written: Counter[str]) -> str:
    return min(written, key=lambda w: (-_accents(w), -written[w], -_casing(w), w))


def _display_name(key: Key, names: Counter[str], person: bool) -> str:
    """The fullest spelling of the canonical key, each word with its best-seen accents and case."""
    parsed = {name: _parse(name, person) for name in names}
    full = [name for name, p in parsed.items() if p.display and len(p.key) >= min(len(key), 2)]
    full = full or [name for name, p in parsed.items() if p.display]
    if not full:
        return min(names)
    # The fullest form among those in real use: one stray `Crooked Hillary Clinton`
    # does not outrank twenty `Hillary Clinton`s.
    common = max(names[name] for name in full) / _DISPLAY_SUPPORT
    full = [name for name in full if names[name] >= common]
    best = parsed[
        min(full, key=lambda n: (-len(parsed[n].display), -_accents(n), -names[n], n))
    ].display
    spellings: dict[str, Counter[str]] = {}
    if len(parsed) > 1:
        for name, p in parsed.items():
            for token in p.display:
                spellings.setdefault(quick_fold(token), Counter())[token] += names[name]
    tokens = []
    for position, token in enumerate(best):
        chosen = token
        seen = spellings.get(quick_fold(token)) if spellings else None
        if seen is not None and len(seen) > 1:
            inner_particle = person and position > 0 and is_particle(quick_fold(token))

            def spelling_rank(
                w: str, seen: Counter[str] = seen, inner_particle: bool = inner_particle
            ) -> tuple[int, int, int, str]:
                casing = 3 if inner_particle and w.islower() else _casing(w)
                return (-_accents(w), -casing, -seen[w], w)

            chosen = min(seen, key=spelling_rank)
        tokens.append(_proper_case(chosen, first=position == 0) if person else chosen)
    return " ".join(tokens)


def _proper_case(token: str, *, first: bool) -> str:
    """`PENCE` -> `Pence`, `kirby` -> `Kirby`; particles (`de`, `van`) stay lower inside a name."""
    if token.isupper():
        if "." not in token and sum(ch.isalpha() for ch in token) >= 3:
            return token.title()
        return token
    if token.islower() and (first or not is_particle(quick_fold(token))):
        return token[:1].upper() + token[1:] if token[:1].isalpha() else token.title()
    return token


def _key_hash(key: Key) -> str:
    return hashlib.blake2b(" ".join(key).encode(), digest_size=8).hexdigest()


def _slug(name: str) -> str:
    """`archive.text.slug`, skipping its accent folding for ASCII names."""
    if not name.isascii():
        return slug(name)
    return _NOT_SLUG.sub("-", name.casefold()).strip("-") or "x"


def _base_id(name: str, key: Key) -> str:
    """`slug(name)`; names with no Latin letters or digits get `speaker-` and a key hash."""
    base = _slug(name)
    if base == "x" and "x" not in quick_fold(name):
        return f"speaker-{_key_hash(key)[:8]}"
    return base


def _unique_ids(drafts: Sequence[tuple[str, Key]]) -> list[str]:
    """`slug(name)`, with a short hash of the key added only where two speakers share a slug."""
    bases = [_base_id(name, key) for name, key in drafts]
    by_base: dict[str, list[int]] = {}
    for position, base in enumerate(bases):
        by_base.setdefault(base, []).append(position)
    ids = list(bases)
    taken = set(bases)
    for base, positions in by_base.items():
        if len(positions) == 1:
            continue
        ordered = sorted(positions, key=lambda p: " ".join(drafts[p][1]))
        for position in ordered[1:]:
            hex_digest = _key_hash(drafts[position][1])
            length = 6
            candidate = f"{base}-{hex_digest[:length]}"
            while candidate in taken and length < len(hex_digest):
                length += 2
                candidate = f"{base}-{hex_digest[:length]}"
            ids[position] = candidate
            taken.add(candidate)
    return ids


# -- lookup -----------------------------------------------------------------


def _query_keys(query: str) -> set[Key]:
    """A query read as a person (titles dropped) and as a group (`the` dropped)."""
    keys = {parse_person(query).key, parse_group(query).key}
    return {key for key in keys if key}


def _edit_distance_at_most(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance <= limit, giving up as soon as a row exceeds it."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ch_a in enumerate(a, start=1):
        current = [i]
        for j, ch_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ch_a != ch_b))
            )
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


class SpeakerMatcher:
    """Dictionaries over a speaker list so each lookup touches only the speakers it could match."""

    def __init__(self, speakers: Sequence[Speaker]) -> None:
        self.speakers: tuple[Speaker, ...] = (
            speakers if isinstance(speakers, tuple) else tuple(speakers)
        )
        self._by_id: dict[str, int] = {}
        self._by_name: dict[Key, list[int]] = {}
        self._by_surname: dict[Key, list[int]] = {}
        self._by_alias: dict[Key, list[int]] = {}
        self._by_token: dict[str, set[int]] = {}
        for position, speaker in enumerate(self.speakers):
            person = speaker.kind == "person"
            self._by_id.setdefault(speaker.id, position)
            name_key = _parse(speaker.name, person).key
            self._by_name.setdefault(name_key, []).append(position)
            keys = {name_key}
            if person:
                for start in range(1, len(name_key)):
                    self._by_surname.setdefault(name_key[start:], []).append(position)
            for alias in speaker.aliases:
                alias_key = _parse(alias, person).key
                if alias_key not in keys:
                    keys.add(alias_key)
                    self._by_alias.setdefault(alias_key, []).append(position)
            for key in keys:
                for token in key:
                    self._by_token.setdefault(token, set()).add(position)
        self._vocabulary = sorted(self._by_token)

    def match(self, query: str) -> tuple[Speaker, ...]:
        """Exact name, then surname, then alias or nickname, then whole words, then prefixes.

        Typos come last, and only when nothing else matched.
        """
        if not isinstance(query, str) or not has_letters(query):
            return ()
        keys = _query_keys(query)
        tokens = sorted({token for key in keys for token in key})
        person_key = parse_person(query).key
        tiers: list[set[int]] = [set() for _ in range(5)]
        query_id = _slug(query)
        if query_id in self._by_id:
            tiers[0].add(self._by_id[query_id])
        for key in keys:
            tiers[0].update(self._by_name.get(key, ()))
            tiers[2].update(self._by_alias.get(key, ()))
        tiers[1].update(self._by_surname.get(person_key, ()))
        if len(person_key) > 1:  # `Bill Ames` finds `William Ames`
            for given in nicknames_of(person_key[0]):
                nickname_key = (given, *person_key[1:])
                tiers[2].update(self._by_name.get(nickname_key, ()))
                tiers[2].update(self._by_alias.get(nickname_key, ()))
        tiers[3].update(self._all_tokens(person_key, self._by_token.get))
        tiers[4].update(self._all_tokens(person_key, self._prefixed))
        if not any(tiers) and tokens:
            tiers[4].update(self._all_tokens(person_key, self._near))
        seen: set[int] = set()
        ranked: list[Speaker] = []
        for tier in tiers:
            fresh = sorted(tier - seen, key=self._rank)
            seen.update(fresh)
            ranked.extend(self.speakers[i] for i in fresh)
        return tuple(ranked)

    def _rank(self, position: int) -> tuple[int, str, str]:
        speaker = self.speakers[position]
        return (-speaker.quote_count, quick_fold(speaker.name), speaker.id)

    @staticmethod
    def _all_tokens(key: Key, lookup: Callable[[str], Iterable[int] | None]) -> set[int]:
        """Speakers matching every token of the query."""
        found: set[int] | None = None
        for token in key:
            hits = set(lookup(token) or ())
            found = hits if found is None else found & hits
            if not found:
                return set()
        return found or set()

    def _prefixed(self, prefix: str) -> set[int]:
        if len(prefix) < 2:
            return set()
        start = bisect.bisect_left(self._vocabulary, prefix)
        hits: set[int] = set()
        for token in self._vocabulary[start:]:
            if not token.startswith(prefix):
                break
            hits |= self._by_token[token]
        return hits

    def _near(self, token: str) -> set[int]:
        """Typo tolerance: one edit for words of 4+ letters, two for 8+, same first letter."""
        if len(token) < 4:
            return set()
        limit = 2 if len(token) >= 8 else 1
        start = bisect.bisect_left(self._vocabulary, token[0])
        hits: set[int] = set()
        for word in self._vocabulary[start:]:
            if not word.startswith(token[0]):
                break
            if _edit_distance_at_most(token, word, limit):
                hits |= self._by_token[word]
        return hits


_last_matcher: SpeakerMatcher | None = None


def match_speakers(query: str, speakers: Sequence[Speaker]) -> tuple[Speaker, ...]:
    """Tolerant lookup for `whosaid quotes --speaker NAME` and facet filters.

    Accent-, case-, title-, surname- and alias-tolerant, best first. The index
    built for a tuple of speakers is reused while that same tuple is passed
    (`SpeakerDirectory.speakers()` returns one); other sequences are indexed per call.
    """
    global _last_matcher
    cached = _last_matcher
    if cached is not None and cached.speakers is speakers:
        return cached.match(query)
    matcher = SpeakerMatcher(speakers)
    if isinstance(speakers, tuple):
        _last_matcher = matcher
    return matcher.match(query)
