"""Evaluate a parsed Whoosh query to (doc numbers, BM25F scores) with numpy.

Whoosh's matchers step one document at a time in Python: ranking the top 20 and
counting all matches took longer than everything else together. Here posting lists
are read a block at a time into arrays, and AND/OR/NOT become array intersections and
unions with the same BM25F formula Whoosh uses (B=0.75, K1=1.2, idf = log(N/(df+1))+1).
Only phrases, wildcards and ranges still ask Whoosh which documents match.
"""

from __future__ import annotations

from collections.abc import Iterable
from math import log
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.codec import whoosh3 as _w3
from whoosh.query.compound import And, AndMaybe, AndNot, DisjunctionMax, Or
from whoosh.query.positional import Phrase
from whoosh.query.qcore import Every, NullQuery
from whoosh.query.terms import Term
from whoosh.query.wrappers import Not
from whoosh.util.numeric import byte_to_length

from index.facets import IntArray
from index.lru import ArrayLRU
from index.postings import posting_arrays

FloatArray = npt.NDArray[np.float64]
Scored = tuple[IntArray, FloatArray]

B = 0.75
K1 = 1.2
TERM_CACHE_BYTES = 64 * 1024 * 1024
W3: Any = _w3  # untyped internals: the per-document length column
_LENGTHS = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)
_NO_IDS: IntArray = np.zeros(0, dtype=np.int64)
_NO_SCORES: FloatArray = np.zeros(0, dtype=np.float64)


class QueryScorer:
    """One searcher's term postings and field lengths, cached for the next keystroke."""

    def __init__(self, searcher: Any, all_docs: IntArray) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.doc_count = self.reader.doc_count_all()
        self.all_docs = all_docs
        self._lengths: dict[str, FloatArray] = {}
        self._terms: ArrayLRU[tuple[IntArray, FloatArray]] = ArrayLRU(TERM_CACHE_BYTES)

    def preload(self, fields: Iterable[str]) -> None:
        """Read the fields' length columns now, so the first keystroke is not the slow one."""
        for field in fields:
            self._field_lengths(field)

    def run(self, query: Any) -> Scored:
        """Sorted matching doc numbers and their scores."""
        if isinstance(query, Term):
            return self._term(query)
        if isinstance(query, Every):
            return self.all_docs, np.ones(len(self.all_docs)) * query.boost
        if query is NullQuery or isinstance(query, type(NullQuery)):
            return _NO_IDS, _NO_SCORES
        if isinstance(query, Not):
            docs = np.setdiff1d(self.all_docs, self.run(query.query)[0], assume_unique=True)
            return docs, np.zeros(len(docs))
        if isinstance(query, AndNot):
            docs, scores = self.run(query.a)
            return _without(docs, scores, self.run(query.b)[0])
        if isinstance(query, AndMaybe):
            return _add_where_present(self.run(query.a), self.run(query.b))
        if isinstance(query, And):
            return self._and(query)
        if isinstance(query, Or | DisjunctionMax):
            return _union([self.run(q) for q in query.subqueries])
        if isinstance(query, Phrase) and query.slop == 1 and len(query.words) > 1:
            return self._phrase(query)
        return self._via_whoosh(query)

    def _and(self, query: Any) -> Scored:
        positive = [self.run(q) for q in query.subqueries if not isinstance(q, Not)]
        positive.sort(key=lambda part: len(part[0]))
        if positive:
            docs = positive[0][0]
            for other, _ in positive[1:]:
                docs = np.intersect1d(docs, other, assume_unique=True)
            scores = np.zeros(len(docs))
            for part_docs, part_scores in positive:
                scores += part_scores[np.searchsorted(part_docs, docs)]
        else:
            docs, scores = self.all_docs, np.zeros(len(self.all_docs))
        for neg in query.subqueries:
            if isinstance(neg, Not):
                docs, scores = _without(docs, scores, self.run(neg.query)[0])
        return docs, scores

    def _phrase(self, query: Any) -> Scored:
        """Exact phrases: intersect the words' postings, then compare positions of those docs.

        Whoosh's span matchers cost ~50 us per candidate document; decoding only the
        candidates' positions, a block at a time, is several times cheaper.
        """
        field, words = query.fieldname, list(query.words)
        parts = [self._term(Term(field, w, boost=query.boost)) for w in words]
        docs = min((p[0] for p in parts), key=len)
        for part_docs, _ in parts:
            docs = np.intersect1d(docs, part_docs, assume_unique=True)
        if not len(docs):
            return _NO_IDS, _NO_SCORES
        fmt = self.reader.schema[field].format
        positions = [self._positions(field, w, docs, fmt) for w in words]
        keep = np.zeros(len(docs), dtype=np.bool_)
        for i, doc in enumerate(docs.tolist()):
            starts = set(positions[0].get(doc, ()))
            for k in range(1, len(words)):
                starts &= {p - k for p in positions[k].get(doc, ())}
                if not starts:
                    break
            keep[i] = bool(starts)
        docs = docs[keep]
        scores = np.zeros(len(docs))
        for part_docs, part_scores in parts:
            scores += part_scores[np.searchsorted(part_docs, docs)]
        return docs, scores

    def _positions(self, field: str, word: str, docs: IntArray, fmt: Any) -> dict[int, list[int]]:
        """Positions of `word` in each of `docs` (global numbers) that holds it."""
        found: dict[int, list[int]] = {}
        for leaf, offset in self.reader.leaf_readers():
            if (field, word) not in leaf:
                continue
            matcher = leaf.postings(field, word)
            if type(matcher).__name__ == "FilterMatcher":
                matcher = matcher.child
            local = docs - offset
            if not all(hasattr(matcher, a) for a in ("_read_ids", "_read_values", "_next_block")):
                wanted = set(local.tolist())
                while matcher.is_active():
                    if matcher.id() in wanted:
                        found[matcher.id() + offset] = list(matcher.value_as("positions"))
                    matcher.next()
                continue
            while matcher.is_active():
                if matcher._ids is None:
                    matcher._read_ids()
                start, end = matcher._i, matcher._blocklength
                ids = np.asarray(matcher._ids[start:end], dtype=np.int64)
                hits = np.flatnonzero(np.isin(ids, local, assume_unique=True))
                if len(hits):
                    if matcher._values is None:
                        matcher._read_values()
                    for i in hits.tolist():
                        value = matcher._values[start + i]
                        found[int(ids[i]) + offset] = fmt.decode_positions(value)
                matcher._next_block()
        return found

    def _via_whoosh(self, query: Any) -> Scored:
        """Phrases, wildcards, ranges: Whoosh finds the documents; phrases score as their words."""
        docs = np.unique(np.fromiter(self.searcher.docs_for_query(query), dtype=np.int64))
        if isinstance(query, Phrase) and len(docs):
            scores = np.zeros(len(docs))
            for word in query.words:
                term_docs, term_scores = self._term(Term(query.fieldname, word, boost=query.boost))
                at = np.searchsorted(term_docs, docs).clip(max=max(len(term_docs) - 1, 0))
                found = term_docs[at] == docs if len(term_docs) else np.zeros(len(docs), bool)
                scores += np.where(found, term_scores[at] if len(term_docs) else 0.0, 0.0)
            return docs, scores
        return docs, np.full(len(docs), float(getattr(query, "boost", 1.0)))

    def _term(self, query: Any) -> Scored:
        field, text = query.fieldname, query.text
        cached = self._terms.get((field, text))
        if cached is None:
            cached = self._terms.put((field, text), self._read_term(field, text))
        docs, weights = cached
        if not len(docs):
            return docs, weights
        idf = log(self.doc_count / (self.reader.doc_frequency(field, text) + 1)) + 1
        avg = self.searcher.avg_field_length(field) or 1.0
        lengths = self._field_lengths(field)[docs]
        scores = idf * (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avg))
        return docs, scores * query.boost

    def _read_term(self, field: str, text: Any) -> tuple[IntArray, FloatArray]:
        ids: list[IntArray] = []
        weights: list[FloatArray] = []
        for leaf, offset in self.reader.leaf_readers():
            if (field, text) in leaf:
                leaf_ids, leaf_weights = posting_arrays(leaf.postings(field, text))
                ids.append(leaf_ids + offset)
                weights.append(leaf_weights)
        if not ids:
            return _NO_IDS, _NO_SCORES
        all_ids, all_weights = np.concatenate(ids), np.concatenate(weights)
        order = np.argsort(all_ids, kind="stable")
        return all_ids[order], all_weights[order]

    def _field_lengths(self, field: str) -> FloatArray:
        lengths = self._lengths.get(field)
        if lengths is None:
            lengths = np.zeros(self.doc_count, dtype=np.float64)
            for leaf, offset in self.reader.leaf_readers():
                perdoc = getattr(leaf, "_perdoc", None)
                if perdoc is None:  # not a W3 segment: ask document by document
                    count = leaf.doc_count_all()
                    lengths[offset : offset + count] = [
                        leaf.doc_field_length(d, field, 0) or 0 for d in range(count)
                    ]
                    continue
                column = perdoc._cached_reader(W3._lenfield(field), W3.LENGTHS_COLUMN)
                if column is not None and len(column):
                    codes = _length_codes(column)
                    lengths[offset : offset + len(codes)] = _LENGTHS[codes]
            self._lengths[field] = lengths
        return lengths


