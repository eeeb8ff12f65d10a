"""Moves shared by the screens: open an article or a speaker, copy a quote.

The screen classes are imported late because the article and speaker
screens open each other.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen

from index.types import QuoteHit


def open_article(app: App[Any], article_id: str, quote_id: str | None = None) -> None:
    from tui.screens.article import ArticleScreen

    app.push_screen(ArticleScreen(article_id, quote_id=quote_id))


def open_speaker(screen: Screen[Any], speaker_id: str | None) -> None:
    if speaker_id is None:
        screen.notify("This quote has no identified speaker", severity="warning")
        return
    from tui.screens.speaker import SpeakerScreen

    screen.app.push_screen(SpeakerScreen(speaker_id))


def quote_citation(hit: QuoteHit) -> str:
    """`“quote” — Speaker, Outlet, date`: what a journalist pastes."""
    speaker = hit.speaker or "unattributed"
    date = f", {hit.date}" if hit.date else ""
    return f"“{' '.join(hit.text.split())}” — {speaker}, {hit.outlet}{date}"


def copy_quote(screen: Screen[Any], hit: QuoteHit) -> None:
    """Put the citation on the clipboard (OSC 52, which Textual uses)."""
    screen.app.copy_to_clipboard(quote_citation(hit))
    screen.notify(f"Copied the quote by {hit.speaker or 'an unattributed speaker'}", timeout=3)
