"""Pilot tests of the TUI on an in-memory index: what a person sees after each thing they do."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import orjson
import pytest
from rich.console import Console
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from index.types import SearchIndex, SearchRequest, SearchResult
from tests.tui_fake_index import FakeIndex, many_articles, sample_index
from tui.app import WhosaidApp
from tui.screens.article import ArticleScreen
from tui.screens.export import ExportScreen
from tui.screens.help import HelpScreen
from tui.screens.index_problem import IndexProblemScreen
from tui.screens.search import SearchScreen
from tui.screens.search_state import SearchState, request_values, without_facet
from tui.screens.speaker import SpeakerScreen
from tui.widgets.facet_panel import FacetPanel
from tui.widgets.filter_bar import FilterBar
from tui.widgets.highlight import flatten, window
from tui.widgets.results_table import ResultsTable

SIZE = (120, 40)
PAGE = SearchState().limit
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def settle(pilot: Pilot[None]) -> None:
    """Let the debounce timer fire and every search worker finish and post its answer."""
    await pilot.pause(0.12)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text_of(widget: Static) -> str:
    """What the widget says, as plain text (Text, Content or any Rich renderable)."""
    content = widget.content
    if isinstance(content, str) or hasattr(content, "plain"):
        return str(getattr(content, "plain", content))
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


def row_ids(table: ResultsTable) -> list[str]:
    return [hit.id for hit in table.hits]


def facet_counts(panel: FacetPanel) -> dict[str, int]:
    return {v.value: v.count for v in panel.facet_values}


def assert_facets_match(screen: SearchScreen, index: SearchIndex, request: SearchRequest) -> None:
    """Every count on screen is one `index.search` gives: the request itself for facets
    without a selection and for chosen values; the request without its own filter for
    the other values of a facet with a selection (what OR-ing them in would bring)."""
    truth = index.search(request)
    for name in ("speaker", "outlet", "topic"):
        shown = facet_counts(screen.query_one(f"#facet-{name}", FacetPanel))
        chosen = request_values(request, name)
        facet = truth.facet(name)
        assert facet is not None
        exact = {v.value: v.count for v in facet.values}
        if not chosen:
            assert shown == exact
            continue
        wider = index.search(without_facet(request, name)).facet(name)
        assert wider is not None
        listed = {k: n for k, n in shown.items() if n or k not in chosen}
        assert listed == {v.value: v.count for v in wider.values}
        for value in chosen:  # chosen values stay listed, with 0 when nothing matches
            assert shown[value] == exact.get(value, 0)


def make_app(index: FakeIndex | None = None) -> WhosaidApp:
    return WhosaidApp(Path("/nonexistent-index"), index=index or sample_index())


async def to_quotes(pilot: Pilot[None]) -> None:
    pilot.app.screen.query_one(ResultsTable).focus()
    await pilot.press("m")
    await settle(pilot)


async def type_query(pilot: Pilot[None], text: str) -> None:
    await pilot.press("slash")
    search = pilot.app.screen.query_one("#search", Input)
    search.value = ""
    await pilot.press(*text)
    await settle(pilot)


async def toggle(pilot: Pilot[None], facet: str, value: str) -> None:
    panel = pilot.app.screen.query_one(f"#facet-{facet}", FacetPanel)
    panel.focus()
    panel.highlighted = next(i for i, v in enumerate(panel.facet_values) if v.value == value)
    await pilot.press("space")
    await settle(pilot)


async def test_typing_a_query_shows_its_results_and_counts() -> None:
    index = sample_index()
    async with make_app(index).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SearchScreen)
        table = screen.query_one(ResultsTable)
        assert len(row_ids(table)) == 4
        await type_query(pilot, "border")
        expected = index.search(SearchRequest("border", limit=PAGE))
        assert row_ids(table) == [a.id for a in expected.articles]
        assert text_of(screen.query_one("#status", Static)).startswith("3 articles")
        outlets = facet_counts(screen.query_one("#facet-outlet", FacetPanel))
        facet = expected.facet("outlet")
        assert facet is not None
        assert outlets == {v.value: v.count for v in facet.values}
        assert index.calls[-1].text == "border"


async def test_a_key_searches_at_once_unless_an_answer_is_still_coming() -> None:
    index = sample_index()
    slow = threading.Event()
    search = index.search

    def held_search(request: SearchRequest) -> SearchResult:
        slow.wait(5)  # held until the test lets it go
        return search(request)

    async with make_app(index).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SearchScreen)
        index.search = held_search  # type: ignore[method-assign]
        await pilot.press("b")  # the search box has the focus
        assert screen._debounce is None  # the last answer was shown: no wait
        assert screen.state.request().text == "b"
        await pilot.press("o", "r")  # "b" is still being answered: wait for a pause
        assert screen._debounce is not None
        slow.set()
        await settle(pilot)
        assert index.calls[-1].text == "bor"
        assert screen.result is not None and screen.result.request.text == "bor"


async def test_toggling_facets_filters_or_within_and_across() -> None:
    index = sample_index()
    async with make_app(index).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await to_quotes(pilot)
        await type_query(pilot, "border")
        screen = pilot.app.screen
        table = screen.query_one(ResultsTable)
        await toggle(pilot, "speaker", "tom-reyes")
        assert {h.speaker for h in table.hits} == {"Tom Reyes"}  # type: ignore[union-attr]
        assert "Speaker: Tom Reyes" in text_of(screen.query_one(FilterBar))
        await toggle(pilot, "speaker", "maria-lopez")  # OR within the speaker facet
        assert len(table.hits) == 2
        await toggle(pilot, "outlet", "Harbor Post")  # AND with the outlet facet
        assert [h.outlet for h in table.hits] == ["Harbor Post"]  # type: ignore[union-attr]
        request = SearchRequest(
            "border",
            target="quotes",
            speakers=("tom-reyes", "maria-lopez"),
            outlets=("Harbor Post",),
            limit=PAGE,
        )
        assert isinstance(screen, SearchScreen)
        assert screen.result is not None and screen.result.request == request
        assert_facets_match(screen, index, request)


async def test_clearing_filters_with_one_key() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await toggle(pilot, "topic", "safety")
        screen = pilot.app.screen
        assert len(screen.query_one(ResultsTable).hits) == 2
        screen.query_one(ResultsTable).focus()
        await pilot.press("x")
        await settle(pilot)
        assert len(screen.query_one(ResultsTable).hits) == 4
        assert "No filters" in text_of(screen.query_one(FilterBar))
        assert screen.query_one("#facet-topic", FacetPanel).selected == []


async def test_switching_mode_and_sorting() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one(ResultsTable)
        table.focus()
        await pilot.press("m")
        await settle(pilot)
        assert table.target == "quotes"
        assert [str(c.label) for c in table.columns.values()][:2] == ["Speaker", "Quote"]
        assert len(table.hits) == 6  # the sign "Open late" is not speech
        await pilot.press("s")
        await settle(pilot)
        dates = [h.date or "" for h in table.hits]
        assert dates == sorted(dates, reverse=True)
        assert "newest first" in text_of(screen.query_one("#status", Static))


async def test_clicking_the_date_header_sorts_by_date() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one(ResultsTable)
        x = 1  # the table's border
        for key, column in table.columns.items():
            if key.value == "date":
                break
            x += column.get_render_width(table)
        await pilot.click("#results", offset=(x + 2, 1))
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.state.sort == "date"
        await pilot.click("#results", offset=(x + 2, 1))
        await settle(pilot)
        assert str(screen.state.sort) == "date_asc"
        dates = [h.date or "" for h in table.hits]
        assert dates == sorted(dates)


async def test_opening_an_article_at_a_quote_and_jumping_between_quotes() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await to_quotes(pilot)
        await type_query(pilot, "detours")
        await pilot.press("enter")  # leaves the search box for the results
        await pilot.press("enter")
        await settle(pilot)
        reader = pilot.app.screen
        assert isinstance(reader, ArticleScreen)
        assert reader.current == 1
        quote = reader.current_quote()
        assert quote is not None and quote.speaker == "Tom Reyes"
        text = "\n".join(text_of(p) for p in reader.query(".paragraph").results(Static))
        assert "“We cannot wait any longer for the bridge repairs,” ◂ María López" in text
        assert "county.” ◂ Tom Reyes" in text
        assert reader.query_one("#quote-list", OptionList).border_title == "Quotes 2/2"
        await pilot.press("n")
        await pilot.pause()
        assert reader.current == 0
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, SearchScreen)


async def test_opening_a_speaker_from_a_quote() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await to_quotes(pilot)
        await type_query(pilot, "farms")
        await pilot.press("enter", "enter")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SpeakerScreen)
        card = text_of(screen.query_one("#speaker-card", Static))
        assert card.startswith("María López")
        assert "mayor of Riverton" in card and "Ms. López" in card
        assert "Valley Times" in card
        table = screen.query_one(ResultsTable)
        assert {h.speaker for h in table.hits} == {"María López"}  # type: ignore[union-attr]
        assert len(table.hits) == 3
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ArticleScreen)


async def test_export_writes_every_result_as_jsonl(tmp_path: Path) -> None:
    index = sample_index()
    target = tmp_path / "out.jsonl"
    async with make_app(index).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await to_quotes(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportScreen)
        dialog.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    rows = [orjson.loads(line) for line in target.read_bytes().splitlines()]
    assert len(rows) == index.search(SearchRequest(target="quotes")).total == 6
    assert {"speaker", "text", "outlet", "article_id"} <= rows[0].keys()


async def test_export_to_a_missing_folder_is_a_message_not_a_crash(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "out.jsonl"
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.screen.query_one(ResultsTable).focus()
        await pilot.press("e")
        await pilot.pause()
        pilot.app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SearchScreen)
        messages = [n.message for n in pilot.app._notifications]
        assert any(m.startswith(f"Could not write {target}") for m in messages)
    assert not target.parent.exists()


async def test_no_results_says_so_and_how_to_widen() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await toggle(pilot, "outlet", "Valley Times")
        await type_query(pilot, "fence")
        empty = pilot.app.screen.query_one("#empty", Static)
        assert empty.display
        assert "No articles match “fence” with this filter: press x" in text_of(empty)
        assert pilot.app.screen.query_one(ResultsTable).hits == ()


async def test_a_query_the_index_had_to_reinterpret_says_so() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "border AND (")
        note = pilot.app.screen.query_one("#note", Static)
        assert note.display
        assert text_of(note) == "Note: unbalanced parentheses: searched the words instead"
        await type_query(pilot, "border")
        assert not note.display


async def test_empty_index_names_the_build_command() -> None:
    async with make_app(FakeIndex([], [])).run_test(size=SIZE) as pilot:
        await settle(pilot)
        empty = pilot.app.screen.query_one("#empty", Static)
        assert "whosaid build seeds --index /nonexistent-index" in text_of(empty)


async def test_missing_index_shows_the_build_command(tmp_path: Path) -> None:
    app = WhosaidApp(tmp_path / "no-index")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, IndexProblemScreen)
        message = text_of(screen.query_one("#problem", Static))
        assert f"whosaid build seeds --index {tmp_path / 'no-index'}" in message
        await pilot.press("q")
    assert app.index_problem


async def test_command_palette_switches_mode_and_filters_by_speaker() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"switch to quotes")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.state.target == "quotes"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"filter by speaker lopez")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.state.chosen == [("speaker", "maria-lopez")]
        assert {h.speaker for h in screen.query_one(ResultsTable).hits} == {"María López"}  # type: ignore[union-attr]


async def test_more_rows_load_as_the_cursor_nears_the_end() -> None:
    async with make_app(many_articles(150)).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one(ResultsTable)
        assert len(table.hits) == PAGE < 150
        status = text_of(screen.query_one("#status", Static))
        assert status.startswith("150 articles  ·  sorted by") and "first 60 shown" in status
        table.focus()
        for _ in range(3):
            await pilot.press("end")
            await settle(pilot)
        assert [h.id for h in table.hits] == [f"m{n:04d}" for n in range(150)]
        assert table.row_count == 150
        assert text_of(screen.query_one("#status", Static)).startswith("150 articles  ·")


async def test_theme_change_redraws_highlights_in_the_new_colours() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_query(pilot, "border")
        table = pilot.app.screen.query_one(ResultsTable)

        def match_styles() -> set[str]:
            row = next(n for n, hit in enumerate(table.hits) if hit.id == "a2")
            title = table.get_row_at(row)[0]
            assert isinstance(title, Text) and title.spans
            return {str(span.style) for span in title.spans}

        dark = match_styles()
        pilot.app.theme = "textual-light"
        await settle(pilot)
        light = match_styles()
        assert dark != light
        assert all("#ffffff" not in style for style in light)  # muted text is not white on light


async def test_copy_quote_puts_the_citation_on_the_clipboard() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await to_quotes(pilot)
        await type_query(pilot, "detours")
        pilot.app.screen.query_one(ResultsTable).focus()
        await pilot.press("c")
        assert pilot.app.clipboard == (
            "“Detours will slow our trucks near the border of the county.” — "
            "Tom Reyes, Daily Ledger, 2025-03-02"
        )


async def test_mouse_selects_a_facet_value_and_removes_its_filter() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#facet-outlet", offset=(6, 1))  # first value, under the border
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.state.chosen == [("outlet", "Daily Ledger")]
        assert {h.outlet for h in screen.query_one(ResultsTable).hits} == {"Daily Ledger"}
        await pilot.click("#filters", offset=(12, 0))  # the filter's chip
        await settle(pilot)
        assert screen.state.chosen == []


async def test_tab_cycles_search_facets_and_results_and_slash_comes_back() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen = []
        for _ in range(5):
            focused = pilot.app.focused
            assert focused is not None
            seen.append(focused.id)
            await pilot.press("tab")
        assert seen == ["search", "facet-speaker", "facet-outlet", "facet-topic", "results"]
        assert pilot.app.focused is not None and pilot.app.focused.id == "search"
        pilot.app.screen.query_one(ResultsTable).focus()
        await pilot.press("slash")
        assert pilot.app.focused is not None and pilot.app.focused.id == "search"


async def test_help_opens_and_closes() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.screen.query_one(ResultsTable).focus()
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, SearchScreen)


@pytest.mark.parametrize("width", [20, 40, 80])
def test_window_keeps_the_first_match_visible(width: int) -> None:
    text = "word " * 60 + "border crossing " + "tail " * 30
    start = text.index("border")
    cut = window(text, [(start, start + 6)], width, "bold")
    assert cut.cell_len <= width
    assert "border" in cut.plain
    assert any(span.style == "bold" for span in cut.spans)


@pytest.mark.parametrize("width", [14, 20, 34, 50])
def test_window_starts_at_a_word_and_marks_both_cuts(width: int) -> None:
    text = "Officials said the agency will address border security challenges at the ports."
    start = text.index("border")
    cut = window(text, [(start, start + 6)], width, "bold").plain
    assert len(cut) <= width and "border" in cut
    assert cut.startswith("…") and cut.endswith("…")
    assert cut[1:].split(" ")[0] in text.split(" ")  # no word cut in half at the start


def test_flatten_moves_spans_with_squeezed_whitespace() -> None:
    raw = "  one\n\n two   three"
    flat, spans = flatten(raw, [(raw.index("two"), raw.index("two") + 3), (14, len(raw))])
    assert flat == "one two three"
    assert [flat[s:e] for s, e in spans] == ["two", "three"]
