"""One facet (speakers, outlets or topics): its values with counts, toggled to filter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.message import Message
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from index.types import Facet, FacetValue

_GUTTER = 4  # the selection box and its space, drawn by SelectionList


class FacetPanel(SelectionList[str]):
    """Values for the current query; the screen owns which ones are selected.

    Rebuilding the options never reports a change: only a person toggling a
    value posts `FacetPanel.Toggled`, so counts can refresh without loops.
    """

    @dataclass
    class Toggled(Message):
        facet: str
        value: str
        label: str
        selected: bool

    def __init__(self, facet: str, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.facet = facet
        self.border_title = title
        self._facet_values: tuple[FacetValue, ...] = ()
        self._chosen: tuple[str, ...] = ()
        self._other_count = 0

    def show(self, facet: Facet | None, selected: Sequence[str], labels: Mapping[str, str]) -> None:
        """Show fresh counts; selected values stay listed (count 0) so they can be cleared."""
        values = list(facet.values) if facet else []
        present = {v.value for v in values}
        missing = [FacetValue(v, labels.get(v, v), 0) for v in selected if v not in present]
        shown = ((*missing, *values), tuple(selected), facet.other if facet else 0)
        if shown == (self._facet_values, self._chosen, self._other_count) and self.option_count:
            return  # same values and counts: skip the redraw while someone types
        self._facet_values, self._chosen, self._other_count = shown
        self._rebuild()

    def _rebuild(self) -> None:
        highlighted = self._highlighted_value()
        width = max(self.scrollable_content_region.width - _GUTTER, 10)
        chosen = set(self._chosen)
        selections = [
            Selection(_prompt(v, width), v.value, v.value in chosen) for v in self._facet_values
        ]
        with self.prevent(SelectionList.SelectedChanged):
            if self._listed_values() == [s.value for s in selections]:
                self._relabel(selections)
            else:
                self._replace(selections)
        if highlighted is not None and highlighted in {v.value for v in self._facet_values}:
            index = self._option_index(highlighted)
            if self.highlighted != index:
                self.highlighted = index
        elif self._facet_values and self.has_focus:
            self.highlighted = 0
        parts = [f"{len(self._chosen)} selected"] if self._chosen else []
        if self._other_count:
            parts.append(f"+{self._other_count} more")
        if not self._facet_values:
            parts.append("none")
        self.border_subtitle = " · ".join(parts)

    def _listed_values(self) -> list[str]:
        return [self.get_option_at_index(i).value for i in range(self.option_count)]

    def _relabel(self, selections: Sequence[Selection[str]]) -> None:
        """The same values in the same order: new counts go into the options in place.

        Nothing changes size, so no layout pass and no scrollbar flicker. Only
        the options whose prompt changed are drawn again: OptionList's own
        `replace_option_prompt_at_index` empties the render cache of every
        option (and the line cache), so one changed count redrew the panel.
        """
        cache = self._option_render_cache
        cached_keys = cache.keys()  # a view: LRUCache is not iterable itself
        changed = False
        for option, selection in zip(self.options, selections, strict=True):
            if option.prompt != selection.prompt:
                option._set_prompt(selection.prompt)
                for key in [key for key in cached_keys if key[0] is option]:
                    cache.discard(key)
                changed = True
            if selection.initial_state:
                self.select(selection.value)
            else:
                self.deselect(selection.value)
        if changed:
            self.refresh()

    def _replace(self, selections: Sequence[Selection[str]]) -> None:
        """Other values: swap the whole list without passing through an empty one.

        `clear_options()` then `add_options()` sized the list to nothing and
        back, which hid and showed the scrollbar and asked for a layout of the
        whole screen on every keystroke. `set_options()` (OptionList's) sizes
        it once; SelectionList does not override it, so its value index and
        selected set are reset here first.

        `set_options()` also empties the render cache, so every visible option
        was drawn again even when only some values came or went: an option
        whose value, prompt and state are unchanged is kept (the same object)
        and its cached lines are put back.
        """
        old = {
            (option.value, option.initial_state): option
            for option in self.options
            if isinstance(option, Selection)
        }
        kept: list[Selection[str]] = []
        for selection in selections:
            same = old.get((selection.value, selection.initial_state))
            kept.append(same if same is not None and same.prompt == selection.prompt else selection)
        reused = {id(option) for option in kept}
        cache = self._option_render_cache
        cached_keys = cache.keys()  # a view: LRUCache is not iterable itself
        cached = [(key, cache.get(key)) for key in cached_keys if id(key[0]) in reused]
        self._selected.clear()
        self._values.clear()
        self.set_options(kept)
        if not kept:  # add_options() returns early on none: size the empty list now
            self._update_lines()  # (when drawn, its new size asked for a second layout)
        for key, lines in cached:
            if lines is not None:
                cache.set(key, lines)

    def _highlighted_value(self) -> str | None:
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).value

    def _option_index(self, value: str) -> int:
        return next(i for i, v in enumerate(self._facet_values) if v.value == value)

    @property
    def facet_values(self) -> tuple[FacetValue, ...]:
        """What the panel lists, in order, with the counts it shows."""
        return self._facet_values

    def label_of(self, value: str) -> str:
        return next((v.label for v in self._facet_values if v.value == value), value)

    def on_focus(self, event: events.Focus) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def on_resize(self, event: events.Resize) -> None:
        if self._facet_values:
            self._rebuild()

    @on(SelectionList.SelectionHighlighted)
    def _highlighted(self, event: SelectionList.SelectionHighlighted[str]) -> None:
        """A cut name is readable in full as the panel's tooltip (mouse users)."""
        value = next((v for v in self._facet_values if v.value == event.selection.value), None)
        self.tooltip = f"{value.label}: {value.count:,}" if value else None

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        value = event.selection.value
        self._chosen = tuple(self.selected)
        self.post_message(
            self.Toggled(self.facet, value, self.label_of(value), value in self.selected)
        )


def _prompt(value: FacetValue, width: int) -> Text:
    """`Name ........ 12`: names left, counts right-aligned, long names cut with an ellipsis."""
    count = f"{value.count:,}"
    room = max(width - len(count) - 1, 4)
    label = Text(value.label, no_wrap=True, overflow="ellipsis")
    label.truncate(room, overflow="ellipsis")
    label.pad_right(width - len(count) - label.cell_len)
    label.append(count, style="dim" if value.count else "dim italic")
    return label
