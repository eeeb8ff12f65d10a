"""The Articles/Quotes switch: Textual's Tabs, with the underline moved at once."""

from __future__ import annotations

from textual.widgets import Tabs


class ModeTabs(Tabs):
    """Tabs whose underline jumps to the active tab instead of sliding there.

    The slide is a 0.3 s animation: some 18 frames, each a repaint of the
    underline (~0.7 ms) and a screen update, drawn while the new mode's
    results and facets are being drawn (about 20 ms of CPU per switch in a
    Pilot session). The underline ends where it did; it only gets there at
    once.
    """

    def _highlight_active(self, animate: bool = True) -> None:
        super()._highlight_active(animate=False)
