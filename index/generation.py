"""One opened generation: its two Whoosh searchers plus the numpy columns read from them.

Everything here is immutable once opened (a generation never changes on disk), so the
columns and the per-query caches stay valid until `index.search` moves to a newer one.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh.query.terms import Term

from archive.models import Speaker, speaker_from_dict
from index import store
from index.facets import BoolArray, FacetColumn, IntArray, read_postings
from index.highlight import Highlighter, query_terms
from index.lru import ArrayLRU
from index.query import ParsedQuery, parse, plain_query
from index.schema import ARTICLES, F_DAY, F_SPEECH, FACET_FIELDS, QUOTES, SEARCH_FIELDS
from index.scoring import FloatArray, QueryScorer, Scored

QUERY_CACHE = 64
MATCH_CACHE_BYTES = 64 * 1024 * 1024


class Side:
    """One of the generation's two indexes (articles or quotes) and its columns."""

    def __init__(self, folder: Path, target: str) -> None:
        self.target = target
        self.ix = whoosh_index.open_dir(str(folder))
        self.searcher: Any = self.ix.searcher()
        reader = self.searcher.reader()
        self.doc_count = reader.doc_count_all()
        self.day = np.zeros(self.doc_count, dtype=np.int64)
        self.alive = np.zeros(self.doc_count, dtype=np.bool_)
        for term, ids in read_postings(reader, F_DAY).items():
            self.day[ids] = int(term) if term.isdigit() else 0
            self.alive[ids] = True
        self.speech: BoolArray | None = None
        if target == QUOTES:
            self.speech = np.zeros(self.doc_count, dtype=np.bool_)
            self.speech[read_postings(reader, F_SPEECH).get("1", np.zeros(0, np.int64))] = True
        self.facets = {
            name: FacetColumn.from_postings(name, read_postings(reader, field), self.doc_count)
            for name, field in FACET_FIELDS.items()
        }
        self.all_docs = np.flatnonzero(self.alive)
        self.scorer = QueryScorer(self.searcher, self.all_docs)
        self.scorer.preload(SEARCH_FIELDS[target])
        self._matches: ArrayLRU[tuple[ParsedQuery, IntArray, FloatArray]] = ArrayLRU(
            MATCH_CACHE_BYTES, QUERY_CACHE
        )
        self._highlighters: OrderedDict[tuple[str, str], Highlighter] = OrderedDict()

    def match(self, text: str) -> tuple[ParsedQuery, IntArray, FloatArray]:
        """The parsed query, every matching doc number and its score, cached per text."""
        cached = self._matches.get(text)
        if cached is not None:
            return cached
        parsed = parse(text, self.ix.schema, self.target)
        try:
            found = self._run(parsed)
        except OSError:
            raise  # files gone: the caller moves to the newest generation
        except Exception as exc:  # a query Whoosh accepts but cannot run
            query = plain_query(text, self.ix.schema, SEARCH_FIELDS[self.target])
            note = f"query could not run ({type(exc).__name__}): searched the words instead"
            parsed = ParsedQuery(query, note)
            found = self._run(parsed)
        return self._matches.put(text, (parsed, *found))

    def _run(self, parsed: ParsedQuery) -> Scored:
        if parsed.query is None:
            return self.all_docs, np.zeros(len(self.all_docs))
        docs, scores = self.scorer.run(parsed.query)
        alive = self.alive[docs]
        return docs[alive], scores[alive]

    def highlighter(self, parsed: ParsedQuery, text: str, field: str) -> Highlighter:
        key = (text, field)
        found = self._highlighters.get(key)
        if found is None:
            found = Highlighter(query_terms(parsed.query, self.searcher.reader(), field))
            self._highlighters[key] = found
            if len(self._highlighters) > QUERY_CACHE:
                self._highlighters.popitem(last=False)
        return found

    def term_docs(self, field: str, value: str) -> IntArray:
        """Sorted doc numbers holding `value` in `field` (ids, article ids, speaker ids)."""
        return self.scorer.run(Term(field, value))[0]

    def stored(self, docnum: int) -> dict[str, Any]:
        fields: dict[str, Any] = self.searcher.stored_fields(int(docnum))
        return fields

    def close(self) -> None:
        self.searcher.close()


class Generation:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.meta: dict[str, Any] = store.read_json(folder / store.META)
        self.speakers: tuple[Speaker, ...] = tuple(
            speaker_from_dict(d) for d in store.read_json(folder / store.SPEAKERS)
        )
        self.by_id = {s.id: s for s in self.speakers}
        self.labels = {s.id: s.name for s in self.speakers}
        self.articles = Side(folder / ARTICLES, ARTICLES)
        self.quotes = Side(folder / QUOTES, QUOTES)

    def side(self, target: str) -> Side:
        return self.quotes if target == QUOTES else self.articles

    def close(self) -> None:
        self.articles.close()
        self.quotes.close()
