"""Keyword topics: whole words on folded text, with a minimum of evidence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive import topics
from archive.topics import all_topics, topic_label, topic_scores, topics_for

REPO = Path(__file__).resolve().parents[1]
NEWS_DEV = REPO.parent / "shared" / "gold" / "news-dev" / "articles"

FILLER = (
    "The council met on Tuesday to review the schedule for the coming season. "
    "Members discussed the parade route, the library hours and the new bus timetable. "
    "Several residents spoke about parking near the town square and the opening of a bakery. "
)


def long_text(*sentences: str) -> str:
    """A long article of neutral filler with `sentences` spread through it."""
    parts = [FILLER * 3]
    for sentence in sentences:
        parts.extend([sentence, FILLER * 2])
    return " ".join(parts)


def test_taxonomy_has_the_required_topics_with_labels() -> None:
    ids = {topic.id for topic in all_topics()}
    assert {
        "immigration",
        "border-security",
        "diplomacy",
        "foreign-aid",
        "elections",
        "economy",
        "health",
        "crime-justice",
        "climate-environment",
        "technology",
        "war-conflict",
    } <= ids
    assert topic_label("crime-justice") == "Crime & justice"
    assert topic_label("no-such-topic") == "no-such-topic"


def test_one_passing_word_does_not_tag_a_long_article() -> None:
    text = long_text("A neighbour who once worked in immigration law opened the bakery.")
    assert "immigration" not in topics_for(text)


def test_repeated_varied_evidence_tags_a_long_article() -> None:
    text = long_text(
        "Asylum seekers waited for hours at the shelter.",
        "Deportations rose sharply this spring, officials said.",
        "Lawyers for the migrants filed new papers on immigration status.",
    )
    assert topics_for(text)[0] == "immigration"


def test_one_repeated_word_is_not_enough_in_a_long_article() -> None:
    text = long_text("Inflation.", "Inflation.", "Inflation.", "Inflation.", "Inflation.")
    assert topic_scores(text)["economy"] == 6  # repeats are capped at three
    assert "economy" not in topics_for(text)


def test_a_short_quote_is_tagged_by_one_strong_phrase_but_not_one_plain_word() -> None:
    assert topics_for("We need more agents to protect the southern border tonight.") == (
        "border-security",
    )
    assert topics_for("We will look at the budget next week.") == ()
    assert "economy" in topics_for("The budget is too big, and taxes are too high.")


def test_whole_words_only() -> None:
    assert topic_scores("He said she was afraid of an award for softwood.") == {}
    assert topic_scores("A warden and a warship?") == {}


def test_stems_match_word_endings() -> None:
    scores = topic_scores("Migrants, migration and deportation; vaccinated nurses.")
    assert scores["immigration"] == 6
    assert scores["health"] == 3


def test_case_accents_hyphens_acronyms_and_line_breaks() -> None:
    assert "border-security" in topics_for("THE BORDER-SECURITY BILL")
    assert "border-security" in topics_for("Border\n   Security is back on the agenda")
    assert "border-security" in topics_for("C.B.P. said more officers were coming")
    assert "immigration" in topics_for("Inmigración: the word for Immigration and asylum policy")
    assert "diplomacy" in topics_for("La diplomática met the ambassador at the embassy")


def test_strongest_topic_comes_first() -> None:
    result = topics_for(
        "Troops crossed the line as missile strikes hit the city, and the war widened; prices rose."
    )
    assert result[0] == "war-conflict"


def test_works_on_empty_and_odd_text() -> None:
    assert topics_for("") == ()
    assert topics_for("\x00\ufffd 🙂 ¿¡") == ()
    assert isinstance(topics_for("ß" * 500), tuple)


def test_seed_article_about_the_border_is_tagged() -> None:
    seed = next((REPO / "seeds").glob("001_*.txt"))
    found = topics_for(seed.read_text(encoding="utf-8"))
    assert {"border-security", "immigration"} <= set(found[:3])


@pytest.fixture
def taxonomy_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "topics.json"
    monkeypatch.setattr(topics, "TOPICS_FILE", path)
    topics.taxonomy.cache_clear()
    yield path
    topics.taxonomy.cache_clear()


def test_a_custom_taxonomy_file_is_used(taxonomy_file: Path) -> None:
    taxonomy_file.write_text(
        json.dumps(
            {
                "evidence": {"short_min_score": 1},
                "topics": [{"id": "bees", "label": "Bees", "strong": ["hive*"], "keywords": []}],
            }
        ),
        encoding="utf-8",
    )
    assert topics_for("Two hives swarmed.") == ("bees",)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "cannot read"),
        ("[]", "`topics` list"),
        ('{"topics": [{"label": "x"}]}', "no string `id`"),
        ('{"topics": [{"id": "a", "strong": [3]}]}', "not a string"),
        ('{"topics": [{"id": "a", "strong": ["!!"]}]}', "has no words"),
        ('{"topics": [{"id": "a"}, {"id": "a"}]}', "not unique"),
        ('{"evidence": {"bogus": 1}, "topics": []}', "bad `evidence`"),
    ],
)
def test_a_broken_taxonomy_names_the_file(taxonomy_file: Path, content: str, problem: str) -> None:
    taxonomy_file.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=problem) as info:
        topics_for("anything")
    assert str(taxonomy_file) in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.skipif(not NEWS_DEV.is_dir(), reason="news-dev gold set not present")
def test_real_news_mostly_gets_a_few_topics() -> None:
    counts = [len(topics_for(path.read_text(encoding="utf-8"))) for path in NEWS_DEV.glob("*.txt")]
    assert counts
    assert sum(1 for n in counts if n) / len(counts) >= 0.8
    assert sum(counts) / len(counts) <= 5
