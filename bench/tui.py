"""TUI latency: from a keystroke in the search box to updated results and facet counts.

Drives the real app with Textual's Pilot (headless, 120x40) on an existing index.
Each query is typed one key at a time, as a person would; the time of a keystroke
runs from the key press to the moment the screen has been redrawn with the
answer for the text typed so far (table rows and all three facet panels). A key
searches at once when the previous answer is on screen and waits for a pause in the
typing (`SearchScreen.DEBOUNCE_SECONDS`) while one is still coming; either wait is
part of what is measured. Also timed: toggling a facet value and switching mode.

    python -m bench.tui --index bench/out/build-10000/index [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.common import machine, markdown_table, percentile, record
from index.types import Facet, SearchRequest, SearchResult, WhosaidIndexError

TARGET_MS = 100.0
SIZE = (120, 40)
_WORD = re.compile(r"[^\W\d_]{4,}")


def pick_words(index_path: Path, count: int, seed: int = 11) -> list[str]:
    """Words people would type: taken from titles and quotes of the index itself."""
    from index.search import open_index

    index = open_index(index_path)
    try:
        result = index.search(SearchRequest(limit=400, with_facets=False))
        quotes = index.search(SearchRequest(target="quotes", limit=400, with_facets=False))
    finally:
        index.close()
    words = {
        w.lower()
        for text in [a.title for a in result.articles] + [q.text for q in quotes.quotes]
        for w in _WORD.findall(text)
    }
    rng = random.Random(seed)
    return rng.sample(sorted(words), min(count, len(words)))


async def measure(index_path: Path, words: Sequence[str]) -> dict[str, list[float]]:
    from textual.widgets import Input

    from tui.app import WhosaidApp
    from tui.screens.search import SearchScreen
    from tui.widgets.facet_panel import FacetPanel

    shown: asyncio.Queue[tuple[float, SearchResult]] = asyncio.Queue()
    original = SearchScreen._show_result

    def spy(self: SearchScreen, result: SearchResult, choices: dict[str, Facet | None]) -> None:
        original(self, result, choices)
        if result.request == self._latest:  # the clock stops once the screen has been drawn
            self.call_after_refresh(lambda: shown.put_nowait((time.perf_counter(), result)))

    SearchScreen._show_result = spy  # type: ignore[method-assign]
    timings: dict[str, list[float]] = {
        "keystroke": [],
        "facet toggle": [],
        "mode switch": [],
        "index.search alone (keystroke)": [],
        "CPU time of the process per keystroke": [],
    }
    app = WhosaidApp(index_path)
    try:
        async with app.run_test(size=SIZE) as pilot:

            async def answered(text: str, started: float) -> float:
                while True:
                    at, result = await asyncio.wait_for(shown.get(), timeout=30)
                    if result.request.text == text.strip():
                        searched.append(result.elapsed_ms)
                        return (at - started) * 1000

            searched: list[float] = []
            await answered("", time.perf_counter())
            screen = app.screen
            assert isinstance(screen, SearchScreen)
            search = screen.query_one("#search", Input)
            for word in words:
                search.focus()
                if search.value:
                    search.value = ""
                    await answered("", time.perf_counter())
                typed = ""
                for key in word:
                    typed += key
                    started, cpu = time.perf_counter(), time.process_time()
                    await pilot.press(key)
                    timings["keystroke"].append(await answered(typed, started))
                    timings["CPU time of the process per keystroke"].append(
                        (time.process_time() - cpu) * 1000
                    )
                    timings["index.search alone (keystroke)"].append(searched[-1])
                panel = screen.query_one("#facet-speaker", FacetPanel)
                if panel.option_count:
                    panel.focus()
                    panel.highlighted = 0
                    for _ in range(2):  # select, then unselect
                        started = time.perf_counter()
                        await pilot.press("space")
                        timings["facet toggle"].append(await answered(typed, started))
                screen.query_one("#results").focus()
                started = time.perf_counter()
                await pilot.press("m")
                timings["mode switch"].append(await answered(typed, started))
    finally:
        SearchScreen._show_result = original  # type: ignore[method-assign]
    return timings


def report(index_path: Path, words: Sequence[str], timings: dict[str, list[float]]) -> str:
    from index.search import open_index

    index = open_index(index_path)
    stats = index.stats()
    index.close()
    rows = [
        [
            what,
            len(values),
            f"{percentile(values, 50):.1f}",
            f"{percentile(values, 95):.1f}",
            f"{max(values):.1f}",
        ]
        for what, values in timings.items()
        if values
    ]
    p95 = percentile(timings["keystroke"], 95)
    verdict = "meets" if p95 < TARGET_MS else "misses"
    from tui.screens.search import SearchScreen

    return "\n\n".join(
        [
            f"Index {index_path}: {stats.articles} articles, {stats.quotes} quotes, "
            f"{stats.speakers} speakers. {len(words)} words typed key by key in the TUI "
            f"(Pilot, {SIZE[0]}x{SIZE[1]}; a key searches at once when the last answer is shown, "
            f"else after a {SearchScreen.DEBOUNCE_SECONDS * 1000:.0f} ms pause, included). "
            "`index.search alone` is the `elapsed_ms` the index reports for the "
            "main request of each keystroke: the rest is waiting, the facet widening "
            "requests and drawing. The CPU time of the process (all threads) does not grow "
            f"when other programs load the machine; load average at the end: "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
            markdown_table(("action", "samples", "p50 ms", "p95 ms", "max ms"), rows),
            f"- keystroke to results and facets p95 {p95:.1f} ms: {verdict} the "
            f"{TARGET_MS:.0f} ms target.",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tui", description=__doc__)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--words", type=int, default=40, help="how many words to type")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    print(f"machine: {machine().describe()}", file=sys.stderr)
    try:
        words = pick_words(args.index, args.words)
    except WhosaidIndexError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not words:
        print(f"error: {args.index} has no words to type", file=sys.stderr)
        return 1
    timings = asyncio.run(measure(args.index, words))
    body = report(args.index, words, timings)
    print(body)
    if args.record:
        command = "python -m bench.tui " + " ".join(argv if argv is not None else sys.argv[1:])
        record("TUI keystroke latency", command, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
