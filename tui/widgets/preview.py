"""The whole of the highlighted result under the table, so a cut cell never hides meaning."""

from __future__ import annotations

from typing import ClassVar, cast

from rich.text import Text
from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Static

from index.types import ArticleHit, QuoteHit
from tui.widgets.highlight import flatten, highlighted
from tui.widgets.theme_style import component_style


class ResultPreview(Static):
    """Full quote with its speaker and source, or an article's title, source and snippet."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "result-preview--match",
        "result-preview--meta",
        "result-preview--speaker",
    }

    _shown: ArticleHit | QuoteHit | None = None

    # A Static scrolls nothing (the compositor gives scrollbars to containers
    # and scroll views only), so a new virtual size needs no layout pass.
    # Widget's reactive asks for one: each time the preview changed height,
    # the layout that resized it was followed by a second one and a repaint.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def show(self, hit: ArticleHit | QuoteHit | None, *, force: bool = False) -> None:
        """Show `hit`; the same hit again is left alone unless `force` (a theme change)."""
        if hit == self._shown and not force and self.display == (hit is not None):
            return
        self._shown = hit
        was_shown = self.display
        self.display = hit is not None
        if hit is None:
            self.update("")
            return
        match = component_style(self, "result-preview--match")
        meta = component_style(self, "result-preview--meta")
        speaker = component_style(self, "result-preview--speaker")
        text = Text()
        if isinstance(hit, QuoteHit):
            text.append("“")
            text.append_text(highlighted(*flatten(hit.text, hit.highlights), match))
            text.append("”\n")
            text.append(f"— {hit.speaker or 'unattributed'}", style=speaker)
            if hit.speaker_mention and hit.speaker_mention != hit.speaker:
                text.append(f" (“{hit.speaker_mention}”)", style=meta)
            text.append(f"  ·  {hit.article_title}  ·  {_source(hit.outlet, hit.date)}", style=meta)
        else:
            text.append_text(highlighted(hit.title, hit.title_highlights, match))
            text.stylize("bold", 0, len(hit.title))
            byline = f"  ·  {hit.byline}" if hit.byline else ""
            text.append(f"\n{_source(hit.outlet, hit.date)}{byline}", style=meta)
            if hit.speakers:
                text.append("\nQuoted: ", style=meta)
                text.append(", ".join(hit.speakers), style=speaker)
            if hit.snippet:
                text.append("\n")
                text.append_text(highlighted(*flatten(hit.snippet, hit.highlights), match))
        self._put(text, relayout=not was_shown)

    def _put(self, text: Text, *, relayout: bool) -> None:
        """New content, with a layout pass only if it takes a different number of lines.

        The box is as high as its content (`height: auto`), so `Static.update`
        asks for a layout of the screen on every change: moving the cursor or
        typing a letter cost a layout and a repaint of everything it moved,
        although most hits fill as many lines as the one before. With the
        same line count at the same width, nothing changes size, and the new
        text only needs drawing.
        """
        width = self.scrollable_content_region.width
        if relayout or not width or self.show_vertical_scrollbar:
            self.update(text)
            return
        rules = cast(RulesMap, self.styles)
        before = self.visual.get_height(rules, width)
        self.update(text, layout=False)
        if self.visual.get_height(rules, width) != before:
            self.refresh(layout=True)


def _source(outlet: str, date: str | None) -> str:
    return f"{outlet}, {date}" if date else outlet
