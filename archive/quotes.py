"""Find quotation spans in raw text, without spaCy.

Works paragraph by paragraph (any newline ends a paragraph) so that one stray
mark can never swallow the rest of an article: an unclosed quote is closed at
the paragraph end, and kept only when the next paragraph reopens it (the
newspaper convention for quotes running over several paragraphs) or when it
is long enough to be a quotation rather than a stray mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Role = Literal["open", "close", "either"]

_DOUBLE_OPEN = "“„«‟"
_DOUBLE_CLOSE = "”»"
_DOUBLE_EITHER = '"＂'
_SINGLE_OPEN = "‘‹"
_SINGLE_CLOSE = "’›"
_SINGLE_EITHER = "'"
_DOUBLES = _DOUBLE_OPEN + _DOUBLE_CLOSE + _DOUBLE_EITHER
_SINGLES = _SINGLE_OPEN + _SINGLE_CLOSE + _SINGLE_EITHER
_OPENERS_BEFORE = "([{—–-/:;,"  # characters after which a straight mark opens
_PARAGRAPH = re.compile(r"[^\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+")
_WORD = re.compile(r"\w+")
_MIN_UNCLOSED_WORDS = 4
_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]{0,2000})?/?>")
_MAX_SINGLE_CHARS = 400


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """Text between quotation marks: `text[start:end]`, marks excluded.

    `open_mark`/`close_mark` are the offsets of the marks (None when the quote
    runs to the paragraph end or started in an earlier paragraph);
    `continues` is set on the later segments of a multi-paragraph quote.
    """

    start: int
    end: int
    open_mark: int | None
    close_mark: int | None
    single: bool = False
    continues: bool = False


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line: the unit quote marks never cross."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def _role(text: str, i: int, either: str, opening: str, closing: str) -> Role | None:
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    space_before = before.isspace() or before in _OPENERS_BEFORE or before in _DOUBLES
    space_after = after.isspace() or (not after.isalnum() and after not in "[(#$£€@¿¡'‘")
    if ch in either:
        if before.isdigit() and not space_after and after in " .,;)":  # 5'10" style measures
            return None
        if space_before and not space_after:
            return "open"
        if space_after and not space_before:
            return "close"
        return "either"
    if ch in opening:
        # A curly opener glued to the end of a word and followed by a space is a misused closer.
        return "close" if (space_after and not space_before and ch != "«") else "open"
    if ch in closing:
        return "open" if (space_before and not space_after and ch != "»") else "close"
    return None


def _double_marks(text: str, start: int, end: int) -> list[tuple[int, Role]]:
    """Double marks with their role; a doubled apostrophe or backtick counts as one mark."""
    marks: list[tuple[int, Role]] = []
    i = start
    while i < end:
        ch = text[i]
        if ch in _DOUBLES:
            role = _role(text, i, _DOUBLE_EITHER, _DOUBLE_OPEN, _DOUBLE_CLOSE)
            if role is not None:
                marks.append((i, role))
        elif ch in "'`" and i + 1 < end and text[i + 1] == ch:
            before = text[i - 1] if i > start else " "
            after = text[i + 2] if i + 2 < end else " "
            # After a comma a doubled mark closes unless a word follows: `reform,'' said`.
            glued_after = after.isalnum() or after in "[(#$£€@¿¡"
            if ch == "`" or before.isspace() or (before in _OPENERS_BEFORE and glued_after):
                marks.append((i, "open"))
            elif after.isspace() or not after.isalnum():
                marks.append((i, "close"))
            i += 2
            continue
        i += 1
    return marks


def _mark_len(text: str, i: int) -> int:
    return 2 if text[i : i + 2] in ("''", "``") else 1


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _next_paragraph_reopens(text: str, paras: list[tuple[int, int]], k: int) -> bool:
    if k + 1 >= len(paras):
        return False
    s, e = paras[k + 1]
    stripped = text[s:e].lstrip()
    return bool(stripped) and (
        stripped[0] in _DOUBLE_OPEN + _DOUBLE_EITHER or stripped[:2] in ("''", "``")
    )


def _pair_paragraph(
    text: str, pstart: int, pend: int, carried: bool
) -> tuple[list[QuoteSpan], int | None, bool]:
    """Pair the double marks of one paragraph.

    Returns the spans, the unclosed opener if any, and whether that opener
    reopens a quote whose closing mark was lost (so its text continues it).
    """
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    open_style = ""
    depth_inner = 0
    run_on = False  # the open quote continues one closed by a lost mark
    marks = _double_marks(text, pstart, pend)
    for n, (i, role) in enumerate(marks):
        ch = text[i]
        if open_at is None:
            if role == "close" or (role == "either" and n == 0 and carried):
                if carried and not spans and _word_count(text[pstart:i]) >= 1:
                    # The quote from the previous paragraph continues without a reopening mark.
                    spans.append(QuoteSpan(_skip_space(text, pstart, i), i, None, i, False, True))
                carried = False
                continue
            open_at, open_style, depth_inner = i, _style(ch), 0
            continue
        style = _style(ch)
        if style != open_style and role == "open":
            depth_inner += 1  # nested quote in another style: part of the outer text
            continue
        if style != open_style and depth_inner and role != "open":
            depth_inner -= 1
            continue
        if role == "open" and style == open_style:
            if depth_inner == 0 and _word_count(text[open_at + _mark_len(text, open_at) : i]) == 0:
                open_at = i
                continue
            # Same-style opener inside an open quote: either nesting or a lost closer.
            nxt = [r for _, r in marks[n + 1 :]]
            if nxt.count("close") + nxt.count("either") >= 2:
                depth_inner += 1
                continue
            if depth_inner == 0:
                start = open_at + _mark_len(text, open_at)
                ended = _sentence_before(text, start, i)
                if ended is not None:
                    # `said: "First sentence. "Second sentence."`: paragraphs of one quote
                    # run together, each reopened and only the last closed.
                    spans.append(QuoteSpan(start, ended, open_at, None, False, run_on))
                    run_on = True
            open_at = i
            continue
        if depth_inner:
            depth_inner -= 1
            continue
        if i > open_at + _mark_len(text, open_at):
            spans.append(
                QuoteSpan(open_at + _mark_len(text, open_at), i, open_at, i, False, run_on)
            )
        open_at = None
        run_on = False
    return spans, open_at, run_on


def _sentence_before(text: str, start: int, at: int) -> int | None:
    """End of the quote text before a reopening mark at `at`, if it ends a sentence.

    A reopening mark after `.`, `!` or `?` and a space starts the next paragraph of
    the same quote; anything else (`"a "b" c"`) is left to the nesting rules.
    """
    end = _trim_end(text, start, at)
    if end == at or end <= start or text[end - 1] not in ".!?…":
        return None
    return end if _word_count(text[start:end]) >= 2 else None


def _style(ch: str) -> str:
    if ch in "'`":
        return "doubled"
    if ch in "«»":
        return "guillemet"
    if ch in _DOUBLE_EITHER:
        return "straight"
    return "curly"


def _skip_space(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _single_spans(text: str, pstart: int, pend: int, taken: list[QuoteSpan]) -> list[QuoteSpan]:
    """Single-quoted spans outside double quotes; apostrophes stay apostrophes."""
    blocked = [
        (
            s.open_mark if s.open_mark is not None else s.start,
            (s.close_mark if s.close_mark is not None else s.end) + 2,
        )
        for s in taken
    ]

    def free(i: int) -> bool:
        return not any(a <= i < b for a, b in blocked)

    spans: list[QuoteSpan] = []
    i = pstart
    while i < pend:
        ch = text[i]
        if ch in _SINGLES and free(i):
            before = text[i - 1] if i > pstart else " "
            after = text[i + 1] if i + 1 < pend else " "
            opens = (not before.isalnum()) and after.isalnum() and ch not in _SINGLE_CLOSE
            if opens:
                close = _single_close(text, i + 1, min(pend, i + _MAX_SINGLE_CHARS))
                if close is not None and free(close) and close - i > 2:
                    spans.append(QuoteSpan(i + 1, close, i, close, single=True))
                    i = close + 1
                    continue
        i += 1
    return spans


def _single_close(text: str, start: int, stop: int) -> int | None:
    for j in range(start, stop):
        ch = text[j]
        if ch in _DOUBLES:
            return None
        if ch in _SINGLE_CLOSE + _SINGLE_EITHER:
            before = text[j - 1]
            after = text[j + 1] if j + 1 < len(text) else " "
            if after.isalnum() or before.isspace():
                continue  # don't, it's, rock 'n' roll
            if before in "sS" and after == " " and j + 2 < len(text) and text[j + 2].islower():
                continue  # plural possessive: the voters' concerns
            return j
    return None


def _mask_markup(text: str) -> str:
    """Quote marks inside leftover HTML/XML tags (`<tweet author="...">`) are not quotations."""
    if "<" not in text:
        return text

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[\"'“”‘’«»`]", "_", match.group())

    return _TAG.sub(blank, text)


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every quotation in `text`, sorted by start, never overlapping."""
    original, text = text, _mask_markup(text)
    paras = paragraphs(text)
    found: list[QuoteSpan] = []
    carried = False
    for k, (pstart, pend) in enumerate(paras):
        spans, unclosed, run_on = _pair_paragraph(text, pstart, pend, carried)
        if carried and spans == [] and unclosed is None and not _double_marks(text, pstart, pend):
            carried = False
        carried_next = False
        if unclosed is not None:
            start = unclosed + _mark_len(text, unclosed)
            end = _trim_end(text, start, pend)
            reopens = _next_paragraph_reopens(text, paras, k)
            continues = run_on or (carried and not spans and text[pstart:unclosed].strip() == "")
            if end > start and (reopens or _word_count(text[start:end]) >= _MIN_UNCLOSED_WORDS):
                spans.append(QuoteSpan(start, end, unclosed, None, continues=continues))
                carried_next = reopens
        elif spans and carried and spans[0].open_mark is not None:
            first = spans[0]
            if text[pstart : first.open_mark].strip() == "":
                spans[0] = QuoteSpan(
                    first.start, first.end, first.open_mark, first.close_mark, continues=True
                )
        spans.extend(_single_spans(text, pstart, pend, spans))
        found.extend(spans)
        carried = carried_next
    found.sort(key=lambda s: s.start)
    result: list[QuoteSpan] = []
    for span in found:
        if span.end <= span.start or not original[span.start : span.end].strip():
            continue
        if result and span.start < result[-1].end:
            continue
        result.append(span)
    return result
