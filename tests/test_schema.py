"""The fused analyzers give Whoosh's chained filters' tokens, so old and new indexes agree."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import analysis as _analysis
from whoosh.support.charset import accent_map

from index.schema import name_analyzer, text_analyzer

analysis: Any = _analysis  # whoosh3 exports no types from its analysis package
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def chained(stem: bool) -> Any:
    chain = (
        analysis.RegexTokenizer() | analysis.LowercaseFilter() | analysis.CharsetFilter(accent_map)
    )
    stems = analysis.StemFilter(lang="en", cachesize=50000)
    return chain | stems if stem else chain


def tokens(analyzer: Any, text: str, **options: Any) -> list[tuple[Any, ...]]:
    return [
        (t.text, getattr(t, "pos", None), getattr(t, "startchar", None), t.boost)
        for t in analyzer(text, **options)
    ]


OPTIONS: tuple[dict[str, Any], ...] = (
    {},
    {"positions": True, "chars": True},
    {"mode": "query", "chars": True},
    {"no_morph": True},
)
ANALYZERS = ((text_analyzer, True), (name_analyzer, False))


@pytest.mark.parametrize(("make", "stem"), ANALYZERS)
@pytest.mark.parametrize("options", OPTIONS)
def test_same_tokens_as_the_filter_chain_on_the_seeds(
    make: Any, stem: bool, options: dict[str, Any]
) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    assert texts
    for text in texts:
        assert tokens(make(), text, **options) == tokens(chained(stem), text, **options)


@given(st.text(max_size=200))
def test_same_tokens_on_any_text(text: str) -> None:
    for make, stem in ANALYZERS:
        assert tokens(make(), text, positions=True, chars=True) == tokens(
            chained(stem), text, positions=True, chars=True
        )


def test_accents_case_and_stems_fold() -> None:
    assert [t.text for t in text_analyzer()("López Obrador's RUNNING")] == [
        "lopez",
        "obrador",
        "s",
        "run",
    ]
    assert [t.text for t in name_analyzer()("Kirby Villagrán")] == ["kirby", "villagran"]


def test_pickles_without_its_memo_and_keeps_working() -> None:
    analyzer = text_analyzer()
    list(analyzer("warm the memo"))
    copy = pickle.loads(pickle.dumps(analyzer))
    assert copy == analyzer and copy.has_morph() and not name_analyzer().has_morph()
    assert [t.text for t in copy("Running")] == ["run"]
