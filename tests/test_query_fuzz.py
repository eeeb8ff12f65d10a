"""No query crashes the search API, and every answer agrees with its own facet counts.

10,000 seeded random and hostile requests go to the seed index; hypothesis adds
arbitrary text and filters against a larger synthetic index where facets have many
values. `check_result` (bench/reliability.py) holds the consistency rules: hit counts
against total, limit and offset; single-valued facet counts summing to the total;
filtering by a shown facet value returning exactly its count; speech-only quotes.
"""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.pipeline import ExtractOptions
from bench.reliability import (
    check_result,
    fuzz_requests,
    hostile_query,
    random_request,
    vocabulary,
)
from index.rebuild import build_archive
from index.search import open_index
from index.types import SearchIndex, SearchRequest, Target
from tests.index_fixtures import build, random_archive

REPO = Path(__file__).resolve().parents[1]
WHOSAID = Path(sys.executable).with_name("whosaid")


@pytest.fixture(scope="module")
def seed_index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "seed-index"
    build_archive([REPO / "seeds"], path, options=ExtractOptions(processes=1))
    return path


@pytest.fixture(scope="module")
def seed_index(seed_index_path: Path) -> Iterator[SearchIndex]:
    index = open_index(seed_index_path)
    yield index
    index.close()


@pytest.fixture(scope="module")
def wide_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """300 synthetic articles: dozens of speakers, five outlets, six topics."""
    path = tmp_path_factory.mktemp("fuzz-wide")
    archive = random_archive(300, seed=11)
    build(path, archive)
    index = open_index(path)
    yield index
    index.close()


@pytest.mark.slow
def test_ten_thousand_hostile_requests_on_the_seed_index(seed_index: SearchIndex) -> None:
    report = fuzz_requests(seed_index, 10_000, seed=20261125)
    assert report.queries == 10_000
    assert report.exceptions == 0, report.samples
    assert report.inconsistent == 0, report.samples


def test_the_checks_can_fail(seed_index: SearchIndex) -> None:
    """A result whose counts were tampered with must be caught, or the fuzz proves nothing."""
    request = SearchRequest("border")
    result = seed_index.search(request)
    assert check_result(seed_index, request, result, random.Random(0)) == []
    assert check_result(
        seed_index, request, replace(result, total=result.total + 1), random.Random(0)
    )
    facets = tuple(
        replace(f, values=tuple(replace(v, count=v.count - 1) for v in f.values))
        for f in result.facets
    )
    assert check_result(seed_index, request, replace(result, facets=facets), random.Random(0))


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        "((border",
        "border))",
        "“curly quotes from a phone”",
        "‘single curly’ AND",
        "AND",
        "OR",
        "NOT",
        "NOT NOT",
        "*",
        "?",
        "nosuchfield:border",
        "speaker:",
        "title:[a TO",
        "x" * 10_000,
        "border " * 1500,
        "\x00\x01\x1b[31mred\x7f",
        "\ud800lone surrogate",
        "(" * 5000 + "border",
        "border^1e309",
        '"border wall"~-1',
    ],
)
@pytest.mark.parametrize("target", ["articles", "quotes"])
def test_named_hostile_queries_get_results_or_a_note(
    seed_index: SearchIndex, text: str, target: str
) -> None:
    request = SearchRequest(text, target=target)  # type: ignore[arg-type]
    result = seed_index.search(request)
    assert check_result(seed_index, request, result, random.Random(1)) == []
    assert result.note is None or "\n" not in result.note


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.text(max_size=80) | st.builds(hostile_query, st.randoms(use_true_random=False)),
    target=st.sampled_from(["articles", "quotes"]),
    speakers=st.lists(st.text(max_size=20), max_size=2),
    outlets=st.lists(st.text(max_size=20), max_size=2),
    date_from=st.none() | st.text(max_size=12),
    date_to=st.none() | st.text(max_size=12),
    limit=st.integers(-5, 2000),
    offset=st.integers(-5, 400),
    facet_limit=st.integers(-2, 50),
)
def test_arbitrary_requests_never_raise(
    wide_index: SearchIndex,
    text: str,
    target: str,
    speakers: list[str],
    outlets: list[str],
    date_from: str | None,
    date_to: str | None,
    limit: int,
    offset: int,
    facet_limit: int,
) -> None:
    request = SearchRequest(
        text,
        target=target,  # type: ignore[arg-type]
        speakers=tuple(speakers),
        outlets=tuple(outlets),
        date_from=date_from,
        date_to=date_to,
        limit=limit,
        offset=offset,
        facet_limit=facet_limit,
    )
    result = wide_index.search(request)
    assert check_result(wide_index, request, result, random.Random(2)) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32))
def test_random_filters_on_a_wide_index_agree_with_facet_counts(
    wide_index: SearchIndex, seed: int
) -> None:
    rng = random.Random(seed)
    request = random_request(rng, vocabulary(wide_index))
    result = wide_index.search(request)
    assert check_result(wide_index, request, result, rng) == []


@pytest.mark.parametrize(
    "args",
    [
        ("search", '"unbalanced (quote'),
        ("search", "AND"),
        ("search", "nosuchfield:x", "--outlet", "((", "--topic", "NOT"),
        ("quotes", "--speaker", "“Kirby"),
        ("quotes", "--speaker", "*", "--from", "yesterday"),
        ("search", b"caf\xe9 \xff"),
    ],
    ids=["quote", "lone-and", "fields", "curly-speaker", "star-speaker", "non-utf8-argv"],
)
def test_cli_never_prints_a_traceback(seed_index_path: Path, args: tuple[str | bytes, ...]) -> None:
    command = [str(WHOSAID), *args, "--index", str(seed_index_path)]
    proc = subprocess.run(command, capture_output=True, timeout=120)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode in (0, 1), stderr
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) <= 2, stderr


def _no_surrogates(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=st.text(st.characters(blacklist_categories=["Cs"]), max_size=60)
    | st.builds(hostile_query, st.randoms(use_true_random=False)).map(_no_surrogates)
    | st.sampled_from(["", " ", "r000001", "r000001#0", "#", "../CURRENT", "*", "García"])
)
def test_article_speaker_and_lookup_never_raise(wide_index: SearchIndex, value: str) -> None:
    view = wide_index.article(value)
    assert view is None or view.article.id == value
    speaker = wide_index.speaker(value)
    assert speaker is None or speaker.speaker.id == value
    found = wide_index.find_speakers(value)
    assert len({s.id for s in found}) == len(found)


def test_every_facet_value_is_a_working_filter(wide_index: SearchIndex) -> None:
    """Each listed value of each facet, used alone as a filter, returns exactly its count."""
    targets: tuple[Target, ...] = ("articles", "quotes")
    for target in targets:
        request = SearchRequest("", target=target, facet_limit=10_000)
        result = wide_index.search(request)
        assert result.total > 0
        for facet in result.facets:
            assert facet.other == 0
            for value in facet.values:
                only: dict[str, Any] = {facet.name + "s": (value.value,)}
                narrowed = replace(request, with_facets=False, **only)
                assert wide_index.search(narrowed).total == value.count, (facet.name, value)


def test_article_id_with_a_lone_surrogate_is_not_found(
    seed_index: SearchIndex, seed_index_path: Path
) -> None:
    assert seed_index.article("\udcff") is None
    command: list[str | bytes] = [str(WHOSAID), "show", b"\xff", "--index", str(seed_index_path)]
    proc = subprocess.run(command, capture_output=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
