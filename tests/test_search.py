"""Search behaviour on a small hand-written archive: folding, filters, sorting, paging,
highlighting, views, and queries that must never crash."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from index.search import open_index
from index.types import SearchIndex, SearchRequest
from tests.index_fixtures import EXTRACTOR, MODEL, build, random_archive, small_archive


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    path = tmp_path_factory.mktemp("search") / "index"
    archive = small_archive()
    build(path, archive)
    opened = open_index(path)
    yield opened
    opened.close()


def ids(index: SearchIndex, text: str, **kw: object) -> list[str]:
    result = index.search(SearchRequest(text, **kw))  # type: ignore[arg-type]
    hits = result.quotes if kw.get("target") == "quotes" else result.articles
    return [h.id for h in hits]


def test_accent_insensitive_both_ways(index: SearchIndex) -> None:
    assert ids(index, "Lopez", target="quotes") == ids(index, "López", target="quotes")
    assert set(ids(index, "obregon")) == {"a3"}
    assert set(ids(index, "OBREGÓN")) == {"a3"}
    assert set(ids(index, "mexico")) == {"a2"}  # title says México


def test_speaker_names_are_searchable(index: SearchIndex) -> None:
    quotes = index.search(SearchRequest("lopez obrador", target="quotes")).quotes
    assert {q.article_id for q in quotes} == {"a1", "a3"}
    assert all(q.speaker == "Andrés Manuel López Obrador" for q in quotes)
    assert set(ids(index, "kirby")) == {"a2", "a4"}


def test_stemming_matches_word_forms(index: SearchIndex) -> None:
    assert "a1" in ids(index, "marching")  # title: march
    assert set(ids(index, "borders", target="quotes")) == set(ids(index, "border", target="quotes"))


def test_empty_text_browses_everything_newest_first(index: SearchIndex) -> None:
    result = index.search(SearchRequest(""))
    assert result.total == 5
    assert [a.id for a in result.articles] == ["a4", "a3", "a2", "a1", "a5"]  # undated last
    assert result.note is None


def test_filters_or_within_and_across_facets(index: SearchIndex) -> None:
    both = ids(index, "", outlets=("New York Times", "Wall Street Journal"))
    assert set(both) == {"a1", "a2", "a4"}
    anded = ids(index, "", outlets=("New York Times",), topics=("border security",))
    assert anded == ["a1"]
    assert ids(index, "", outlets=("new york times",)) == ids(
        index, "", outlets=("New York Times",)
    )


def test_speaker_filter_takes_ids_and_free_names(index: SearchIndex) -> None:
    by_id = ids(index, "", target="quotes", speakers=("john-kirby",))
    assert len(by_id) == 3
    assert ids(index, "", target="quotes", speakers=("kirby",)) == by_id
    for name in ("villagran", "Lopez Obrador", "kirby"):
        result = index.search(SearchRequest("", target="quotes", speakers=(name,)))
        assert result.total > 0 and result.note is None, name
    villagran = index.search(SearchRequest("", target="quotes", speakers=("villagran",)))
    assert {q.speaker for q in villagran.quotes} == {"Luis García Villagrán"}
    nobody = index.search(SearchRequest("", target="quotes", speakers=("zzyzx",)))
    assert nobody.total == 0 and nobody.note and "zzyzx" in nobody.note


def test_speech_only_hides_quoted_non_speech(index: SearchIndex) -> None:
    speech = index.search(SearchRequest("exodus", target="quotes"))
    everything = index.search(SearchRequest("exodus", target="quotes", speech_only=False))
    assert speech.total == 0 and everything.total == 1
    assert everything.quotes[0].speech is False and everything.quotes[0].speaker is None


def test_date_filters_inclusive_and_partial(index: SearchIndex) -> None:
    assert set(ids(index, "", date_from="2023-12-27", date_to="2024-01-15")) == {"a2", "a3"}
    assert set(ids(index, "", date_from="2024")) == {"a3", "a4"}
    assert set(ids(index, "", date_to="2023-12")) == {"a1", "a2"}
    assert set(ids(index, "", date_from="2024-02", date_to="2024-02")) == {"a4"}
    bad = index.search(SearchRequest("", date_from="last tuesday"))
    assert bad.total == 5 and bad.note and "not a date" in bad.note


def test_sort_orders(index: SearchIndex) -> None:
    assert ids(index, "statement", sort="date") == ["a4", "a3", "a2", "a1", "a5"]
    assert ids(index, "statement", sort="date_asc") == ["a1", "a2", "a3", "a4", "a5"]
    ranked = index.search(SearchRequest("border")).articles
    assert [a.score for a in ranked] == sorted((a.score for a in ranked), reverse=True)
    assert ranked[0].score > 0


def test_paging_covers_every_hit_once(tmp_path: Path) -> None:
    archive = random_archive(120, seed=3)
    build(tmp_path, archive)
    big = open_index(tmp_path)
    for sort in ("relevance", "date", "date_asc"):
        whole = big.search(SearchRequest("vote", target="quotes", sort=sort, limit=1000))
        pages: list[str] = []
        for offset in range(0, whole.total + 7, 7):
            page = big.search(
                SearchRequest("vote", target="quotes", sort=sort, limit=7, offset=offset)
            )
            assert page.total == whole.total
            pages.extend(q.id for q in page.quotes)
        assert pages == [q.id for q in whole.quotes], sort
        assert len(set(pages)) == whole.total > 7
    big.close()


def test_highlight_spans_point_at_matches(index: SearchIndex) -> None:
    (quote,) = index.search(SearchRequest("lopez caravan", target="quotes")).quotes
    assert [quote.text[s:e] for s, e in quote.highlights] == ["caravan"]  # name is no text match
    for hit in index.search(SearchRequest("text:borders", target="quotes")).quotes:
        marked = [hit.text[s:e].lower() for s, e in hit.highlights]
        assert marked and all(m == "border" for m in marked)
    article = index.search(SearchRequest("obregon")).articles[0]
    assert [article.title[s:e] for s, e in article.title_highlights] == ["Obregón"]
    assert [article.snippet[s:e] for s, e in article.highlights] == ["Obregón"]
    wild = index.search(SearchRequest("fund*")).articles[0]
    assert [wild.title[s:e] for s, e in wild.title_highlights] == ["funding"]


def test_article_view_has_text_and_all_quotes(index: SearchIndex) -> None:
    view = index.article("a1")
    assert view is not None
    assert view.article.title == "Migrants march toward the border"
    assert view.article.byline == "Simon Romero" and view.article.date == "2023-12-26"
    assert len(view.quotes) == 3
    for quote in view.quotes:
        assert view.article.text[quote.start : quote.end] == quote.text
    assert view.quotes[0].speaker_id == "luis-garcia-villagran"
    assert view.topics == ("immigration", "border security")
    assert index.article("nope") is None


def test_speaker_view_and_lookup(index: SearchIndex) -> None:
    view = index.speaker("john-kirby")
    assert view is not None and view.speaker.name == "John Kirby"
    assert len(view.quotes) == 3
    assert [q.date for q in view.quotes] == ["2024-02", "2024-02", "2023-12-27"]
    assert index.speaker("nobody") is None
    assert index.find_speakers("villagran")[0].name == "Luis García Villagrán"
    assert index.find_speakers("Lopez Obrador")[0].name == "Andrés Manuel López Obrador"
    assert {s.id for s in index.speakers()} >= {"john-kirby", "white-house"}


def test_stats(index: SearchIndex) -> None:
    stats = index.stats()
    assert (stats.articles, stats.quotes, stats.speakers) == (5, 9, 4)
    assert stats.model == MODEL and stats.extractor_version == EXTRACTOR
    assert "New York Times" in stats.outlets


def test_query_syntax_is_supported(index: SearchIndex) -> None:
    assert set(ids(index, '"toward the border"')) == {"a1"}
    assert set(ids(index, "border AND NOT kirby")) == {"a1"}
    assert set(ids(index, "obregon OR congress")) == {"a3", "a4"}
    assert set(ids(index, "outlet:independent")) == {"a3"}
    assert set(ids(index, "title:funding")) == {"a4"}
    assert set(ids(index, "Title:funding")) == {"a4"}
    assert index.search(SearchRequest('"toward the border"')).note is None


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ('"border wall', "unbalanced quotes"),
        ("(border", "unbalanced parentheses"),
        ("AND", "misplaced AND"),
        ("border NOT", "misplaced NOT"),
        ("foo:border", "unknown field 'foo'"),
        ("x" * 10_000, "too long"),
        ("*", "showing everything"),
    ],
)
def test_bad_syntax_falls_back_with_a_note(index: SearchIndex, text: str, note: str) -> None:
    result = index.search(SearchRequest(text))
    assert result.note and note in result.note


def test_fallback_still_finds_the_words(index: SearchIndex) -> None:
    result = index.search(SearchRequest('"toward border'))
    assert [a.id for a in result.articles] == ["a1"]
    assert index.search(SearchRequest("foo:obregon")).total == 1


HOSTILE = [
    "“toward the border”",
    "‘kirby’",
    ")(",
    '"""',
    "NOT",
    "OR OR OR",
    "AND NOT AND",
    "a\x00b\x1b[31m\u200b\ufeff",
    "title:",
    "speaker:(",
    "*:*",
    "?",
    "b*r*",
    "[a TO",
    "{}",
    "^2",
    "border^",
    "\ud800",
    "x" * 10_000,
    " ".join(["border"] * 3000),
    "text:border~2",
    "🙂 border",
    "NOT border",
    "-border",
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("target", ["articles", "quotes"])
def test_hostile_queries_never_raise(index: SearchIndex, text: str, target: str) -> None:
    result = index.search(
        SearchRequest(text, target=target, speakers=(text,), outlets=(text,), topics=(text,))  # type: ignore[arg-type]
    )
    assert result.total >= 0
    plain = index.search(SearchRequest(text, target=target))  # type: ignore[arg-type]
    hits = plain.quotes if target == "quotes" else plain.articles
    assert len(hits) <= plain.total
    for facet in plain.facets:
        assert all(v.count <= plain.total for v in facet.values)


