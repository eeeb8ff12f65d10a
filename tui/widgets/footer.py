"""Textual's Footer, rebuilt only when the keys it would show have changed."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Shows the same keys as `Footer`, without rebuilding them on every focus change.

    Textual's Footer removes and mounts all its key widgets whenever the
    screen's bindings are refreshed, which happens twice on each focus change:
    some ten widgets styled, laid out and drawn again, although the keys shown
    are nearly always the same (the search box, the facets and the results all
    show the screen's keys). Here the footer is recomposed only when what it
    would show differs from what it shows.
    """

    _shown_keys: Hashable = None

    def _keys(self) -> Hashable:
        """Everything `Footer.compose` draws from the bindings, as one comparable value."""
        app = self.app
        keys: list[Hashable] = [
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                binding.group,
                binding.tooltip,
                enabled,
                tooltip,
                binding.show or binding.key == app.COMMAND_PALETTE_BINDING,
            )
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        ]
        return (tuple(keys), self.show_command_palette, app.ENABLE_COMMAND_PALETTE)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown_keys = self._keys()
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if (
            self._bindings_ready
            and self._shown_keys is not None
            and self.is_attached
            and screen is self.screen
            and self._keys() == self._shown_keys
        ):
            return  # the same keys: nothing to rebuild
        super().bindings_changed(screen)
