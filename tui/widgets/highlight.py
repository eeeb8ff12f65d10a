"""Turning match spans into styled text that fits a width without hiding the match."""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text

from index.types import Span

ELLIPSIS = "…"


def highlighted(text: str, spans: Sequence[Span], style: Style | str) -> Text:
    """All of `text`, with every in-range span styled."""
    result = Text(text)
    for start, end in spans:
        start, end = max(start, 0), min(end, len(text))
        if start < end:
            result.stylize(style, start, end)
    return result


def window(text: str, spans: Sequence[Span], width: int, style: Style | str) -> Text:
    """At most `width` cells of one line around the first match, so a cut never hides it.

    The window starts at a word when it can, and an ellipsis marks each side
    where text was left out.
    """
    flat, spans = flatten(text, spans)
    if len(flat) <= width:
        return highlighted(flat, spans, style)
    first, first_end = min(spans, default=(0, 0))
    start = 0
    if first >= width // 2:
        start = max(0, min(first - width // 4, len(flat) - (width - 1)))
        if flat[start - 1] != " ":  # begin at a word: the one it landed in, or the next
            word = flat.rfind(" ", max(0, start - 15), start) + 1
            after = flat.find(" ", start, first) + 1
            if word > 0 and first_end <= word + width - 2:
                start = word
            elif 0 < after <= start + width // 4:
                start = after
    room = width - (1 if start else 0)
    whole = highlighted(flat, spans, style)
    if start + room >= len(flat):
        piece = whole[start:]
    else:
        piece = whole[start : start + room - 1]
        piece.rstrip()
        piece.append(ELLIPSIS)
    return Text(ELLIPSIS) + piece if start else piece


def flatten(text: str, spans: Sequence[Span]) -> tuple[str, list[Span]]:
    """`text` on one line (whitespace runs squeezed to a space), with `spans` moved to match."""
    flat = " ".join(text.split())
    if len(flat) == len(text):
        return flat, list(spans)
    mapping: list[int] = []
    position = -1
    previous_space = True
    for ch in text:
        is_space = ch.isspace()
        if not (is_space and previous_space):
            position += 1
        mapping.append(max(position, 0))
        previous_space = is_space
    mapping.append(position + 1)
    return flat, [(mapping[s], mapping[e - 1] + 1) for s, e in spans if 0 <= s < e <= len(text)]
