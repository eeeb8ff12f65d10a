"""Keyword topics for articles and quotes, from the taxonomy in `data/topics.json`.

All keywords of all topics are compiled into one trie-shaped regular
expression, so tagging is a single pass over the folded text whatever the size
of the taxonomy. A topic needs evidence (see `Evidence`): one passing word in a
long article does not tag it, while a short quote can be tagged by one strong
phrase.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from archive.text import fold

TOPICS_FILE = Path(__file__).with_name("data") / "topics.json"

_STEM = "*"
_GAP = " "
# `c.b.p.` -> `cbp.`, `u.s.` -> `us.`; the literal comes first so the engine can skip to dots.
_DOTTED = re.compile(r"\.(?<=\w\.)(?=\w)")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_SEPARATORS = re.compile(r"[\s\-]+")
_WORD = re.compile(r"\w+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


@dataclass(frozen=True, slots=True)
class Evidence:
    """How much keyword evidence tags a text.

    Texts of up to `short_text_words` words (quotes) need `short_min_score`.
    Longer texts need `long_min_score`, one more point per `words_per_extra_point`
    words, and `long_min_distinct` different keywords. A keyword counts its
    weight (strong 2, plain 1) per occurrence, at most `max_repeats` times.
    """

    short_text_words: int = 80
    short_min_score: int = 2
    long_min_score: int = 4
    long_min_distinct: int = 2
    words_per_extra_point: int = 800
    max_repeats: int = 3


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    evidence: Evidence
    pattern: re.Pattern[str] | None
    exact: Mapping[str, tuple[tuple[int, int], ...]]  # keyword -> (topic index, weight)
    stems: Mapping[str, tuple[tuple[int, int], ...]]
    longest_stem: int


def _fail(problem: str) -> ValueError:
    return ValueError(f"{TOPICS_FILE}: {problem}")


def _normalise_keyword(raw: object, topic_id: str) -> str:
    if not isinstance(raw, str):
        raise _fail(f"topic {topic_id!r}: keyword {raw!r} is not a string")
    stem = raw.strip().endswith(_STEM)
    words = _WORD.findall(fold(raw.strip().rstrip(_STEM)))
    if not words:
        raise _fail(f"topic {topic_id!r}: keyword {raw!r} has no words")
    return _GAP.join(words) + (_STEM if stem else "")


def _trie_pattern(keywords: Sequence[str]) -> str:
    """One regex alternation shaped as a trie: shared prefixes are tried once."""
    trie: dict[str, Any] = {}
    for keyword in keywords:
        node = trie
        for ch in keyword:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict[str, Any]) -> str:
        branches = []
        for ch in sorted(key for key in node if key):
            if ch == _STEM:
                branches.append(r"\w*")
                continue
            head = r"[\s\-]+" if ch == _GAP else re.escape(ch)
            branches.append(head + emit(node[ch]))
        if "" in node:
            branches.append("")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(trie)


def _build(data: Any) -> Taxonomy:
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise _fail("expected an object with a `topics` list")
    try:
        evidence = Evidence(**data.get("evidence", {}))
    except TypeError as exc:
        raise _fail(f"bad `evidence` settings ({exc})") from exc
    topics: list[Topic] = []
    exact: dict[str, list[tuple[int, int]]] = {}
    stems: dict[str, list[tuple[int, int]]] = {}
    for index, entry in enumerate(data["topics"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise _fail(f"topic #{index} has no string `id`")
        topic_id = entry["id"]
        topics.append(Topic(id=topic_id, label=str(entry.get("label", topic_id))))
        for weight, field_name in ((2, "strong"), (1, "keywords")):
            raw_keywords = entry.get(field_name, [])
            if not isinstance(raw_keywords, list):
                raise _fail(f"topic {topic_id!r}: `{field_name}` is not a list")
            for raw in raw_keywords:
                keyword = _normalise_keyword(raw, topic_id)
                table = stems if keyword.endswith(_STEM) else exact
                hits = table.setdefault(keyword.rstrip(_STEM), [])
                if all(topic != index for topic, _ in hits):
                    hits.append((index, weight))
    if len({topic.id for topic in topics}) != len(topics):
        raise _fail("topic ids are not unique")
    keywords = [*exact, *(stem + _STEM for stem in stems)]
    # `(?<!\w)` rather than a leading `\b`: the regex engine then skips ahead faster.
    pattern = re.compile(r"(?<!\w)" + _trie_pattern(keywords) + r"\b") if keywords else None
    return Taxonomy(
        topics=tuple(topics),
        evidence=evidence,
        pattern=pattern,
        exact={key: tuple(value) for key, value in exact.items()},
        stems={key: tuple(value) for key, value in stems.items()},
        longest_stem=max((len(stem) for stem in stems), default=0),
    )


# Bump when the matching code changes its answers; the taxonomy file is hashed in.
TOPICS_VERSION = "1"


@cache
def topics_digest() -> bytes:
    """Identifies the topic assignment in force: memoised topics are valid while it holds."""
    digest = hashlib.blake2b(TOPICS_VERSION.encode(), digest_size=16)
    with contextlib.suppress(OSError):  # `taxonomy()` reports an unreadable file when used
        digest.update(TOPICS_FILE.read_bytes())
    return digest.digest()


@cache
def taxonomy() -> Taxonomy:
    """The taxonomy from `data/topics.json`, loaded once; a broken file names itself."""
    try:
        data = json.loads(TOPICS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _fail(f"cannot read the topic taxonomy ({exc})") from exc
    return _build(data)


@lru_cache(maxsize=8192)
def _fold_run(run: str) -> str:
    return _COMBINING.sub("", unicodedata.normalize("NFKD", run))


def _fold_match(found: re.Match[str]) -> str:
    return _fold_run(found.group())


def _fold_fast(text: str) -> str:
    """`archive.text.fold` for matching, about 5x faster on news text.

    Only the (rare) non-ASCII runs are decomposed, then dots inside acronyms go.
    """
    if not text.isascii():
        text = _NON_ASCII.sub(_fold_match, text)
    return _DOTTED.sub("", text.casefold())


def _keyword_hits(match: str, tax: Taxonomy) -> tuple[tuple[int, int], ...]:
    """Which keyword a matched span is: an exact keyword, else its longest matching stem."""
    text = _SEPARATORS.sub(_GAP, match)
    hits = tax.exact.get(text)
    if hits is not None:
        return hits
    for length in range(min(len(text), tax.longest_stem), 0, -1):
        hits = tax.stems.get(text[:length])
        if hits is not None:
            return hits
    return ()


def topic_scores(text: str, tax: Taxonomy | None = None) -> dict[str, int]:
    """Evidence score of every topic whose keywords occur in `text` (before thresholds)."""
    return {tax_topic: score for tax_topic, score, _ in _scores(text, tax or taxonomy())}


def _scores(text: str, tax: Taxonomy) -> list[tuple[str, int, int]]:
    if tax.pattern is None or not text:
        return []
    folded = _fold_fast(text)
    counts: dict[tuple[int, str], int] = {}
    weights: dict[tuple[int, str], int] = {}
    for found in tax.pattern.finditer(folded):
        matched = found.group()
        for topic, weight in _keyword_hits(matched, tax):
            key = (topic, _SEPARATORS.sub(_GAP, matched))
            counts[key] = counts.get(key, 0) + 1
            weights[key] = weight
    scores: dict[int, int] = {}
    distinct: dict[int, int] = {}
    for key, count in counts.items():
        topic = key[0]
        scores[topic] = scores.get(topic, 0) + weights[key] * min(count, tax.evidence.max_repeats)
        distinct[topic] = distinct.get(topic, 0) + 1
    return [(tax.topics[t].id, scores[t], distinct[t]) for t in scores]


def topics_for(text: str) -> tuple[str, ...]:
    """Topic ids with enough evidence in `text` (an article or a quote), strongest first."""
    tax = taxonomy()
    scored = _scores(text, tax)
    if not scored:
        return ()
    rule = tax.evidence
    words = len(text.split())
    if words <= rule.short_text_words:
        kept = [(t, s) for t, s, _ in scored if s >= rule.short_min_score]
    else:
        needed = rule.long_min_score + words // max(rule.words_per_extra_point, 1)
        kept = [(t, s) for t, s, d in scored if s >= needed and d >= rule.long_min_distinct]
    kept.sort(key=lambda item: (-item[1], item[0]))
    return tuple(topic for topic, _ in kept)


def all_topics() -> tuple[Topic, ...]:
    """Every topic of the taxonomy, in file order (for facet lists and `--topic` help)."""
    return taxonomy().topics


def topic_label(topic_id: str) -> str:
    """The display label of a topic id (`crime-justice` -> `Crime & justice`)."""
    return next((t.label for t in taxonomy().topics if t.id == topic_id), topic_id)
