"""The active filters in one line, each removable with a click; `x` clears them all."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.markup import escape
from textual.widgets import Static

FACET_LABELS = {"speaker": "Speaker", "outlet": "Outlet", "topic": "Topic"}


class FilterBar(Static):
    """Shows what narrows the results, so no filter is ever hidden from the reader.

    The bar is one line high and as wide as the screen (app.tcss) whatever it
    says, so new text is only drawn: `Static.update` would lay out the whole
    screen on every facet toggle, before the search for it had even started.
    """

    def show(self, filters: Sequence[tuple[str, str]]) -> None:
        """`filters`: (facet, label) pairs in the order they were chosen."""
        self.set_class(bool(filters), "-active")
        if not filters:
            self.update(
                Content.from_markup(
                    "[dim]No filters: select speakers, outlets or topics on the left"
                ),
                layout=False,
            )
            return
        chips = [
            f"[@click=screen.remove_filter({n})][b]{FACET_LABELS.get(facet, facet)}:[/b] "
            f"{escape(label)} ✕[/]"
            for n, (facet, label) in enumerate(filters)
        ]
        markup = "Filters  " + "  ".join(chips)
        self.update(
            Content.from_markup(markup + "   [dim][@click=screen.clear_filters]x clear all[/]"),
            layout=False,
        )
