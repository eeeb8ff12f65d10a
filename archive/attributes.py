"""POS, morphology and lemmas as the attribute ruler and lemmatizer give them, for less.

In `en_core_web_sm` the attribute ruler (a Matcher over 179 patterns) and the rule
lemmatizer cost about a fifth of the pipeline's time, yet extraction reads POS on
every token and lemmas on a few dozen. `FastAttributes` applies the ruler's own
patterns and attribute values through a memo keyed by what single-token patterns
test (tag, lowercase form, dependency, is-space), so the result is the ruler's,
token for token; lemmas are filled on demand by `lemma_of` with the pipeline's own
lemmatizer. `tests/test_attributes.py` checks equality with the full pipeline.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

if TYPE_CHECKING:
    from spacy.language import Language

RULER = "attribute_ruler"
LEMMATIZER = "lemmatizer"
_LEMMATIZE = "whosaid.lemmatize"  # Doc.user_data key: the lemmatizer for `lemma_of`

Spec = dict[str, Any]
Check = Callable[[Token], bool]


def lemma_of(tok: Token) -> str:
    """The lemma the pipeline's lemmatizer would give, computed the first time it is read."""
    if not tok.lemma:
        lemmatize = tok.doc.user_data.get(_LEMMATIZE)
        if lemmatize is not None:
            tok.lemma_ = lemmatize(tok)[0]
    return tok.lemma_


def _value(tok: Token, attr: str) -> Any:
    if attr == "TAG":
        return tok.tag_
    if attr == "LOWER":
        return tok.lower_
    if attr == "DEP":
        return tok.dep_
    if attr == "IS_SPACE":
        return tok.is_space
    raise ValueError(f"unsupported pattern attribute {attr}")


def _test(attr: str, want: Any) -> Check:
    """One Matcher predicate, with the Matcher's semantics (REGEX is `re.search`)."""
    if isinstance(want, dict):
        ((op, arg),) = want.items()
        if op == "IN":
            allowed = frozenset(arg)
            return lambda tok: _value(tok, attr) in allowed
        if op == "NOT_IN":
            banned = frozenset(arg)
            return lambda tok: _value(tok, attr) not in banned
        if op == "REGEX":
            regex = re.compile(arg)
            return lambda tok: bool(regex.search(_value(tok, attr)))
        raise ValueError(f"unsupported pattern operator {op}")
    return lambda tok: _value(tok, attr) == want


def _supported(patterns: Iterable[list[Spec]]) -> bool:
    ops = {"IN", "NOT_IN", "REGEX"}
    return all(
        set(spec) <= {"TAG", "LOWER", "DEP", "IS_SPACE"}
        and all(not isinstance(v, dict) or (len(v) == 1 and set(v) <= ops) for v in spec.values())
        for pattern in patterns
        for spec in pattern
    )


def _named_forms(spec: Spec) -> set[str] | None:
    want = spec.get("LOWER")
    if isinstance(want, str):
        return {want}
    if isinstance(want, dict) and set(want) == {"IN"}:
        return set(want["IN"])
    return None


