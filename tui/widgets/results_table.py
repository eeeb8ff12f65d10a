"""The results: articles or quotes in aligned columns that share out the width they get."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from index.types import ArticleHit, QuoteHit, Target
from tui.widgets.highlight import highlighted, window
from tui.widgets.theme_style import component_style

Hit = ArticleHit | QuoteHit

_DATE = 10
_QUOTES = 6
_PADDING = 2  # DataTable's cell padding, one cell each side


@dataclass(frozen=True, slots=True)
class _Column:
    key: str
    label: str
    width: int


def _fit(values: Sequence[str], floor: int, ceiling: int) -> int:
    longest = max((len(v) for v in values), default=floor)
    return max(floor, min(longest, ceiling))


class ResultsTable(DataTable[Text | str]):
    """Re-lays out its columns on resize so the title or quote column takes what is left."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"results-table--match", "results-table--dim"}
    BINDINGS: ClassVar[list[BindingType]] = [  # rows, not columns: home/end go top/bottom
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]

    class NearEnd(Message):
        """The cursor is close to the last row: time to load the next page."""

    @dataclass
    class SortRequested(Message):
        """A column header was clicked: `date` asks for date order, others for relevance."""

        column: str

    def __init__(self, *, id: str | None = None, show_speaker: bool = True) -> None:
        super().__init__(
            id=id, cursor_type="row", zebra_stripes=True, cursor_foreground_priority="renderable"
        )
        self.show_speaker = show_speaker
        self.target: Target = "articles"
        self.hits: tuple[Hit, ...] = ()
        self._laid_out_for = -1
        self._shown_columns: list[_Column] = []

    def show(self, target: Target, hits: Sequence[Hit]) -> None:
        """Replace the rows; the cursor goes back to the best (or newest) hit."""
        if self.columns and target == self.target and tuple(hits) == self.hits:
            return  # the same answer (typing often repeats one): keep rows and cursor
        self.target = target
        self.hits = tuple(hits)
        self._render_rows(keep=None)
        if self.scroll_offset.y:
            self.scroll_home(animate=False)

    def append(self, hits: Sequence[Hit]) -> None:
        """Add the next page under the rows already shown, in the same columns."""
        if not hits:
            return
        self.hits = (*self.hits, *hits)
        widths = {key.value: column.width for key, column in self.columns.items()}
        styles = self._styles()
        for hit in hits:
            self.add_row(*self._cells(hit, widths, styles), key=hit.id)

    @on(DataTable.RowHighlighted)
    def _maybe_near_end(self, event: DataTable.RowHighlighted) -> None:
        if self.hits and event.cursor_row >= len(self.hits) - 10:
            self.post_message(self.NearEnd())

    def current_hit(self) -> Hit | None:
        if not self.hits or not 0 <= self.cursor_row < len(self.hits):
            return None
        return self.hits[self.cursor_row]

    def redraw(self) -> None:
        """Build the rows again (after a theme change), keeping the cursor where it is."""
        current = self.current_hit()
        self._render_rows(keep=current.id if current else None)

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width == self._laid_out_for:
            return  # only the height changed: the columns still fit
        current = self.current_hit()
        self._render_rows(keep=current.id if current else None)

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.post_message(self.SortRequested(str(event.column_key.value)))

    def _render_rows(self, keep: str | None) -> None:
        width = self.scrollable_content_region.width  # the gutter is kept (app.tcss)
        self._laid_out_for = width
        columns = self._columns_for(width)
        if columns == self._shown_columns:
            self.clear()  # the same columns: keep them, so only the rows are measured again
        else:
            self.clear(columns=True)
            for column in columns:
                self.add_column(column.label, width=column.width, key=column.key)
            self._shown_columns = columns
        widths: dict[str | None, int] = {c.key: c.width for c in columns}
        styles = self._styles()
        for hit in self.hits:
            self.add_row(*self._cells(hit, widths, styles), key=hit.id)
        if keep is not None:
            row = next((n for n, h in enumerate(self.hits) if h.id == keep), 0)
            if row != self.cursor_row:
                self.move_cursor(row=row, animate=False)

    def _styles(self) -> tuple[Style, Style]:
        """Match and dim styles, looked up once per batch of rows."""
        return component_style(self, "results-table--match"), component_style(
            self, "results-table--dim"
        )

    def _cells(
        self, hit: Hit, widths: dict[str | None, int], styles: tuple[Style, Style]
    ) -> list[Text]:
        match, dim = styles
        if isinstance(hit, ArticleHit):
            return [
                _cut(highlighted(hit.title, hit.title_highlights, match), widths["title"]),
                _cut(hit.outlet, widths["outlet"]),
                Text(hit.date or "—", style="" if hit.date else dim),
                Text(f"{hit.quote_count:>{_QUOTES - 1}}"),
            ]
        cells = [
            window(hit.text, hit.highlights, widths["quote"], match),
            _cut(hit.outlet, widths["outlet"]),
        ]
        if self.show_speaker:
            speaker = hit.speaker or "(unattributed)"
            cells.insert(0, _cut(speaker, widths["speaker"], "" if hit.speaker else dim))
        else:
            cells.insert(1, _cut(hit.article_title, widths["article"]))
        if "date" in widths:
            cells.append(Text(hit.date or "—", style="" if hit.date else dim))
        return cells

    def _columns_for(self, width: int) -> list[_Column]:
        usable = max(width, 40)
        if self.target == "articles":
            outlet = _fit([h.outlet for h in self.hits], 8, _ceiling(usable, 16, 22, 26))
            fixed = outlet + _DATE + _QUOTES + 4 * _PADDING
            return [
                _Column("title", "Title", max(usable - fixed, 20)),
                _Column("outlet", "Outlet", outlet),
                _Column("date", "Date", _DATE),
                _Column("quotes", "Quotes", _QUOTES),
            ]
        speakers = [(h.speaker or "(unattributed)") for h in self.hits if isinstance(h, QuoteHit)]
        speaker = _fit(speakers, 8, _ceiling(usable, 16, 24, 28)) if self.show_speaker else 0
        outlet = _fit([h.outlet for h in self.hits], 6, _ceiling(usable, 14, 20, 26))
        with_date = usable >= 100 or not self.show_speaker
        fixed = (
            speaker
            + outlet
            + (2 + self.show_speaker + with_date) * _PADDING
            + (_DATE if with_date else 0)
        )
        columns = [
            _Column("quote", "Quote", max(usable - fixed, 20)),
            _Column("outlet", "Outlet", outlet),
        ]
        if self.show_speaker:
            columns.insert(0, _Column("speaker", "Speaker", speaker))
        else:  # a speaker's own quotes: say which article each comes from instead
            article = min(max(usable // 4, 12), 40)
            columns[0] = _Column("quote", "Quote", max(columns[0].width - article - _PADDING, 20))
            columns.insert(1, _Column("article", "Article", article))
        if with_date:
            columns.append(_Column("date", "Date", _DATE))
        return columns


def _ceiling(usable: int, narrow: int, normal: int, wide: int) -> int:
    """How wide a name column may grow: more room on wide terminals, less on 100 columns."""
    if usable > 150:
        return wide
    return normal if usable > 100 else narrow


def _cut(value: str | Text, width: int, style: Style | str = "") -> Text:
    text = Text(value, style=style, no_wrap=True) if isinstance(value, str) else value.copy()
    text.no_wrap = True
    text.truncate(width, overflow="ellipsis")
    return text
