"""Command palette (`ctrl+p`): the screen's actions, plus every speaker to open or filter by."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from archive.models import Speaker
from archive.text import strip_accents

if TYPE_CHECKING:
    from tui.app import WhosaidApp

Command = tuple[str, str, Callable[[], object]]


class WhosaidCommands(Provider):
    """Offers what makes sense on the screen the palette was opened from."""

    async def startup(self) -> None:
        self._speakers: tuple[Speaker, ...] = ()
        app = cast("WhosaidApp", self.app)
        if app.index is None:
            return
        try:
            self._speakers = await asyncio.to_thread(app.ask, lambda index: index.speakers())
        except Exception:  # the palette still works without speakers
            self._speakers = ()

    def _commands(self) -> list[Command]:
        from tui.screens.article import ArticleScreen
        from tui.screens.navigation import open_speaker
        from tui.screens.search import SearchScreen
        from tui.screens.speaker import SpeakerScreen

        screen = self.screen
        commands: list[Command] = []
        if isinstance(screen, SearchScreen):
            other = "quotes" if screen.state.target == "articles" else "articles"
            commands += [
                (f"Switch to {other}", "Show the results as " + other, screen.action_switch_mode),
                (
                    "Clear filters",
                    "Remove every speaker, outlet and topic filter",
                    screen.action_clear_filters,
                ),
                ("Sort by relevance", "Best matches first", partial(screen.set_sort, "relevance")),
                ("Sort by date (newest first)", "Latest first", partial(screen.set_sort, "date")),
                (
                    "Sort by date (oldest first)",
                    "Earliest first",
                    partial(screen.set_sort, "date_asc"),
                ),
                (
                    "Copy quote",
                    "Copy the highlighted quote with its speaker and source",
                    screen.action_copy_quote,
                ),
                (
                    "Export results as JSONL",
                    "Write every result of this search to a file",
                    screen.action_export,
                ),
            ]
            for speaker in self._speakers:
                commands.append(
                    (
                        f"Filter by speaker: {speaker.name}",
                        _about(speaker),
                        partial(screen.add_filter, "speaker", speaker.id, speaker.name),
                    )
                )
        elif isinstance(screen, ArticleScreen | SpeakerScreen):
            commands.append(
                (
                    "Copy quote",
                    "Copy the current quote with its speaker and source",
                    screen.action_copy_quote,
                )
            )
        for speaker in self._speakers:
            commands.append(
                (
                    f"Open speaker: {speaker.name}",
                    _about(speaker),
                    partial(open_speaker, screen, speaker.id),
                )
            )
        commands.append(("Help: keys", "Every key binding", self._help))
        return commands

    def _help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    async def discover(self) -> Hits:
        for title, help_text, command in self._commands():
            if not title.startswith(("Open speaker", "Filter by speaker")):
                yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command in self._commands():
            score = max(matcher.match(title), matcher.match(strip_accents(title)))
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, text=title, help=help_text)


def _about(speaker: Speaker) -> str:
    role = f"{speaker.roles[0]} · " if speaker.roles else ""
    return f"{role}{speaker.kind} · {speaker.quote_count} quotes"
