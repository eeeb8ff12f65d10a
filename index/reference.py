"""Facet counts the slow, trusted way (Whoosh's `groupedby`), to check the fast ones.

`index.facets` counts from numpy columns; tests and benchmarks compare its answers with
these on the same query and filters. Too slow for serving (see DESIGN.md).
"""

from __future__ import annotations

from typing import Any

from whoosh.query.compound import And, Or
from whoosh.query.qcore import Every
from whoosh.query.ranges import TermRange
from whoosh.query.terms import Term
from whoosh.sorting import FieldFacet

from index.query import date_bound
from index.schema import F_DAY, F_SPEECH, FACET_FIELDS, QUOTES
from index.search import WhooshSearchIndex, _resolve_speaker, _resolve_value
from index.types import SearchIndex, SearchRequest

EVERY: Any = Every()  # type: ignore[no-untyped-call]


def groupedby_counts(
    index: SearchIndex, request: SearchRequest
) -> tuple[int, dict[str, dict[str, int]]]:
    """Total hits and every facet value's count for `request`, computed by Whoosh."""
    if not isinstance(index, WhooshSearchIndex):
        raise TypeError("groupedby_counts needs an index opened by index.search.open_index")
    gen = index._current()
    side = gen.side(request.target)
    parsed, _docs, _scores = side.match(request.text)
    filters: list[Any] = []
    speakers = [sid for value in request.speakers for sid in _resolve_speaker(gen, value)]
    if request.speakers:
        filters.append(Or([Term(FACET_FIELDS["speaker"], sid) for sid in speakers]))
    for name, values in (("outlet", request.outlets), ("topic", request.topics)):
        if values:
            known = [_resolve_value(side.facets[name].values, v) for v in values]
            terms = [Term(FACET_FIELDS[name], v) for v in known if v is not None]
            filters.append(Or(terms))
    low = date_bound(request.date_from, upper=False)
    high = date_bound(request.date_to, upper=True)
    if low is not None or high is not None:
        span = (f"{low or 1:08d}", f"{high or 99999999:08d}")
        filters.append(TermRange(F_DAY, *span, constantscore=True))
    if request.target == QUOTES and request.speech_only:
        filters.append(Term(F_SPEECH, "1"))
    facets = {name: FieldFacet(field, allow_overlap=True) for name, field in FACET_FIELDS.items()}
    results = side.searcher.search(
        parsed.query if parsed.query is not None else EVERY,
        limit=None,
        groupedby=facets,
        filter=And(filters) if filters else None,
    )
    counts = {
        name: {k: len(v) for k, v in results.groups(name).items() if k is not None}
        for name in FACET_FIELDS
    }
    return len(results), counts
