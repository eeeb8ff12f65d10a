"""Every key in one place, reachable from anywhere with `?`."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Search",
        (
            ("/", 'focus the search box (Whoosh syntax: words, "phrases", AND, OR, NOT)'),
            ("enter", "in the search box: search now and move to the results"),
            ("esc", "leave the search box"),
            ("tab / shift+tab", "cycle search box, facet panels and results"),
            ("space / enter", "in a facet panel: select or unselect the value"),
            ("x", "clear every filter (click a filter to remove just it)"),
            ("m", "switch between Articles and Quotes"),
            ("s", "sort: relevance, newest first, oldest first (or click Date)"),
            ("enter", "in the results: open the article (at the quote)"),
            ("c", "copy the highlighted quote"),
            ("e", "export all results as JSONL"),
        ),
    ),
    (
        "Article",
        (
            ("n / p", "next / previous quote"),
            ("s or enter", "open the speaker of the current quote"),
            ("esc", "back"),
        ),
    ),
    (
        "Anywhere",
        (
            ("ctrl+p", "command palette: modes, filters, speakers, export, theme"),
            ("?", "this help"),
            ("q", "quit"),
        ),
    ),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "app.pop_screen", "Close"),
    ]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for section, keys in KEYS:
            table.add_row(f"[u]{section}[/u]", "")
            for key, meaning in keys:
                table.add_row(key, meaning)
            table.add_row("", "")
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc closes"
            yield Static(table)
