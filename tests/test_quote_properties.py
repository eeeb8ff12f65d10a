"""Property tests: span finding never raises, slices back, never overlaps."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.quotes import find_quote_spans

MARKS = "\"'“”‘’«»‹›`\n "
quote_heavy = st.text(alphabet=st.sampled_from(list(MARKS) + list("abc XYZ.,:—-")), max_size=300)


def check(text: str) -> None:
    spans = find_quote_spans(text)
    previous_end = -1
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.start >= previous_end
        assert text[span.start : span.end].strip()
        if span.open_mark is not None:
            assert span.open_mark < span.start
        if span.close_mark is not None:
            assert span.close_mark >= span.end
        previous_end = span.end


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    check(text)


@settings(max_examples=300, deadline=None)
@given(quote_heavy)
def test_mark_heavy_text(text: str) -> None:
    check(text)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="abc def", min_size=1, max_size=20), min_size=1, max_size=8))
def test_balanced_quotes_are_all_found(parts: list[str]) -> None:
    words = [p.strip() or "x" for p in parts]
    text = " and ".join(f"“{w}”" for w in words)
    found = [text[s.start : s.end] for s in find_quote_spans(text)]
    assert found == words


def test_thousands_of_marks() -> None:
    check("“" * 3000 + "a" + "”" * 3000 + '"' * 5001)
