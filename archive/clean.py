"""Article body shaping and boilerplate removal.

The output shape is a contract with the extractor: paragraphs separated by
exactly one blank line, no newline inside a paragraph, no trailing spaces.
What counts as boilerplate lives in `data/boilerplate.json` as general
patterns; this module only decides how they apply (whole lines, sentences
glued to real text, runs of self-promotion).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import orjson

from archive.cache import current_memo, remembered
from archive.outlets import outlet_spans

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_INVISIBLE_CHARS = "\u00ad\u200b\u2060\ufeff"  # soft hyphen, zero-width space, word joiner, BOM
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS))
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE_CHARS}]")
# Quotations in curly, straight or typewriter (``...'' and ''...'') double marks.
_QUOTED = re.compile(r"“[^”]{0,2000}”|\"[^\"\n]{0,2000}\"|(?:``|'')(?:(?!'').){0,2000}''")
# A sentence ends at . ! ? or … (plus closing quotes/brackets) before a space and a
# plausible sentence start, or glued (`difference.A vast`) after a lower-case word.
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*(?:\s+(?=[\"“‘'(\[A-Z0-9])|(?=[A-Z“‘]))")
_GLUED_OK = re.compile(r"[a-z]{2}[.!?]$")
_SELF_DESCRIPTION = re.compile(
    r"(?:['’]s)?\s+(?:(?:is|are)\s+(?:on the ground|trusted|committed|proud|independent|"
    r"free|funded|reader-funded|here|there)|relies on|depends on|was founded)\b"
)
# Furniture is short; longer sentences are never matched (also bounds time on huge lines).
MAX_FURNITURE_CHARS = 1000
_ALNUM = re.compile(r"\w")
# Trailing ornaments (`✪`, `★`) are Unicode "other symbols"; these few are not ornaments.
_KEEP_SYMBOLS = frozenset("°©®™℃℉")


@dataclass(frozen=True, slots=True)
class Rules:
    lines: tuple[re.Pattern[str], ...]
    sentence: re.Pattern[str]
    voice_pronoun: re.Pattern[str]
    voice_noun: re.Pattern[str]


@cache
def rules() -> Rules:
    raw = resources.files("archive").joinpath("data/boilerplate.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    return Rules(
        lines=tuple(re.compile(p, re.I) for p in data["line"]),
        sentence=re.compile("|".join(f"(?:{p})" for p in data["sentence"]), re.I),
        voice_pronoun=re.compile(r"\b(?:" + "|".join(data["voice_pronouns"]) + r")\b"),
        voice_noun=re.compile(r"\b(?:" + "|".join(data["voice_nouns"]) + r")\b", re.I),
    )


@dataclass(slots=True)
class Cleaned:
    """Kept paragraphs, and the furniture removed (outlet recognition reads it)."""

    paragraphs: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_paragraphs(self.paragraphs)


def normalise_newlines(text: str) -> str:
    """CRLF, lone CR and Unicode line separators -> `\\n`."""
    return _NEWLINES.sub("\n", text)


def normalise_text(text: str) -> str:
    """Decoded input -> the form stored: NFC (`López` typed on a Mac matches), `\\n` line
    ends, and no invisible soft hyphens, zero-width spaces or stray BOMs inside words."""
    text = normalise_newlines(unicodedata.normalize("NFC", text))
    # `str.translate` copies through a dict lookup per character: look first (in C).
    return text.translate(_INVISIBLE) if _INVISIBLE_RE.search(text) else text


def split_paragraphs(lines: Sequence[str]) -> list[str]:
    """Lines -> paragraphs: blank lines separate; each line is a paragraph unless hard-wrapped.

    Most exports put one paragraph per line (sometimes without blank lines
    between, like seed 004). Text wrapped at a fixed width is recognised by
    blocks of several long lines under a short maximum, and re-joined.
    """
    stripped = [line.rstrip() for line in lines]
    blocks: list[list[str]] = [[]]
    for line in stripped:
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if _looks_hard_wrapped(blocks):
        return [" ".join(block) for block in blocks]
    return [line for block in blocks for line in block]


def _looks_hard_wrapped(blocks: list[list[str]]) -> bool:
    lengths = [len(line) for block in blocks for line in block]
    if not lengths or max(lengths) > 100:
        return False
    inner = [len(line) for block in blocks if len(block) > 2 for line in block[:-1]]
    return len(inner) >= 3 and sum(n >= 50 for n in inner) >= 0.8 * len(inner)


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    return "\n\n".join(p for p in paragraphs if p)


def strip_ornaments(paragraph: str) -> str:
    """Drop decorative symbols and spaces at the ends of a paragraph (`...he explained.”✪`)."""
    end = len(paragraph)
    while end and _is_ornament(paragraph[end - 1]):
        end -= 1
    start = 0
    while start < end and _is_ornament(paragraph[start]) and paragraph[start] not in "•-–—":
        start += 1
    return paragraph[start:end]


def _is_ornament(ch: str) -> bool:
    if ch.isspace() or ch in "\ufe0f\u200d\u200b":
        return True
    return unicodedata.category(ch) == "So" and ch not in _KEEP_SYMBOLS


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """Rough sentence spans; good enough to find boilerplate at a paragraph's edges."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        token = match.group(0)
        glued = not token[-1].isspace()
        if glued and not _GLUED_OK.search(paragraph[max(0, match.start() - 2) : match.start() + 1]):
            continue
        end = match.start() + len(token.rstrip())
        if end > start:
            spans.append((start, end))
        start = match.end()
    if start < len(paragraph):
        spans.append((start, len(paragraph)))
    return [(s, e) for s, e in spans if paragraph[s:e].strip()]


