"""A speaker: who they are, what they are called, who quoted them, and everything they said."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from index.types import QuoteHit, SpeakerView
from tui.screens.navigation import copy_quote, open_article
from tui.widgets.footer import KeyFooter
from tui.widgets.preview import ResultPreview
from tui.widgets.results_table import ResultsTable
from tui.widgets.theme_style import component_style

if TYPE_CHECKING:
    from tui.app import WhosaidApp


class SpeakerScreen(Screen[None]):
    """Enter on a quote opens its article at that quote."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "app.pop_screen", "Back"),
        Binding("c", "copy_quote", "Copy quote"),
        Binding("q", "app.quit", "Quit"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"speaker--meta", "speaker--name"}

    def __init__(self, speaker_id: str) -> None:
        super().__init__()
        self.speaker_id = speaker_id
        self.view: SpeakerView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="speaker-body"):
            yield Static("Loading…", id="speaker-card")
            yield ResultsTable(id="speaker-quotes", show_speaker=False)
            yield ResultPreview(id="speaker-preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._restyle)
        self._load()

    def _restyle(self, _theme: object) -> None:
        if self.view is not None:
            self._show(self.view)

    @work(thread=True)
    def _load(self) -> None:
        app = cast("WhosaidApp", self.app)
        try:
            view = app.ask(lambda index: index.speaker(self.speaker_id))
        except Exception as error:
            self.app.call_from_thread(self._card, f"Could not read {self.speaker_id}: {error}")
            return
        if view is None:
            self.app.call_from_thread(
                self._card, f"Speaker {self.speaker_id} is not in the index. Esc goes back."
            )
            return
        self.app.call_from_thread(self._show, view)

    def _card(self, message: str) -> None:
        self.query_one("#speaker-card", Static).update(message)

    def _show(self, view: SpeakerView) -> None:
        self.view = view
        speaker = view.speaker
        self.sub_title = speaker.name
        meta = component_style(self, "speaker--meta")
        name = component_style(self, "speaker--name")
        quotes = [q for q in view.quotes if q.speech] or list(view.quotes)
        articles = len({q.article_id for q in quotes})
        outlets = speaker.outlets or tuple(dict.fromkeys(q.outlet for q in quotes))
        title = Text(speaker.name, style=name)
        title.append(
            f"   {speaker.kind} · {len(quotes)} quote{'' if len(quotes) == 1 else 's'} "
            f"in {articles} article{'' if articles == 1 else 's'}",
            style=meta,
        )
        card = Table.grid(padding=(0, 2))
        card.add_column(style=meta, no_wrap=True)
        card.add_column()
        rows = (
            ("Roles", speaker.roles),
            ("Also called", tuple(a for a in speaker.aliases if a != speaker.name)),
            ("Quoted by", outlets),
        )
        for label, values in rows:
            card.add_row(label, "; ".join(values) if values else "—")
        self.query_one("#speaker-card", Static).update(Group(title, card))
        table = self.query_one("#speaker-quotes", ResultsTable)
        table.border_title = "Quotes"
        table.show("quotes", sorted(quotes, key=lambda q: q.date or "", reverse=True))
        self.query_one("#speaker-preview", ResultPreview).show(table.current_hit())
        table.focus()

    @on(ResultsTable.RowHighlighted, "#speaker-quotes")
    def _highlighted(self) -> None:
        table = self.query_one("#speaker-quotes", ResultsTable)
        self.query_one("#speaker-preview", ResultPreview).show(table.current_hit())

    @on(ResultsTable.RowSelected, "#speaker-quotes")
    def _chosen(self) -> None:
        hit = self.query_one("#speaker-quotes", ResultsTable).current_hit()
        if isinstance(hit, QuoteHit):
            open_article(self.app, hit.article_id, quote_id=hit.id)

    def action_copy_quote(self) -> None:
        hit = self.query_one("#speaker-quotes", ResultsTable).current_hit()
        if isinstance(hit, QuoteHit):
            copy_quote(self, hit)
