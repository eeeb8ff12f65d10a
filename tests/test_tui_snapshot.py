"""The TUI on a real index built from the seed articles: the issue's "done when" and a snapshot.

The index is built once per session through the public build API (spaCy runs
here: a few seconds). Counts are checked against `SearchIndex.search` and
against `whosaid search --json`, so the screen, the API and the CLI agree.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from archive.pipeline import ExtractOptions
from index.rebuild import build_archive
from index.search import open_index
from index.types import QuoteHit, SearchIndex, SearchRequest
from tests.test_tui import (
    assert_facets_match,
    facet_counts,
    settle,
    text_of,
    to_quotes,
    toggle,
    type_query,
)
from tui.app import WhosaidApp
from tui.screens.article import ArticleScreen
from tui.screens.search import SearchScreen
from tui.screens.search_state import SearchState
from tui.screens.speaker import SpeakerScreen
from tui.widgets.facet_panel import FacetPanel
from tui.widgets.results_table import ResultsTable

REPO = Path(__file__).resolve().parents[1]
SIZE = (120, 40)
PAGE = SearchState().limit
WHOSAID = Path(sys.executable).with_name("whosaid")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def seed_index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tui-seeds") / "index"
    build_archive([REPO / "seeds"], path, options=ExtractOptions(processes=1))
    return path


@pytest.fixture
def seed_index(seed_index_path: Path) -> Iterator[SearchIndex]:
    index = open_index(seed_index_path)
    yield index
    index.close()


def kirby_id(index: SearchIndex) -> str:
    found = [s for s in index.speakers() if s.name == "John Kirby"]
    assert found, "the seed index has no John Kirby"
    return found[0].id


def cli_search(index_path: Path, *args: str) -> dict[str, Any]:
    proc = subprocess.run(
        [str(WHOSAID), "search", *args, "--index", str(index_path), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = orjson.loads(proc.stdout)
    return data


def assert_matches_cli(screen: SearchScreen, index_path: Path, *args: str) -> None:
    """The total and every facet panel equal what `whosaid search --json` prints."""
    data = cli_search(index_path, *args)
    assert screen.result is not None
    assert screen.result.total == data["total"]
    for name in ("speaker", "outlet", "topic"):
        shown = facet_counts(screen.query_one(f"#facet-{name}", FacetPanel))
        for row in data["facets"][name]:
            assert shown[row["value"]] == row["count"], (name, row)


@pytest.mark.anyio
async def test_border_then_kirby_then_the_independent(
    seed_index: SearchIndex, seed_index_path: Path
) -> None:
    """Done when: `border`, speaker John Kirby, outlet The Independent, counts as the CLI's."""
    kirby = kirby_id(seed_index)
    async with WhosaidApp(seed_index_path, index=seed_index).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await to_quotes(pilot)
        await type_query(pilot, "border")
        screen = pilot.app.screen
        assert isinstance(screen, SearchScreen)
        table = screen.query_one(ResultsTable)

        await toggle(pilot, "speaker", kirby)
        request = SearchRequest("border", target="quotes", speakers=(kirby,), limit=PAGE)
        truth = seed_index.search(request)
        shown = [h for h in table.hits if isinstance(h, QuoteHit)]
        assert truth.total > 0
        assert [h.id for h in shown] == [q.id for q in truth.quotes]
        assert {h.speaker for h in shown} == {"John Kirby"}
        view = seed_index.speaker(kirby)
        assert view is not None
        assert {h.id for h in shown} <= {q.id for q in view.quotes}  # his, and only his
        assert_facets_match(screen, seed_index, request)
        assert_matches_cli(screen, seed_index_path, "border", "--quotes", "--speaker", kirby)
        assert text_of(screen.query_one("#status", Static)).startswith(
            f"{truth.total} quote{'' if truth.total == 1 else 's'}"
        )

        await toggle(pilot, "outlet", "The Independent")
        request = SearchRequest(
            "border",
            target="quotes",
            speakers=(kirby,),
            outlets=("The Independent",),
            limit=PAGE,
        )
        narrowed = seed_index.search(request)
        shown = [h for h in table.hits if isinstance(h, QuoteHit)]
        assert [h.id for h in shown] == [q.id for q in narrowed.quotes]
        assert {h.outlet for h in shown} <= {"The Independent"}
        assert narrowed.total <= truth.total
        assert_facets_match(screen, seed_index, request)
        assert_matches_cli(
            screen,
            seed_index_path,
            "border",
            "--quotes",
            "--speaker",
            kirby,
            "--outlet",
            "The Independent",
        )
        filters = text_of(screen.query_one("#filters", Static))
        assert "Speaker: John Kirby" in filters and "Outlet: The Independent" in filters


@pytest.mark.anyio
async def test_reader_and_speaker_view_on_the_seeds(
    seed_index: SearchIndex, seed_index_path: Path
) -> None:
    kirby = kirby_id(seed_index)
    async with WhosaidApp(seed_index_path, index=seed_index).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await to_quotes(pilot)
        await type_query(pilot, "border")
        await toggle(pilot, "speaker", kirby)
        pilot.app.screen.query_one(ResultsTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        reader = pilot.app.screen
        assert isinstance(reader, ArticleScreen)
        quote = reader.current_quote()
        assert quote is not None and quote.speaker == "John Kirby"
        text = "\n".join(text_of(p) for p in reader.query(".paragraph").results(Static))
        assert "◂ John Kirby" in text
        assert reader.view is not None
        marked = sum(1 for q in reader.view.quotes if q.speech)
        assert text.count(" ◂ ") == marked
        await pilot.press("s")
        await settle(pilot)
        speaker = pilot.app.screen
        assert isinstance(speaker, SpeakerScreen)
        assert text_of(speaker.query_one("#speaker-card", Static)).startswith("John Kirby")
        view = seed_index.speaker(kirby)
        assert view is not None
        rows = speaker.query_one(ResultsTable).hits
        assert {h.id for h in rows} == {q.id for q in view.quotes if q.speech}


@pytest.mark.anyio
async def test_latency_bench_runs_on_the_seeds(seed_index_path: Path) -> None:
    """A small run of bench/tui.py, so the benchmark cannot rot unnoticed."""
    from bench.tui import measure, pick_words, report

    words = pick_words(seed_index_path, 2)
    timings = await measure(seed_index_path, words)
    assert len(timings["keystroke"]) == sum(len(w) for w in words)
    assert timings["mode switch"] and all(t > 0 for t in timings["keystroke"])
    assert "keystroke" in report(seed_index_path, words, timings)


@pytest.fixture
def quiet_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """No timings and no blinking cursor, so the picture is the same on every run."""
    monkeypatch.setattr(SearchScreen, "SHOW_TIMING", False)


def test_main_screen_snapshot(snap_compare: Any, seed_index_path: Path, quiet_screen: None) -> None:
    async def search_border(pilot: Pilot[None]) -> None:
        pilot.app.screen.query_one("#search", Input).cursor_blink = False
        await settle(pilot)
        await type_query(pilot, "border")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(WhosaidApp(seed_index_path), terminal_size=SIZE, run_before=search_border)
