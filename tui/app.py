"""The whosaid terminal app: faceted search over an index built by `whosaid build`.

The app only opens the index (through `index.search.open_index`) and hands it
to its screens; every read goes through `WhosaidApp.ask`, which serialises
calls from worker threads so a searcher is never used by two threads at once.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, TypeVar

from textual.app import App
from textual.binding import Binding, BindingType

from index.types import SearchIndex, WhosaidIndexError
from tui.commands import WhosaidCommands
from tui.screens.index_problem import IndexProblemScreen, build_command
from tui.screens.search import SearchScreen

T = TypeVar("T")


class WhosaidApp(App[None]):
    """Search box, facets and results for one index; the reader and speaker screens on top."""

    TITLE = "whosaid"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {WhosaidCommands}
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (App declares it as a plain attribute)
        (0, "-narrow"),
        (130, "-wide"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, index_path: Path, index: SearchIndex | None = None) -> None:
        super().__init__()
        self.index_path = Path(index_path)
        self.index: SearchIndex | None = index
        self.index_problem: str | None = None
        self._owns_index = index is None
        self._index_lock = threading.Lock()
        self._heap_frozen = False

    def on_mount(self) -> None:
        if self.index is None:
            self.index, self.index_problem = _open(self.index_path)
        if self.index is None:
            self.push_screen(IndexProblemScreen(self.index_problem or "", self.index_path))
        else:
            self.push_screen(SearchScreen())
            self.call_after_refresh(self._freeze_heap)

    def _freeze_heap(self) -> None:
        """Keep the collector's full passes off the keystroke path.

        The open index and the mounted screen are some 100k objects that live
        as long as the app; each full (oldest generation) collection walked
        them all, a 40-100 ms pause that landed on whatever keystroke was being
        drawn. Frozen, they are left out of every collection; what the app
        allocates from now on is still collected as usual.
        """
        gc.collect()
        gc.freeze()
        self._heap_frozen = True

    def ask(self, call: Callable[[SearchIndex], T]) -> T:
        """Run one index call under the lock; worker threads use this, never `self.index`."""
        if self.index is None:
            raise WhosaidIndexError(f"no index open at {self.index_path}")
        with self._index_lock:
            return call(self.index)

    def build_hint(self) -> str:
        return build_command(self.index_path)

    def on_unmount(self) -> None:
        if self._heap_frozen:  # hand the objects back so this app's cycles can be freed
            gc.unfreeze()
            self._heap_frozen = False
        if self.index is not None and self._owns_index:
            with self._index_lock:
                self.index.close()


def _open(path: Path) -> tuple[SearchIndex | None, str | None]:
    """Open the index, turning every failure into one line for the UI."""
    try:
        from index.search import open_index

        return open_index(path), None
    except WhosaidIndexError as error:
        return None, str(error)
    except ImportError as error:
        return None, f"the search engine could not be loaded: {error}"
    except OSError as error:
        return None, f"{path}: {error.strerror or error}"
    except Exception as error:  # a damaged index must not end in a traceback
        return None, f"{path}: cannot open the index ({type(error).__name__}: {error})"


def run_tui(index_path: Path) -> int:
    """Open the TUI on `index_path`; 0 when the user quits, 1 when no index could be opened."""
    app = WhosaidApp(index_path)
    app.run()
    if app.index_problem:  # leave the reason in the terminal too, after the screen is gone
        print(f"whosaid: {app.index_problem}", file=sys.stderr)
        print(f"build one with: {app.build_hint()}", file=sys.stderr)
        return 1
    return 0