def test_odd_requests_never_raise(index: SearchIndex) -> None:
    for request in (
        SearchRequest("border", limit=-5, offset=-3, facet_limit=-1),
        SearchRequest("border", limit=10**9, offset=10**9),
        SearchRequest("border", target="nope"),  # type: ignore[arg-type]
        SearchRequest("border", date_from="2024-13", date_to="0"),
        SearchRequest("border", sort="sideways"),  # type: ignore[arg-type]
    ):
        result = index.search(request)
        assert result.total >= 0


def test_quotes_match_their_article_title_at_lower_weight(index: SearchIndex) -> None:
    by_title = index.search(SearchRequest("migrants", target="quotes")).quotes
    assert {q.article_id for q in by_title} == {"a1"} and not any(q.highlights for q in by_title)
    assert index.search(SearchRequest("text:migrants", target="quotes")).total == 0
    ranked = index.search(SearchRequest("border", target="quotes")).quotes
    assert "border" in ranked[0].text  # said it beats merely appearing under the headline


def test_highlighter_folds_case_accents_and_word_forms() -> None:
    from index.highlight import Highlighter, snippet

    hl = Highlighter(frozenset({"obregon", "kirbi", "border"}))
    text = "ÁLVARO OBREGÓN met Kirby's team at the Borders; borderline cases aside."
    assert [text[s:e] for s, e in hl.spans(text)] == ["OBREGÓN", "Kirby", "Borders"]
    long_text = ("filler words here " * 100) + "the border was closed " + ("more filler " * 100)
    short, spans = snippet(long_text, hl)
    assert len(short) <= 250 and short.startswith("…") and short.endswith("…")
    assert [short[s:e] for s, e in spans] == ["border"]
    assert snippet("no match at all " * 40, hl)[1] == ()


def test_array_cache_is_bounded_by_bytes() -> None:
    import numpy as np

    from index.lru import ArrayLRU

    cache: ArrayLRU[tuple[np.ndarray, np.ndarray]] = ArrayLRU(max_bytes=10_000)
    for key in range(10):
        cache.put(key, (np.zeros(300), np.zeros(300)))  # ~4.8 kB each
    assert len(cache) == 2 and cache.bytes <= 10_000
    assert cache.get(9) is not None and cache.get(0) is None
    cache.get(8)
    cache.put("new", (np.zeros(300), np.zeros(300)))
    assert cache.get(8) is not None and cache.get(9) is None  # least recently used went
