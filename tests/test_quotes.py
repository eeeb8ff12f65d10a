"""Quote span finding: marks, paragraphs, nesting, stray marks (no spaCy needed)."""

from __future__ import annotations

import itertools

from archive.quotes import QuoteSpan, find_quote_spans, paragraphs


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_quote_spans(text)]


def test_straight_curly_and_guillemet_marks() -> None:
    text = 'She said "we will go" and then “we did.” Later «nous partons», he wrote.'
    assert texts(text) == ["we will go", "we did.", "nous partons"]


def test_offsets_exclude_the_marks() -> None:
    text = "A “quoted bit” here."
    (span,) = find_quote_spans(text)
    assert text[span.open_mark] == "“" and text[span.close_mark] == "”"  # type: ignore[index]
    assert text[span.start : span.end] == "quoted bit"


def test_nested_quotes_stay_inside_the_outer_quote() -> None:
    text = '"The sign said “keep out” and we left," she recalled.'
    assert texts(text) == ["The sign said “keep out” and we left,"]


def test_nested_single_quotes_are_text() -> None:
    text = "“He told me ‘never again’ and meant it,” Ruiz said."
    assert texts(text) == ["He told me ‘never again’ and meant it,"]


def test_multi_paragraph_quote_is_one_segment_per_paragraph() -> None:
    text = "“The first part runs on\n\n“and the second part ends here,” she said.\n\nNext."
    spans = find_quote_spans(text)
    assert [text[s.start : s.end] for s in spans] == [
        "The first part runs on",
        "and the second part ends here,",
    ]
    assert spans[0].close_mark is None and not spans[0].continues
    assert spans[1].continues


def test_stray_mark_does_not_swallow_later_quotes() -> None:
    text = "An odd ” mark and a “ dangling one.\n\nThen “a clean quote” follows and “another one.”"
    assert texts(text)[-2:] == ["a clean quote", "another one."]


def test_unclosed_quote_is_closed_at_paragraph_end() -> None:
    text = (
        "He said “this runs to the end of the line without closing\n"
        "New paragraph with “its own quote”."
    )
    assert texts(text) == [
        "this runs to the end of the line without closing",
        "its own quote",
    ]


def test_short_unclosed_fragment_is_dropped() -> None:
    assert texts("A stray “mark here\nand more text") == []


def test_apostrophes_are_not_quotes() -> None:
    assert texts("It's the voters' choice, isn't it? Rock 'n' roll.") == []


def test_single_quotes_as_headline_speech() -> None:
    text = "Mayor says ‘we will rebuild the bridge’ after storm"
    assert texts(text) == ["we will rebuild the bridge"]


def test_doubled_apostrophes_are_double_marks() -> None:
    text = "''It was a long night,'' the chef said, ``and a good one.''"
    assert texts(text) == ["It was a long night,", "and a good one."]


def test_inch_marks_are_not_quotes() -> None:
    assert texts("The player is 6'2\" tall and weighs a lot.") == []


def test_markdown_links_stay_inside_quote_text() -> None:
    text = "He vowed to “restore [the old program](#) quickly.”"
    assert texts(text) == ["restore [the old program](#) quickly."]


def test_transcript_quotes() -> None:
    text = "HOST: You said “never” last week.\nGUEST: I said “not now,” which is different."
    assert texts(text) == ["never", "not now,"]


def test_paragraphs_split_on_any_newline() -> None:
    assert paragraphs("a\n\nb\nc\r\n") == [(0, 1), (3, 4), (5, 6)]


def test_spans_sorted_and_disjoint() -> None:
    text = "“a b c” and “d e f” and 'g h' and “i j k”"
    spans = find_quote_spans(text)
    assert spans == sorted(spans, key=lambda s: s.start)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert all(isinstance(s, QuoteSpan) for s in spans)


def test_empty_and_markless_text() -> None:
    assert find_quote_spans("") == []
    assert find_quote_spans("No quotation marks at all.") == []


def test_markup_attribute_values_are_not_quotes() -> None:
    text = 'Before <tweet author="Some One" date="2016"> and “a real quote” after.'
    assert texts(text) == ["a real quote"]


def test_doubled_apostrophes_close_after_punctuation() -> None:
    """Archive text (NYT style) closes `''` right after a comma or full stop."""
    text = (
        "''This isn't tax reform,'' said Ms. Holt, an economist. ''It's anti-reform.''\n"
        "As for complexity, ''broadening the base takes work,'' said Mr. Kamin; ''it does.''"
    )
    spans = find_quote_spans(text)
    assert [text[s.start : s.end] for s in spans] == [
        "This isn't tax reform,",
        "It's anti-reform.",
        "broadening the base takes work,",
        "it does.",
    ]
    assert not any(s.single for s in spans)


def test_run_on_paragraphs_of_one_quote_split_at_each_reopening() -> None:
    """Scraped text often loses the breaks of a multi-paragraph quote: each reopens, one closes."""
    text = (
        'The report said: "Poverty threatens us all. "Crises know no borders. '
        '"Networks thrive where states are weak." Ministers agreed.'
    )
    spans = find_quote_spans(text)
    assert [text[s.start : s.end] for s in spans] == [
        "Poverty threatens us all.",
        "Crises know no borders.",
        "Networks thrive where states are weak.",
    ]
    assert [s.continues for s in spans] == [False, True, True]


def test_reopening_without_a_sentence_end_is_not_a_run_on() -> None:
    assert texts('He called it "a "bad" idea" and left.') == ['a "bad" idea']
