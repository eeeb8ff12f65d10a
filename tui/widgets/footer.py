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
    _rebuild_pending = False

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
        """Rebuild once, after the refresh, if the keys to show differ from those shown.

        A focus change refreshes the screen's bindings twice, and Footer
        scheduled a full recompose for each: when the keys did change (the
        search box shows fewer than the facets or the results), the ten key
        widgets were removed, mounted, styled and laid out twice over. The
        keys are compared when the refresh has happened, and at most one
        rebuild is pending at a time.
        """
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached or (
            self._shown_keys is not None and self._keys() == self._shown_keys
        ):
            return  # the same keys: nothing to rebuild
        await self.recompose()