def _length_codes(column: Any) -> IntArray:
    """One length byte per document: the column's bytes in one read when its layout allows."""
    count = len(column)
    raw_count = getattr(column, "_count", None)
    if getattr(column, "_fixedlen", None) == 1 and isinstance(raw_count, int):
        raw = column._dbfile.get(column._basepos, raw_count)
        codes = np.zeros(count, dtype=np.int64)
        codes[:raw_count] = np.frombuffer(raw, dtype=np.uint8)[:count]
        return codes
    return np.fromiter(iter(column), dtype=np.int64, count=count)


def _without(docs: IntArray, scores: FloatArray, remove: IntArray) -> Scored:
    keep = ~np.isin(docs, remove, assume_unique=True)
    return docs[keep], scores[keep]


def _union(parts: list[Scored]) -> Scored:
    """Docs matching any part; a doc's score is the sum of the parts it matches (as Whoosh)."""
    if not parts:
        return _NO_IDS, _NO_SCORES
    docs, where = np.unique(np.concatenate([p[0] for p in parts]), return_inverse=True)
    scores = np.bincount(where, weights=np.concatenate([p[1] for p in parts]), minlength=len(docs))
    return docs, scores.astype(np.float64)


def _add_where_present(base: Scored, extra: Scored) -> Scored:
    docs, scores = base
    extra_docs, extra_scores = extra
    if not len(docs) or not len(extra_docs):
        return docs, scores
    at = np.searchsorted(extra_docs, docs).clip(max=len(extra_docs) - 1)
    found = extra_docs[at] == docs
    return docs, scores + np.where(found, extra_scores[at], 0.0)


def top(docs: IntArray, scores: FloatArray, offset: int, limit: int) -> list[tuple[int, float]]:
    """Best scores first, ties by doc number (so pages never overlap or skip)."""
    want = offset + limit
    if want <= 0 or not len(docs):
        return []
    if len(docs) > 4 * want:
        cut = np.partition(scores, len(scores) - want)[len(scores) - want]
        keep = scores >= cut
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[offset:want]
    return [(int(docs[i]), float(scores[i])) for i in order]
