"""Exporting every result of a search as JSONL, and the small dialog that asks where."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import orjson
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from index.types import SearchRequest, SearchResult

PAGE = 500


def export_jsonl(
    search: Callable[[SearchRequest], SearchResult], request: SearchRequest, path: Path
) -> int:
    """Write every hit of `request` (all pages, not just those on screen), one JSON per line.

    `search` is asked one page at a time, so searches can run between pages. Written
    to a temporary file then renamed, so a failed export never leaves half a file.
    """
    path = path.expanduser()
    temporary = path.with_name(f".{path.name}.part")
    count = 0
    page = replace(request, offset=0, limit=PAGE, with_facets=False)
    try:
        with temporary.open("wb") as out:
            while True:
                result = search(page)
                hits = result.articles if request.target == "articles" else result.quotes
                for hit in hits:
                    out.write(orjson.dumps(hit, option=orjson.OPT_APPEND_NEWLINE))
                count += len(hits)
                if not hits or count >= result.total:
                    break
                page = replace(page, offset=page.offset + len(hits))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return count


class ExportScreen(ModalScreen[Path | None]):
    """Asks for a file name; Enter exports, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggested: Path) -> None:
        super().__init__()
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box") as box:
            box.border_title = "Export results as JSONL"
            yield Label("Every result of the current search and filters goes to:")
            yield Input(str(self.suggested), id="export-path")
            yield Label("[dim]enter exports · esc cancels[/]")

    @on(Input.Submitted, "#export-path")
    def _chosen(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.notify("Give a file name", severity="warning")
            return
        path = Path(value).expanduser()
        if path.is_dir():
            self.notify(f"{path} is a folder: give a file name", severity="warning")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
