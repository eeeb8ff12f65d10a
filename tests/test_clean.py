"""Boilerplate removal on furniture written here in the style of real news sites."""

from __future__ import annotations

import pytest

from archive.clean import (
    clean_paragraphs,
    clean_text,
    normalise_newlines,
    normalise_text,
    sentence_spans,
    split_paragraphs,
    strip_ornaments,
)


def kept(*paragraphs: str) -> list[str]:
    return clean_paragraphs(paragraphs).paragraphs


REPORT = "The council approved the budget on Tuesday after a four-hour debate."
QUOTE = "“We did what we had to do,” the mayor said."


@pytest.mark.parametrize(
    "furniture",
    [
        "▶️ 4 Minutes 12 Seconds",
        "▶️ 2 Hours 5 Minutes ⭐️ The Morning Show",
        "▶ 12:45",
        "45 seconds",
        "Advertisement",
        "ADVERTISEMENT",
        "Story continues below advertisement",
        "Comments",
        "142 comments",
        "Share",
        "Share on Facebook | Share on Twitter | Email",
        "Share this article",
        "Read more: Five things to know about the new budget",
        "Related: City hall braces for another long winter",
        "READ MORE",
        "Read the rest here.",
        "Watch the full interview below:",
        "More from Politics",
        "Most read",
        "Listen to this article",
        "5 min read",
        "Photo: Jane Smith/Getty Images",
        "Sign up",
        "Subscribe now",
        "© 2024 The Daily Ledger. All rights reserved.",
        "Copyright 2023 Example Media Group",
        "Follow us on Instagram and TikTok",
        "Follow Dana Whitfield on Twitter @dwhitfield.",
        "“Follow Lee Park on X @leepark”",
        "* * *",
        "✪ ✪ ✪",
        "Sign up for our free morning newsletter and get the day's news sent to your inbox.",
        "Join the conversation and share your views below.",
        "Please consider supporting our independent journalism with a donation today.",
        "Already a subscriber? Log in to continue reading.",
        "Your generous support keeps our reporters in the field.",
        "NOTE: This page is currently under construction. Please email your suggestions to us.",
        "Click here to download our free app.",
        "We rely on readers like you to fund our journalism. Please donate today.",
    ],
)
def test_furniture_paragraphs_are_removed(furniture: str) -> None:
    result = clean_paragraphs([REPORT, furniture, QUOTE])
    assert result.paragraphs == [REPORT, QUOTE]
    assert len(result.removed) == 1


def test_donation_appeal_run_is_removed_but_the_outlet_is_kept_as_evidence() -> None:
    appeal = [
        "Help us keep reporting",
        "From city hall to the courts, The Guardian is on the ground when news breaks. "
        "Our reporters dig into the records so that you do not have to.",
        "The Guardian is trusted by readers across the country.",
        "We do not put our journalism behind a paywall. Your contribution keeps it that way.",
    ]
    result = clean_paragraphs([*appeal, REPORT])
    assert result.paragraphs == [REPORT]
    assert "The Guardian is trusted by readers across the country." in result.removed


def test_glued_appeal_sentence_is_cut_and_the_article_sentence_kept() -> None:
    glued = "Your support makes all the difference.The storm flooded three streets on Monday."
    assert kept(glued) == ["The storm flooded three streets on Monday."]
    trailing = "Officials promised repairs by Friday. Sign up for our newsletter to get updates."
    assert kept(trailing) == ["Officials promised repairs by Friday."]


def test_real_reporting_about_donations_and_subscriptions_survives() -> None:
    reporting = [
        "The charity said donations fell by 30 percent this year, and it urged supporters "
        "to give before the end of December.",
        "Subscriptions to the paper dropped sharply after it introduced a paywall, "
        "its publisher told investors.",
        "The hospital's fundraising page, which asks visitors to donate now, raised $2 million.",
        "The bridge is under construction and will open next spring.",
        "“Your support means everything to us,” the mayor told volunteers on Sunday.",
        "“We need more reporters on the ground,” the editor said.",
        "The New York Times is being sued by a group of authors.",
        "US reporters were barred from the briefing.",
    ]
    assert kept(*reporting) == reporting


def test_a_lone_self_description_is_kept_away_from_furniture() -> None:
    paragraphs = [
        REPORT,
        "The Guardian is independent of any political party, its editor said.",
        "We journalists owe our readers the facts.",
        "''These are the stories that we talk about that nobody knows,'' she said.",
    ]
    assert kept(*paragraphs) == paragraphs
    assert kept("Advertisement", paragraphs[2], REPORT) == [REPORT]


def test_trailing_ornaments_are_stripped_but_meaningful_symbols_kept() -> None:
    assert strip_ornaments("“We will go,” he said.”✪") == "“We will go,” he said.”"
    assert strip_ornaments("★ Breaking: roads closed ★ ") == "Breaking: roads closed"
    assert strip_ornaments("Temperatures reached 40°") == "Temperatures reached 40°"
    assert kept("The river is 3 km wide ✪") == ["The river is 3 km wide"]


def test_sentence_spans_split_glued_sentences_only_after_words() -> None:
    text = "It cost $1.5 million.The U.S. Army said so. Then “Go,” he said."
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans[0] == "It cost $1.5 million."
    assert "The U.S. Army said so." in " ".join(spans)
    assert all(s.strip() == s for s in spans)


def test_text_shape_from_messy_line_ends() -> None:
    raw = "First paragraph.  \r\n\r\n\r\n\r\nSecond\tparagraph with  two spaces.\rThird one.\n\n"
    result = clean_text(raw)
    assert result.text == "First paragraph.\n\nSecond\tparagraph with  two spaces.\n\nThird one."


def test_normalise_newlines() -> None:
    assert normalise_newlines("a\r\nb\rc\u2028d\ne") == "a\nb\nc\nd\ne"


def test_normalise_text_composes_accents_and_drops_invisible_marks() -> None:
    assert normalise_text("Lo\u0301pez immi\u00adgra\u200btion\r\n") == "López immigration\n"


def test_split_paragraphs_one_line_each_unless_wrapped() -> None:
    assert split_paragraphs(["One.", "Two.", "", "", "Three."]) == ["One.", "Two.", "Three."]


def test_markdown_links_and_escapes_become_plain_words() -> None:
    from archive.clean import strip_markup

    raw = r"The city [voted to close it](https://example.com/a_(b)) and set aside \$4 million."
    assert strip_markup(raw) == "The city voted to close it and set aside $4 million."
    assert strip_markup("a [bracketed aside] (and a parenthesis)") == (
        "a [bracketed aside] (and a parenthesis)"
    )
    cleaned = clean_text("Intro line.\n\nShe said he should “reopen [the old plant](#).”")
    assert cleaned.paragraphs[-1] == "She said he should “reopen the old plant.”"
