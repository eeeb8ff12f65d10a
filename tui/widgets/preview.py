"""The whole of the highlighted result under the table, so a cut cell never hides meaning."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text

from index.types import ArticleHit, QuoteHit
from tui.widgets.highlight import flatten, highlighted
from tui.widgets.static_text import TextBox, update_static
from tui.widgets.theme_style import component_style


class ResultPreview(TextBox):
    """Full quote with its speaker and source, or an article's title, source and snippet."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "result-preview--match",
        "result-preview--meta",
        "result-preview--speaker",
    }

    _shown: ArticleHit | QuoteHit | None = None

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
        update_static(self, text, relayout=not was_shown)  # a layout only for a new height


def _source(outlet: str, date: str | None) -> str:
    return f"{outlet}, {date}" if date else outlet
