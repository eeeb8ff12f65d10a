"""The article reader: full text with every quote marked and its speaker beside it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, cast

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from index.types import ArticleView, QuoteHit
from tui.screens.navigation import copy_quote, open_speaker
from tui.widgets.footer import KeyFooter
from tui.widgets.theme_style import component_style

if TYPE_CHECKING:
    from tui.app import WhosaidApp

_PARAGRAPH = re.compile(r"[^\n]+")
_CLOSING_MARKS = "\"'”’»"
_OPENING_MARKS = "\"'“‘«"


class ArticleScreen(Screen[None]):
    """Read an article; `n`/`p` jump between quotes, `s` opens the speaker of the current one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "app.pop_screen", "Back"),
        Binding("n,j", "next_quote", "Next quote"),
        Binding("p,k", "previous_quote", "Previous quote"),
        Binding("s", "open_speaker", "Speaker"),
        Binding("c", "copy_quote", "Copy quote"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("q", "app.quit", "Quit"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article--quote",
        "article--current",
        "article--speaker",
        "article--other",
        "article--meta",
    }

    def __init__(self, article_id: str, quote_id: str | None = None) -> None:
        super().__init__()
        self.article_id = article_id
        self.start_quote_id = quote_id
        self.view: ArticleView | None = None
        self.current: int | None = None
        self._paragraphs: list[tuple[int, int]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="reader"):
            with VerticalScroll(id="article-scroll"):
                yield Static("Loading…", id="article-head")
            yield OptionList(id="quote-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#quote-list", OptionList).border_title = "Quotes"
        self.app.theme_changed_signal.subscribe(self, self._restyle)
        self._load()

    def _restyle(self, _theme: object) -> None:
        """Colours are baked into the text: draw it again in the new theme's."""
        if self.view is not None:
            self._render_head(self.view)
            self._render_text()

    @work(thread=True)
    def _load(self) -> None:
        app = cast("WhosaidApp", self.app)
        try:
            view = app.ask(lambda index: index.article(self.article_id))
        except Exception as error:
            self.app.call_from_thread(
                self._show_missing, f"Could not read {self.article_id}: {error}"
            )
            return
        if view is None:
            self.app.call_from_thread(
                self._show_missing,
                f"Article {self.article_id} is not in the index (rebuilt?). Esc goes back.",
            )
            return
        self.app.call_from_thread(self._show, view)

    def _show_missing(self, message: str) -> None:
        self.query_one("#article-head", Static).update(message)

    def _show(self, view: ArticleView) -> None:
        self.view = view
        article = view.article
        self.sub_title = article.title
        self._render_head(view)
        self._paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(article.text)]
        scroll = self.query_one("#article-scroll", VerticalScroll)
        scroll.mount_all(Static(classes="paragraph") for _ in self._paragraphs)
        quotes = self.query_one("#quote-list", OptionList)
        for number, quote in enumerate(view.quotes):
            if number:
                quotes.add_option(None)
            quotes.add_option(_quote_option(number, quote))
        if not view.quotes:
            quotes.add_option(Option("No quotes were found in this article.", disabled=True))
        start = next(
            (n for n, q in enumerate(view.quotes) if q.id == self.start_quote_id),
            None,
        )
        self._render_text()
        if start is not None:
            quotes.highlighted = quotes.get_option_index(str(start))
            quotes.focus()
            self.call_after_refresh(self._go_to, start)  # scroll once paragraphs have a size
        else:
            scroll.focus()

    def _render_head(self, view: ArticleView) -> None:
        article = view.article
        meta = component_style(self, "article--meta")
        head = Text(article.title, style="bold")
        source = ", ".join(p for p in (article.outlet, article.date) if p)
        head.append(f"\n{source}", style=meta)
        if article.byline:
            head.append(f"  ·  {article.byline}", style=meta)
        if view.topics:
            head.append(f"\nTopics: {', '.join(view.topics)}", style=meta)
        speech = sum(q.speech for q in view.quotes)
        speakers = len({q.speaker_id for q in view.quotes if q.speech and q.speaker_id})
        head.append(
            f"\n{_plural(speech, 'quote')} from {_plural(speakers, 'named speaker')}", style=meta
        )
        self.query_one("#article-head", Static).update(head)

    def _render_text(self) -> None:
        if self.view is None:
            return
        styles = {
            name: component_style(self, f"article--{name}")
            for name in ("quote", "current", "speaker", "other")
        }
        text = self.view.article.text
        for widget, (start, end) in zip(
            self.query(".paragraph").results(Static), self._paragraphs, strict=False
        ):
            widget.update(_paragraph(text, start, end, self.view.quotes, self.current, styles))

    def _go_to(self, number: int) -> None:
        if self.view is None or not 0 <= number < len(self.view.quotes):
            return
        self.current = number
        quote = self.view.quotes[number]
        self._render_text()
        found = next(
            (n for n, (s, e) in enumerate(self._paragraphs) if s <= quote.start < e),
            None,
        )
        if found is not None:
            paragraph = list(self.query(".paragraph").results(Static))[found]
            scroll = self.query_one("#article-scroll", VerticalScroll)
            top, bottom = paragraph.virtual_region.y, paragraph.virtual_region.bottom
            visible = scroll.scroll_offset.y <= top and bottom <= (
                scroll.scroll_offset.y + scroll.scrollable_content_region.height
            )
            if not visible:  # move only when the quote is out of sight
                scroll.scroll_to_center(paragraph, animate=False)
        self.query_one(
            "#quote-list", OptionList
        ).border_title = f"Quotes {number + 1}/{len(self.view.quotes)}"

    @on(OptionList.OptionHighlighted, "#quote-list")
    def _quote_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self._go_to(int(event.option.id))

    @on(OptionList.OptionSelected, "#quote-list")
    def _quote_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open_speaker()

    def _step(self, delta: int) -> None:
        if self.view is None or not self.view.quotes:
            return
        count = len(self.view.quotes)
        number = 0 if self.current is None else (self.current + delta) % count
        quotes = self.query_one("#quote-list", OptionList)
        quotes.highlighted = quotes.get_option_index(str(number))

    def action_next_quote(self) -> None:
        self._step(1)

    def action_previous_quote(self) -> None:
        self._step(-1)

    def current_quote(self) -> QuoteHit | None:
        if self.view is None or self.current is None:
            return None
        return self.view.quotes[self.current]

    def action_open_speaker(self) -> None:
        quote = self.current_quote()
        if quote is None:
            self.notify("Pick a quote first (n jumps to the next one)", severity="warning")
            return
        open_speaker(self, quote.speaker_id)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_copy_quote(self) -> None:
        quote = self.current_quote()
        if quote is None:
            self.notify("Pick a quote first (n jumps to the next one)", severity="warning")
            return
        copy_quote(self, quote)


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:—-")
    return f"{cut}…"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _quote_option(number: int, quote: QuoteHit) -> Option:
    prompt = Text()
    if quote.speech:
        prompt.append(quote.speaker or "unattributed", style="bold" if quote.speaker else "italic")
    else:
        prompt.append("not speech", style="italic")
    prompt.append(f"\n“{_shorten(quote.text, 100)}”")
    return Option(prompt, id=str(number))


def _paragraph(
    text: str,
    start: int,
    end: int,
    quotes: Sequence[QuoteHit],
    current: int | None,
    styles: dict[str, Style],
) -> Text:
    """One paragraph with its quotes styled and a speaker tag after each quote that ends in it."""
    out = Text()
    cursor = start
    for number, quote in enumerate(quotes):
        q_start, q_end = max(quote.start, start), min(quote.end, end)
        if q_start >= q_end or q_start < cursor:
            continue
        while q_end < end and text[q_end] in _CLOSING_MARKS and quote.end <= end:
            q_end += 1
        while q_start > cursor and text[q_start - 1] in _OPENING_MARKS:
            q_start -= 1
        out.append(text[cursor:q_start])
        if number == current:
            style = styles["current"]
        elif quote.speech:
            style = styles["quote"]
        else:
            style = styles["other"]
        out.append(text[q_start:q_end], style=style)
        if quote.end <= end and quote.speech:
            out.append(f" ◂ {quote.speaker or 'unattributed'}", style=styles["speaker"])
        cursor = q_end
    out.append(text[cursor:end])
    return out