def _unquoted(sentence: str) -> str:
    """Quoted speech is the article's, whatever it says: blank it before matching."""
    return _QUOTED.sub("“”", sentence)


def is_boilerplate_line(paragraph: str) -> bool:
    text = paragraph.strip()
    if not _ALNUM.search(text):
        return True
    return len(text) <= MAX_FURNITURE_CHARS and any(p.fullmatch(text) for p in rules().lines)


def is_boilerplate_sentence(sentence: str) -> bool:
    if len(sentence) > MAX_FURNITURE_CHARS:
        return False
    return rules().sentence.search(_unquoted(sentence.strip())) is not None


def _is_publication_voice(sentence: str) -> bool:
    text = _unquoted(sentence)
    r = rules()
    return r.voice_pronoun.search(text) is not None and r.voice_noun.search(text) is not None


def _kind(sentence: str) -> str:
    """`boiler`, `voice` (self-promotion), `self` (names a known outlet) or `content`."""
    if len(sentence) > MAX_FURNITURE_CHARS:
        return "content"
    if is_boilerplate_sentence(sentence):
        return "boiler"
    if _is_publication_voice(sentence):
        return "voice"
    if _names_itself(sentence):
        return "self"
    return "content"


def _names_itself(sentence: str) -> bool:
    """`The Independent is on the ground...`: an outlet describing itself."""
    text = _unquoted(sentence)
    return any(_SELF_DESCRIPTION.match(text, end) for _, _, end in outlet_spans(text))


@dataclass(slots=True)
class _Verdict:
    kept: str  # the paragraph with boilerplate edges cut; "" when all of it goes
    removed: list[str]
    only_self: bool = False  # every sentence names the outlet or speaks as it, none appeals


