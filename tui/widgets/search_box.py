"""The search box: Textual's Input, without a screen layout for every letter typed."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SearchBox(Input):
    """An `Input` whose growing text only repaints it.

    Input stores the width of its text as its virtual size on every change,
    and `Widget.virtual_size` is a layout reactive: each key typed asked for
    a layout of the whole screen (3-8 ms, and a repaint of what it touched)
    before the search even started. The box's size never depends on its text
    (its width comes from the row, its height is fixed), and the horizontal
    scrolling that keeps the cursor in view reads the virtual size directly,
    so a repaint is all a new text needs.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
