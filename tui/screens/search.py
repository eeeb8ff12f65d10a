"""The main screen: search box, facet panels, active filters, results and a preview.

The screen owns the search state (text, mode, sort, chosen facet values);
widgets only display it and report what a person did. Every search runs in an
exclusive thread worker, and an answer is shown only if it is for the newest
request, so typing never waits for the index and never shows stale results.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Static, Tab, Tabs
from textual.worker import get_current_worker

from index.types import (
    ArticleHit,
    Facet,
    IndexStats,
    QuoteHit,
    SearchRequest,
    SearchResult,
    SortOrder,
    Target,
)
from tui.screens.export import ExportScreen, export_jsonl
from tui.screens.help import HelpScreen
from tui.screens.navigation import copy_quote, open_article
from tui.screens.search_state import (
    NEXT_SORT,
    SORT_LABELS,
    SearchState,
    default_export_path,
    request_values,
    without_facet,
)
from tui.widgets.facet_panel import FacetPanel
from tui.widgets.filter_bar import FilterBar
from tui.widgets.footer import KeyFooter
from tui.widgets.mode_tabs import ModeTabs
from tui.widgets.preview import ResultPreview
from tui.widgets.results_table import ResultsTable
from tui.widgets.search_box import SearchBox
from tui.widgets.static_text import TextBox, update_static

if TYPE_CHECKING:
    from tui.app import WhosaidApp

FACETS: tuple[tuple[str, str], ...] = (
    ("speaker", "Speakers"),
    ("outlet", "Outlets"),
    ("topic", "Topics"),
)


class SearchScreen(Screen[None]):
    """Type, narrow with facets, read: the screen a journalist lives in."""

    DEBOUNCE_SECONDS: ClassVar[float] = 0.015
    SHOW_TIMING: ClassVar[bool] = True  # off in snapshot tests, where timings would vary
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search"),
        Binding("escape", "leave_search", "Results", show=False),
        Binding("m", "switch_mode", "Articles/Quotes"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("x", "clear_filters", "Clear filters"),
        Binding("e", "export", "Export"),
        Binding("c", "copy_quote", "Copy quote", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.state = SearchState()
        self.result: SearchResult | None = None
        self.stats: IndexStats | None = None
        self._latest: SearchRequest | None = None
        self._answered: SearchRequest | None = None  # the newest request shown (or failed)
        self._debounce: Timer | None = None
        self._loading_more = False

    @property
    def whosaid(self) -> WhosaidApp:
        return cast("WhosaidApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="search-row"):
            yield SearchBox(
                placeholder='Search: words, "a phrase", border AND NOT wall…   (/ focuses here)',
                id="search",
            )
            yield ModeTabs(Tab("Articles", id="articles"), Tab("Quotes", id="quotes"), id="mode")
        yield FilterBar(id="filters")
        with Horizontal(id="body"):
            with Vertical(id="facets"):
                for name, title in FACETS:
                    yield FacetPanel(name, title, id=f"facet-{name}")
            with Vertical(id="results-pane"):
                yield TextBox(id="status")
                yield TextBox(id="note")
                yield TextBox(id="empty")
                yield ResultsTable(id="results")
                yield ResultPreview(id="preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#mode", Tabs).can_focus = False
        self.query_one(FilterBar).show([])
        self.query_one("#search", Input).focus()
        self.app.theme_changed_signal.subscribe(self, self._restyle)
        self._load_stats()
        self.run_search()

    def _restyle(self, _theme: object) -> None:
        """Match colours are baked into the rows: draw them again in the new theme's."""
        table = self.query_one(ResultsTable)
        table.redraw()
        self.query_one(ResultPreview).show(table.current_hit(), force=True)

    # -- searching ---------------------------------------------------------

    def run_search(self) -> None:
        """Ask the index for the current state; the newest request wins."""
        request = self.state.request()
        self._latest = request
        self._search(request)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, request: SearchRequest) -> None:
        worker = get_current_worker()
        try:
            result = self._ask_search(request)
            choices: dict[str, Facet | None] = {}
            for name, _ in FACETS:
                if worker.is_cancelled:
                    return
                if request_values(request, name):
                    choices[name] = self._ask_search(without_facet(request, name)).facet(name)
        except Exception as error:  # one line in the UI, never a traceback
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_error, request, error)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_result, result, choices)

    def _ask_search(self, request: SearchRequest) -> SearchResult:
        return self.whosaid.ask(lambda index: index.search(request))

    @work(thread=True, group="stats")
    def _load_stats(self) -> None:
        try:
            stats = self.whosaid.ask(lambda index: index.stats())
        except Exception:
            return
        self.app.call_from_thread(self._show_stats, stats)

    def _show_stats(self, stats: IndexStats) -> None:
        self.stats = stats
        self.sub_title = (
            f"{stats.articles:,} articles · {stats.quotes:,} quotes · {stats.speakers:,} speakers"
        )
        self._refresh_status()

    def _show_result(self, result: SearchResult, choices: dict[str, Facet | None]) -> None:
        """Show an answer; a facet with a selection lists what its other values would add."""
        if result.request != self._latest:
            return
        self._answered = result.request
        self.result = result
        with self.app.batch_update():  # one repaint for table, facets, preview and status
            for name, _ in FACETS:
                labels = {v: label for (f, v), label in self.state.labels.items() if f == name}
                facet = choices[name] if name in choices else result.facet(name)
                self.query_one(f"#facet-{name}", FacetPanel).show(
                    facet, request_values(result.request, name), labels
                )
            hits: tuple[ArticleHit | QuoteHit, ...] = (
                result.articles if result.request.target == "articles" else result.quotes
            )
            table = self.query_one(ResultsTable)
            table.show(result.request.target, hits)
            self._show_empty(self._empty_message(result))
            self.query_one(ResultPreview).show(table.current_hit())
            self._refresh_status()

    def _show_error(self, request: SearchRequest, error: Exception) -> None:
        if request != self._latest:
            return
        self._answered = request
        self.query_one(ResultsTable).show(request.target, ())
        self.query_one(ResultPreview).show(None)
        self._show_empty(f"The search failed: {error}")

    def _empty_message(self, result: SearchResult) -> str | None:
        if result.total:
            return None
        if self.stats is not None and self.stats.articles == 0:
            return (
                f"This index holds no articles yet.\n\nBuild one with:  {self.whosaid.build_hint()}"
            )
        what = "articles" if result.request.target == "articles" else "quotes"
        parts = [f"No {what} match"]
        if result.request.text:
            parts.append(f" “{result.request.text}”")
        if self.state.chosen:
            count = len(self.state.chosen)
            parts.append(f" with {'this filter' if count == 1 else f'these {count} filters'}")
            parts.append(": press x to clear them" if count > 1 else ": press x to clear it")
        if result.request.target == "quotes" and not self.state.chosen:
            parts.append(": press m to search whole articles")
        return "".join(parts) + "."

    def _show_empty(self, message: str | None) -> None:
        empty = self.query_one("#empty", Static)
        if str(empty.content) != (message or ""):  # a layout only when its height changes
            update_static(empty, message or "", relayout=not empty.display)
        empty.display = message is not None

    def _refresh_status(self) -> None:
        result = self.result
        if result is None:
            self.query_one("#status", Static).update("Searching…")
            return
        what = "article" if result.request.target == "articles" else "quote"
        total = f"{result.total:,} {what}{'' if result.total == 1 else 's'}"
        sort = SORT_LABELS[result.request.sort]
        if result.request.sort == "relevance" and not result.request.text:
            sort = SORT_LABELS["date"]  # nothing to rank by: the index lists newest first
        status = f"{total}  ·  sorted by {sort}"
        shown = len(self.query_one(ResultsTable).hits)
        if shown < result.total:  # last: on a narrow screen this is the part cut off
            status += f"  ·  first {shown:,} shown, more as you scroll"
        if self.SHOW_TIMING:
            status += f"  ·  {result.elapsed_ms:.0f} ms"
        self.query_one("#status", Static).update(status, layout=False)  # one fixed line
        note_text = f"Note: {result.note}" if result.note else ""
        note = self.query_one("#note", Static)
        if str(note.content) != note_text:  # a layout pass only when the note changes
            note.update(note_text)
            note.display = bool(note_text)

    # -- what people do ----------------------------------------------------

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        """Search at once when the last answer is on screen; while one is still coming,
        wait for a pause in the typing, so fast typists do not queue a search per key.
        """
        self.state.text = event.value
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        if self._latest is None or self._answered == self._latest:
            self.run_search()
        else:
            self._debounce = self.set_timer(self.DEBOUNCE_SECONDS, self.run_search)

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self.run_search()
        self.query_one(ResultsTable).focus()

    @on(FacetPanel.Toggled)
    def _facet_toggled(self, event: FacetPanel.Toggled) -> None:
        key = (event.facet, event.value)
        if event.selected and key not in self.state.chosen:
            self.state.chosen.append(key)
            self.state.labels[key] = event.label
        elif not event.selected and key in self.state.chosen:
            self.state.chosen.remove(key)
        self._filters_changed()

    @on(Tabs.TabActivated, "#mode")
    def _mode_clicked(self, event: Tabs.TabActivated) -> None:
        target = cast(Target, event.tab.id)
        if target != self.state.target:
            self.state.target = target
            self.run_search()

    @on(ResultsTable.RowHighlighted, "#results")
    def _row_highlighted(self) -> None:
        self.query_one(ResultPreview).show(self.query_one(ResultsTable).current_hit())

    @on(ResultsTable.RowSelected, "#results")
    def _row_chosen(self) -> None:
        hit = self.query_one(ResultsTable).current_hit()
        if isinstance(hit, ArticleHit):
            open_article(self.app, hit.id)
        elif isinstance(hit, QuoteHit):
            open_article(self.app, hit.article_id, quote_id=hit.id)

    @on(ResultsTable.NearEnd)
    def _near_end(self) -> None:
        result = self.result
        table = self.query_one(ResultsTable)
        if result is None or self._loading_more or len(table.hits) >= result.total:
            return
        self._loading_more = True
        self._more(replace(result.request, offset=len(table.hits), with_facets=False))

    @work(thread=True, group="more")
    def _more(self, request: SearchRequest) -> None:
        try:
            page = self._ask_search(request)
        except Exception:
            page = None
        self.app.call_from_thread(self._show_more, request, page)

    def _show_more(self, request: SearchRequest, page: SearchResult | None) -> None:
        self._loading_more = False
        result = self.result
        if page is None or result is None:
            return
        if replace(request, offset=0, with_facets=True) != replace(result.request, offset=0):
            return  # the search changed while this page was loading
        table = self.query_one(ResultsTable)
        if request.offset != len(table.hits):
            return
        table.append(page.articles if request.target == "articles" else page.quotes)
        self._refresh_status()

    @on(ResultsTable.SortRequested)
    def _sort_clicked(self, event: ResultsTable.SortRequested) -> None:
        if event.column == "date":
            self.set_sort("date" if self.state.sort != "date" else "date_asc")
        else:
            self.set_sort("relevance")

    def _filters_changed(self) -> None:
        self.query_one(FilterBar).show(
            [(f, self.state.labels.get((f, v), v)) for f, v in self.state.chosen]
        )
        self.run_search()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(ResultsTable).focus()

    def action_switch_mode(self) -> None:
        self.set_target("quotes" if self.state.target == "articles" else "articles")

    def set_target(self, target: Target) -> None:
        self.state.target = target
        self.query_one("#mode", Tabs).active = target
        self.run_search()

    def action_cycle_sort(self) -> None:
        self.set_sort(NEXT_SORT[self.state.sort])

    def set_sort(self, sort: SortOrder) -> None:
        self.state.sort = sort
        self.run_search()

    def action_clear_filters(self) -> None:
        if self.state.chosen:
            self.state.chosen.clear()
            self._filters_changed()
            self.notify("Filters cleared", timeout=2)

    def action_remove_filter(self, position: int) -> None:
        if 0 <= position < len(self.state.chosen):
            del self.state.chosen[position]
            self._filters_changed()

    def add_filter(self, facet: str, value: str, label: str) -> None:
        """Filter by a value from outside the facet panels (the command palette)."""
        if (facet, value) not in self.state.chosen:
            self.state.chosen.append((facet, value))
            self.state.labels[(facet, value)] = label
            self._filters_changed()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_copy_quote(self) -> None:
        hit = self.query_one(ResultsTable).current_hit()
        if not isinstance(hit, QuoteHit):
            self.notify("Highlight a quote first (m switches to quotes)", severity="warning")
            return
        copy_quote(self, hit)

    def action_export(self) -> None:
        self.app.push_screen(ExportScreen(default_export_path(self.state)), self._export_to)

    def _export_to(self, path: Path | None) -> None:
        if path is not None:
            self._export(replace(self.state.request(), offset=0), path)

    @work(thread=True, group="export")
    def _export(self, request: SearchRequest, path: Path) -> None:
        try:
            count = export_jsonl(self._ask_search, request, path)
        except OSError as error:
            message = f"Could not write {path}: {error.strerror or error}"
            self.app.call_from_thread(self.notify, message, severity="error", timeout=8)
            return
        what = "articles" if request.target == "articles" else "quotes"
        self.app.call_from_thread(self.notify, f"Exported {count:,} {what} to {path}", timeout=6)