def _judge(paragraph: str) -> _Verdict:
    if is_boilerplate_line(paragraph):  # before ornaments go: `▶ 12:45` needs its `▶`
        return _Verdict("", [paragraph.strip()])
    paragraph = strip_ornaments(paragraph)
    if not paragraph or is_boilerplate_line(paragraph):
        return _Verdict("", [paragraph] if paragraph else [])
    spans = sentence_spans(paragraph)
    kinds: list[str] = []
    for s, e in spans:  # from the front, until real text shows up
        kinds.append(_kind(paragraph[s:e]))
        if kinds[-1] == "content":
            break
    if "content" not in kinds:
        if "boiler" in kinds:
            return _Verdict("", [paragraph])
        return _Verdict(paragraph, [], only_self=True)
    first = next(i for i, k in enumerate(kinds) if k != "boiler")
    last = len(spans) - 1
    while last > first and _kind(paragraph[spans[last][0] : spans[last][1]]) == "boiler":
        last -= 1
    start, end = spans[first][0], spans[last][1]
    removed = [paragraph[s:e] for s, e in spans[:first] + spans[last + 1 :]]
    return _Verdict(paragraph[start:end].strip(), removed)


# Bump when the cleaning code changes what it keeps; the data files are hashed into the key.
CLEAN_VERSION = "1"


@cache
def rules_digest() -> bytes:
    digest = hashlib.blake2b(CLEAN_VERSION.encode(), digest_size=16)
    for name in ("data/boilerplate.json", "data/outlets.json"):
        digest.update(resources.files("archive").joinpath(name).read_bytes())
    return digest.digest()


def clean_paragraphs(paragraphs: Iterable[str]) -> Cleaned:
    """Boilerplate-free paragraphs (see `_clean_paragraphs`), memoised when a memo is set."""
    memo = current_memo()
    if memo is None:
        return _clean_paragraphs(paragraphs)
    paragraphs = list(paragraphs)
    digest = hashlib.blake2b(rules_digest(), digest_size=20)
    for paragraph in paragraphs:
        digest.update(paragraph.encode("utf-8", "surrogatepass") + b"\x00")
    return remembered(
        memo,
        b"clean:" + digest.digest(),
        lambda: _clean_paragraphs(paragraphs),
        lambda cleaned: orjson.dumps([cleaned.paragraphs, cleaned.removed]),
        lambda stored: Cleaned(*orjson.loads(stored)),
    )


def _clean_paragraphs(paragraphs: Iterable[str]) -> Cleaned:
    """Remove boilerplate paragraphs and boilerplate sentences glued to real ones.

    A paragraph that only describes the outlet or speaks as it (`The Independent
    is trusted by...`, `we need reporters on the ground`) goes when it stands next
    to removed furniture (or to such a paragraph that went), since that is an
    appeal split across paragraphs; on its
    own it is kept (an opinion column may well say `we` and `journalism`).
    """
    verdicts = [_judge(p) for p in paragraphs]
    pending = [i for i, v in enumerate(verdicts) if not v.kept]
    while pending:  # spread through a run of self-promotion, both ways
        i = pending.pop()
        for j in (i - 1, i + 1):
            if 0 <= j < len(verdicts) and verdicts[j].only_self and verdicts[j].kept:
                verdicts[j].removed.append(verdicts[j].kept)
                verdicts[j].kept = ""
                pending.append(j)
    result = Cleaned()
    for verdict in verdicts:
        result.removed.extend(r for r in verdict.removed if r)
        if verdict.kept:
            result.paragraphs.append(strip_markup(verdict.kept))
    return result


_MD_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\((?:[^()\s]|\([^()\s]*\)){0,2000}\)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$&%])")


def strip_markup(paragraph: str) -> str:
    """Markdown left by copy-paste or scrapers: `[text](url)` -> `text`, `\\$110` -> `$110`.

    Readers and searchers want the words; the link targets are not the article.
    """
    return _MD_ESCAPE.sub(r"\1", _MD_LINK.sub(r"\1", paragraph))


def clean_text(text: str) -> Cleaned:
    """Raw body text (any line ends) -> cleaned paragraphs."""
    return clean_paragraphs(split_paragraphs(normalise_text(text).split("\n")))
