"""Facet counts from numpy columns must equal Whoosh's own `groupedby`, on many queries."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from index.facets import FacetColumn
from index.reference import groupedby_counts
from index.search import WhooshSearchIndex, open_index
from index.types import SearchRequest, Target
from tests.index_fixtures import _LAST, _WORDS, build, random_archive


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("facets") / "index"
    archive = random_archive(300, seed=11)
    build(path, archive)
    return path


def _requests(count: int) -> list[SearchRequest]:
    rng = random.Random(5)
    out: list[SearchRequest] = []
    for i in range(count):
        kind = i % 5
        text = (
            ""
            if kind == 0
            else rng.choice(_WORDS)
            if kind == 1
            else " ".join(rng.sample(_WORDS, 2))
            if kind == 2
            else f'"{" ".join(rng.sample(_WORDS, 2))}"'
            if kind == 3
            else rng.choice(_LAST).lower()
        )
        target: Target = "quotes" if i % 2 else "articles"
        filters: dict[str, Any] = {}
        if i % 3 == 0:
            filters["outlets"] = tuple(rng.sample(["Reuters", "El País", "New York Times"], 2))
        if i % 4 == 0:
            filters["topics"] = (rng.choice(["economy", "diplomacy", "elections"]),)
        if i % 7 == 0:
            filters["date_from"], filters["date_to"] = "2020-03", "2022"
        out.append(SearchRequest(text=text, target=target, facet_limit=10_000, **filters))
    return out


@pytest.mark.parametrize("request_", _requests(60), ids=lambda r: f"{r.target}:{r.text}")
def test_counts_equal_groupedby(index_path: Path, request_: SearchRequest) -> None:
    index = open_index(index_path)
    assert isinstance(index, WhooshSearchIndex)
    result = index.search(request_)
    total, expected = groupedby_counts(index, request_)
    assert result.total == total
    for facet in result.facets:
        got = {v.value: v.count for v in facet.values}
        assert got == expected[facet.name], facet.name
        assert facet.other == 0
    index.close()


def test_speaker_filter_counts_equal_groupedby(index_path: Path) -> None:
    index = open_index(index_path)
    assert isinstance(index, WhooshSearchIndex)
    ids = [s.id for s in index.speakers()[:3]]
    for target in ("articles", "quotes"):
        request = SearchRequest("vote", target=target, speakers=tuple(ids), facet_limit=10_000)
        result = index.search(request)
        total, expected = groupedby_counts(index, request)
        assert result.total == total > 0
        assert {v.value: v.count for v in result.facet("speaker").values} == expected["speaker"]  # type: ignore[union-attr]
    index.close()


def test_facet_limit_keeps_the_top_values_and_counts_the_rest(index_path: Path) -> None:
    index = open_index(index_path)
    full = index.search(SearchRequest("", target="quotes", facet_limit=10_000)).facet("speaker")
    cut = index.search(SearchRequest("", target="quotes", facet_limit=5)).facet("speaker")
    assert full is not None and cut is not None
    assert cut.values == full.values[:5]
    assert cut.other == len(full.values) - 5
    counts = [v.count for v in full.values]
    assert counts == sorted(counts, reverse=True)
    assert all(v.label and v.label != v.value for v in cut.values)  # names, not ids
    index.close()


def test_multi_valued_column_counts_and_masks() -> None:
    import numpy as np

    postings = {"a": np.array([0, 2, 3]), "b": np.array([2]), "c": np.array([1, 3])}
    column = FacetColumn.from_postings("topic", postings, doc_count=5)
    assert column.single is None
    assert column.count(np.array([2, 3, 4])).tolist() == [2, 1, 1]
    assert column.mask(["b", "c"], 5).tolist() == [False, True, True, True, False]
    single = FacetColumn.from_postings("outlet", {"x": np.array([0, 4]), "y": np.array([2])}, 5)
    assert single.single is not None
    assert single.count(np.array([0, 1, 2])).tolist() == [1, 1]
    assert single.mask(["y", "nope"], 5).tolist() == [False, False, True, False, False]


def test_block_posting_reader_equals_whoosh_iteration(tmp_path: Path) -> None:
    """Including deleted documents, which an incremental build leaves in old segments."""
    from index.postings import _slow, posting_arrays
    from tests.index_fixtures import edited

    archive = random_archive(150, seed=12)
    for version in (archive, edited(archive, "r000004", "Changed"), edited(archive, "r1", "x")):
        build(tmp_path, version)
    index = open_index(tmp_path)
    assert isinstance(index, WhooshSearchIndex)
    reader = index._current().quotes.searcher.reader()
    assert reader.has_deletions()
    checked = 0
    for leaf, _offset in reader.leaf_readers():
        for field in ("text", "f_speaker", "title"):
            for term in list(leaf.lexicon(field))[:25]:
                fast_ids, fast_weights = posting_arrays(leaf.postings(field, term))
                slow_ids, slow_weights = _slow(leaf.postings(field, term), True)
                assert fast_ids.tolist() == slow_ids.tolist()
                assert fast_weights.tolist() == pytest.approx(slow_weights.tolist())
                checked += 1
    assert checked > 50
    index.close()