class FastAttributes:
    """The attribute ruler's effect on a parsed Doc, applied through a memo."""

    def __init__(self, ruler: Any, lemmatize: Callable[[Token], list[str]] | None) -> None:
        self._attrs: list[dict[int, int]] = ruler.attrs
        self._strings = ruler.vocab.strings
        self._lemmatize = lemmatize
        self._single: list[tuple[int, list[Check]]] = []  # (attr id, one check per key)
        # (attr id, index of the token it sets, checks per token, anchor): see `_anchor`
        self._multi: list[tuple[int, int, list[list[Check]], tuple[int, set[int] | None]]] = []
        self._lowers: set[str] = set()  # every form a LOWER test names
        self._regexes: list[re.Pattern[str]] = []
        for attr_id, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                checks = [[_test(a, w) for a, w in spec.items()] for spec in pattern]
                if len(pattern) == 1:
                    self._single.append((attr_id, checks[0]))
                else:
                    anchor = self._anchor(pattern)
                    self._multi.append((attr_id, int(entry["index"]), checks, anchor))
                for spec in pattern:
                    self._note_lower(spec.get("LOWER"))
        self._memo: dict[tuple[int, Hashable, int, int], dict[int, int] | None] = {}
        self._classes: dict[int, Hashable] = {}

    @classmethod
    def replacing(cls, nlp: Language) -> FastAttributes | None:
        """A replacement for the pipeline's ruler and lemmatizer, or None where they are unusual.

        Only a standard layout qualifies: the ruler right after the components
        whose output it reads, the rule lemmatizer (no overwrite) after it.
        """
        names = nlp.pipe_names
        if RULER not in names:
            return None
        ruler = nlp.get_pipe(RULER)
        if not isinstance(ruler, AttributeRuler):
            return None
        patterns: list[dict[str, Any]] = list(ruler.patterns)  # type: ignore[arg-type]
        if not _supported(p for entry in patterns for p in entry["patterns"]):
            return None
        after = names[names.index(RULER) + 1 :]
        lemmatize = None
        if LEMMATIZER in after:
            lemmatizer = nlp.get_pipe(LEMMATIZER)
            if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.overwrite:
                return None
            if [n for n in after if n not in (LEMMATIZER, "ner")]:
                return None
            lemmatize = lemmatizer.lemmatize
        elif [n for n in after if n != "ner"]:
            return None
        return cls(ruler, lemmatize)

    @property
    def skipped(self) -> list[str]:
        """Pipeline components this object stands in for."""
        return [RULER, LEMMATIZER] if self._lemmatize is not None else [RULER]

    def __call__(self, doc: Doc) -> Doc:
        rows = doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist() if len(doc) else []
        multi = self._multi_matches(doc, rows) if self._multi else {}
        memo = self._memo
        for i, (lower, tag, dep, space) in enumerate(rows):
            if i in multi:
                self._apply_all(doc[i], multi[i])
                continue
            key = (tag, self._lower_class(lower), dep, space)
            try:
                merged = memo[key]
            except KeyError:
                merged = memo[key] = self._merged(doc[i])
            if merged:
                set_token_attrs(doc[i], merged)
        if self._lemmatize is not None:
            doc.user_data[_LEMMATIZE] = self._lemmatize
        return doc

    def _lower_class(self, lower: int) -> Hashable:
        """What the patterns can tell apart about a lowercase form: itself, or its regex results."""
        try:
            return self._classes[lower]
        except KeyError:
            text = self._strings[lower]
            found: Hashable = (
                text if text in self._lowers else tuple(bool(r.search(text)) for r in self._regexes)
            )
            self._classes[lower] = found
            return found

    def _single_ids(self, tok: Token) -> list[int]:
        return [aid for aid, checks in self._single if all(check(tok) for check in checks)]

    def _merged(self, tok: Token) -> dict[int, int] | None:
        """Later patterns win, as in the ruler, which applies its matches in pattern order."""
        merged: dict[int, int] = {}
        for aid in self._single_ids(tok):
            merged.update(self._attrs[aid])
        return merged or None

    def _apply_all(self, tok: Token, extra: list[int]) -> None:
        for aid in sorted([*self._single_ids(tok), *extra]):
            set_token_attrs(tok, self._attrs[aid])

    def _note_lower(self, want: Any) -> None:
        if isinstance(want, str):
            self._lowers.add(want)
        elif isinstance(want, dict):
            ((op, arg),) = want.items()
            if op == "REGEX":
                self._regexes.append(re.compile(arg))
            else:
                self._lowers.update(arg)

    def _multi_matches(self, doc: Doc, rows: list[list[int]]) -> dict[int, list[int]]:
        """Token index -> attr ids of the multi-token patterns that set something on it."""
        found: dict[int, list[int]] = {}
        for aid, index, checks, (at, forms) in self._multi:
            width = len(checks)
            if forms is None:
                starts: Iterable[int] = range(len(rows))
            else:
                starts = [i - at for i, row in enumerate(rows) if row[0] in forms]
            for start in starts:
                if start < 0 or start + width > len(doc):
                    continue
                if all(all(check(doc[start + k]) for check in checks[k]) for k in range(width)):
                    target = start + index if index >= 0 else start + width + index
                    found.setdefault(target, []).append(aid)
        return found

    def _anchor(self, pattern: list[Spec]) -> tuple[int, set[int] | None]:
        """A position whose lowercase form a pattern names, so only those tokens are tried."""
        for k, spec in enumerate(pattern):
            forms = _named_forms(spec)
            if forms is not None:
                return k, {self._strings.as_int(f) for f in forms}
        return 0, None


def parse(nlp: Language, texts: Iterable[str], batch_size: int) -> Iterator[Doc]:
    """`nlp.pipe` with the ruler and lemmatizer replaced by `FastAttributes` where possible."""
    fast = _fast_for(nlp)
    if fast is None:
        yield from nlp.pipe(texts, batch_size=batch_size)
        return
    for doc in nlp.pipe(texts, batch_size=batch_size, disable=fast.skipped):
        yield fast(doc)


# Weak keys: a pipeline that is gone takes its entry along (an id could be reused).
_FAST: weakref.WeakKeyDictionary[Language, FastAttributes | None] = weakref.WeakKeyDictionary()


def _fast_for(nlp: Language) -> FastAttributes | None:
    if nlp not in _FAST:
        _FAST[nlp] = FastAttributes.replacing(nlp)
    return _FAST[nlp]
