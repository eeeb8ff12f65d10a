"""Updating a Static without a layout of the screen when its height stays the same."""

from __future__ import annotations

from typing import cast

from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.reactive import Reactive
from textual.visual import VisualType
from textual.widgets import Static


class TextBox(Static):
    """A Static whose new virtual size costs a repaint, not a second layout.

    A Static is not scrollable (the compositor gives scrollbars to containers
    and scroll views only), so its virtual size needs no layout; Widget's
    reactive asks for one. Each time a layout pass gave such a box a new
    height (the "no results" message appearing, the preview growing), it was
    followed by a second layout and repaint of the screen.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


def update_static(static: Static, content: VisualType, *, relayout: bool = False) -> None:
    """Show `content` in `static`, with a layout pass only if it needs another line count.

    A Static that is as high as its content (`height: auto`) asks, through
    `Static.update`, for a layout of the whole screen on every change, then a
    repaint of everything the layout touched, although new text mostly fills
    as many lines as the old at the same width: then nothing changes size and
    the text only needs drawing. `relayout` forces the layout (a widget about
    to be shown has no width to measure at yet).
    """
    width = static.scrollable_content_region.width
    if relayout or not width or static.show_vertical_scrollbar:
        static.update(content)
        return
    rules = cast(RulesMap, static.styles)
    before = static.visual.get_height(rules, width)
    static.update(content, layout=False)
    if static.visual.get_height(rules, width) != before:
        static.refresh(layout=True)
