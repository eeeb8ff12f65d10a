"""The results: articles or quotes in aligned columns that share out the width they get."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, TypeVar, cast

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widgets import DataTable

from index.types import ArticleHit, QuoteHit, Target
from tui.widgets.highlight import highlighted, window
from tui.widgets.theme_style import component_style

Hit = ArticleHit | QuoteHit
_T = TypeVar("_T")

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


class _ScrollBar(ScrollBar):
    """A scrollbar whose new size does not ask for a second layout of the screen.

    Every widget stores the virtual size a layout pass gives it, and storing
    a different one asks for another layout (`Widget.virtual_size` is a
    layout reactive). A scrollbar scrolls nothing, so that second pass (and
    its repaint, 5-15 ms) changed nothing; it ran each time the table's
    scrollbar appeared, i.e. whenever an answer went from fewer rows than the
    table shows to more.
    """

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


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
        self._row_styles: dict[tuple[object, ...], Style] = {}
        self._drawing: dict[str, object] | None = None  # see render_lines

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Widget.vertical_scrollbar, made with `_ScrollBar`."""
        if self._vertical_scrollbar is None:
            bar = _ScrollBar(vertical=True, name="vertical", thickness=self.scrollbar_size_vertical)
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

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

    # -- drawing: the same lines as DataTable's, with less work per row and cell --

    def notify_style_update(self) -> None:
        self._row_styles.clear()
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the lines asked for, working out the table's own style once for all of them.

        DataTable asks for `rich_style` (twice: once as the header's component
        style, whose node is the table) and `background_colors` for every line
        it draws, and each walks the table's ancestors to blend their styles:
        about a fifth of the time spent drawing a fresh page of rows. Styles
        cannot change while one batch of lines is drawn, so within it the
        answers are kept; outside it they are computed as usual.
        """
        self._drawing = {}
        try:
            return super().render_lines(crop)
        finally:
            self._drawing = None

    def _while_drawing(self, key: str, compute: Callable[[], _T]) -> _T:
        """`compute()`, kept for the rest of the batch of lines being drawn."""
        drawing = self._drawing
        if drawing is None:
            return compute()
        if key not in drawing:
            drawing[key] = compute()
        return cast(_T, drawing[key])

    @property
    def rich_style(self) -> Style:
        return self._while_drawing("rich_style", lambda: super(ResultsTable, self).rich_style)

    @property
    def background_colors(self) -> tuple[Color, Color]:
        return self._while_drawing(
            "background_colors", lambda: super(ResultsTable, self).background_colors
        )

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        """DataTable looks the zebra style up for every line it draws.

        Each lookup walks the widget's ancestors to blend their backgrounds
        (`DOMNode.rich_style`, uncached): about a third of the time spent drawing
        a fresh page of rows. There are only three answers (header, even, odd)
        until the styles change, which clears them (`notify_style_update`).
        """
        stripe = -1 if row_index == -1 else row_index % 2 if self.zebra_stripes else 2
        key = (stripe, row_index < self.fixed_rows, base_style, self._pseudo_class_state)
        style = self._row_styles.get(key)
        if style is None:
            style = self._row_styles[key] = super()._get_row_style(row_index, base_style)
        return style

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        """One line of styled text per cell, without rich's layout machinery.

        DataTable renders each cell through `Styled(Padding(cell))` and two
        `console.render_lines` passes (wrapping, cropping and padding, ~0.1 ms a
        cell), and its caches are emptied by any change to the rows, so every
        answer pays that for every visible cell. The cells here are single
        lines already cut to their column (`_cut`, `window`): their segments
        are styled and padded directly, giving the segments DataTable would
        (same text, same styles); anything else takes DataTable's own path.
        """
        if row_index < 0 or column_index < 0:  # the header and row labels
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cell = self._data[row_key][column_key]
        padding = self.cell_padding
        room = width - 2 * padding
        if (
            not isinstance(cell, Text)
            or self.rows[row_key].height != 1
            or row_index < self.fixed_rows
            or column_index < self.fixed_columns
            or room < 1
            or cell.cell_len > room
            or "\n" in cell.plain
            or "\t" in cell.plain
        ):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cache_key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index})
        pre_style += component_style
        blank_style = pre_style + post_style if post_style else pre_style
        # what Text.__rich_console__ renders for one line: its own style becomes a span
        text = Text("\n").join([cell])
        line = [Segment(" " * padding, blank_style)] if padding else []
        for segment in text.render(self.app.console):
            if segment.text:
                style = pre_style + segment.style if segment.style else pre_style
                line.append(Segment(segment.text, style + post_style if post_style else style))
        if cell.cell_len < room:
            line.append(Segment(" " * (room - cell.cell_len), blank_style))
        if padding:
            line.append(Segment(" " * padding, blank_style))
        lines = [line]
        self._cell_render_cache[cache_key] = lines
        return lines

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
        self._measure_now()
        if keep is not None:
            row = next((n for n, h in enumerate(self.hits) if h.id == keep), 0)
            if row != self.cursor_row:
                self.move_cursor(row=row, animate=False)

    def _measure_now(self) -> None:
        """Size the table for its new rows now, not when it is next idle.

        DataTable measures new rows on idle, which comes after the screen has
        drawn them: a table whose row count changed was first drawn at its old
        size, and its new size asked for a layout of its own afterwards.
        Measured here, inside the screen's batch update, the new size goes
        into the layout and repaint of the answer. It is the same work
        DataTable's idle handler does, which then finds nothing left.

        Measuring each cell (rich's measure of every Text) only feeds the
        width of auto-width columns, and the rows' heights only matter for
        auto-height rows; every column here has a fixed width and every row
        is one line, so only the virtual size is computed again.
        """
        if self._require_update_dimensions:
            self._require_update_dimensions = False
            new_rows = self._new_rows.copy()
            self._new_rows.clear()
            fixed = not any(column.auto_width for column in self.columns.values()) and not any(
                self.rows[key].auto_height or self.rows[key].label is not None
                for key in new_rows
                if key in self.rows
            )
            self._update_dimensions(() if fixed else new_rows)
            # Show or hide the scrollbar for the new row count now, too: decided
            # during the layout pass, it asked for a second layout and repaint.
            self._scroll_update(self.virtual_size)

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
