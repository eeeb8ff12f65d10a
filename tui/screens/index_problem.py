"""Shown instead of the search screen when no usable index exists: what is wrong and the fix."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Header, Static

from tui.widgets.footer import KeyFooter


def build_command(index_path: Path) -> str:
    """The command that builds an index where the TUI looks for one."""
    return f"whosaid build seeds --index {shlex.quote(str(index_path))}"


class IndexProblemScreen(Screen[None]):
    """A missing, damaged or incompatible index: one clear message, never a traceback."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,escape", "app.quit", "Quit")]

    def __init__(self, problem: str, index_path: Path) -> None:
        super().__init__()
        self.problem = problem
        self.index_path = index_path

    def compose(self) -> ComposeResult:
        yield Header()
        message = Text()
        message.append("No index to search\n\n", style="bold")
        message.append(f"{self.problem}\n\n")
        message.append("Build one from the seed articles (or any folder of articles) with:\n\n")
        message.append(f"    {build_command(self.index_path)}\n\n", style="bold")
        message.append("then run ")
        message.append(f"whosaid tui --index {shlex.quote(str(self.index_path))}", style="bold")
        message.append(" again. Press q to quit.")
        with Middle(), Center():
            yield Static(message, id="problem")
        yield KeyFooter()
