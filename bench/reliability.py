"""Reliability figures: inputs accounted for, builds killed and survived, queries fuzzed.

    python -m bench.reliability [--quick]

It also holds the machinery the reliability tests share (tests/test_kill_points.py,
test_concurrency.py, test_query_fuzz.py, test_build_reliability.py), so the figures
printed here and the assertions there come from one implementation:

- `write_corpus`: the seeds plus synthetic articles in two versions (v2 edits, drops
  and adds articles), so a build has something to change;
- `write_bad_inputs`: one folder holding every kind of bad input, with what each
  input should become; `account` sorts every input into indexed / rejected / lost;
- `KillPoint` and `drive`: a build in a child process that SIGKILLs itself at the
  Nth call of a named function (`python -m bench.reliability drive build ...`);
- `fuzz_requests` and `check_result`: hostile queries with random filters, and the
  facet-count consistency every answer must have.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
HOOK_ENV = "WHOSAID_RELIABILITY_HOOK"
V2_MARKER = "zeppelin"  # a word only version 2 of the synthetic corpus uses
EMPTY_INPUT = "zz-empty.txt"  # sorts last: a build killed mid-way has not reached it

# ---------------------------------------------------------------------------------------
# Synthetic articles: plain text with quotes and names, and a sidecar with metadata.

_FIRST = ("Ana", "Luis", "María", "John", "Sarah", "Pedro", "Amara", "Raúl", "Inés", "Tom")
_LAST = ("García", "Okafor", "Núñez", "Smith", "Müller", "Rossi", "Dubois", "Silva", "Ng")
_ROLES = (
    "the city's mayor",
    "a spokeswoman for the ministry",
    "the union leader",
    "a senior economist at the central bank",
    "the regional governor",
    "a professor of public policy",
)
_OUTLETS = ("Reuters", "The Guardian", "BBC News", "Associated Press", "Al Jazeera")
_CITIES = ("Lisbon", "Lagos", "Osaka", "Quito", "Tbilisi", "Perth", "Valencia", "Tucson")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_NOUNS = _words(
    """budget harbour pension bridge railway reservoir curfew tariff vaccine strike election
    subsidy refinery asylum drought hospital stadium pipeline ferry census"""
)
_VERBS = _words("delay approve block expand review cancel fund reopen")
_FILLER = _words(
    """officials residents the council the report critics analysts the committee lawmakers
    farmers teachers nurses investors commuters engineers inspectors"""
)


def _sentence(rng: random.Random, words: int) -> str:
    pool = _NOUNS + _FILLER + _VERBS
    body = " ".join(rng.choice(pool) for _ in range(words))
    return body[0].upper() + body[1:] + "."


def synthetic_article(number: int, version: int = 1) -> tuple[str, dict[str, str]]:
    """Text and sidecar of synthetic article `number`; version 2 rewrites some quotes."""
    rng = random.Random(number * 7919)
    city, noun = rng.choice(_CITIES), rng.choice(_NOUNS)
    title = f"{city} {noun} plan faces {rng.choice(_VERBS)} vote {number}"
    speakers = [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(2)]
    extra = f" the {V2_MARKER} " if version == 2 else " "
    paragraphs = [
        f"{city} officials met on Tuesday to discuss the {noun} as "
        + _sentence(rng, rng.randint(12, 20)),
        f"“We will {rng.choice(_VERBS)} the {noun}{extra}before winter,” said {speakers[0]}, "
        f"{rng.choice(_ROLES)}.",
        _sentence(rng, rng.randint(15, 30)),
        f"{speakers[0].split()[-1]} added that the {rng.choice(_NOUNS)} would "
        f"{rng.choice(_VERBS)} next year.",
        f"“This {noun} is {rng.choice(['a mistake', 'overdue', 'a relief'])},” "
        f"{speakers[1]} told reporters. " + _sentence(rng, rng.randint(10, 25)),
    ]
    text = f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    meta = {
        "title": title,
        "outlet": _OUTLETS[number % len(_OUTLETS)],
        "date": f"{2020 + number % 5}-{month:02d}-{day:02d}",
    }
    return text, meta


def _write_article(folder: Path, stem: str, text: str, meta: dict[str, str]) -> None:
    (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    (folder / f"{stem}.meta.json").write_text(json.dumps(meta), encoding="utf-8")


@dataclass(frozen=True, slots=True)
class CorpusPlan:
    """Which synthetic articles each version holds: v2 drops, edits and adds some."""

    count: int = 30
    dropped: tuple[int, ...] = (0, 1)
    edited: tuple[int, ...] = (2, 3, 4, 5)
    added: int = 4

    def numbers(self, version: int) -> list[int]:
        if version == 1:
            return list(range(self.count))
        kept = [n for n in range(self.count) if n not in self.dropped]
        return kept + list(range(self.count, self.count + self.added))

    def version_of(self, number: int, version: int) -> int:
        return 2 if version == 2 and (number in self.edited or number >= self.count) else 1


def write_corpus(folder: Path, version: int, plan: CorpusPlan = CorpusPlan()) -> Path:
    """The seed articles plus synthetic ones, as version 1 or 2 of one archive."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in SEEDS.iterdir():
        if path.is_file():
            shutil.copy2(path, folder / path.name)
    for number in plan.numbers(version):
        text, meta = synthetic_article(number, plan.version_of(number, version))
        _write_article(folder, f"syn-{number:03d}", text, meta)
    (folder / EMPTY_INPUT).write_bytes(b"")  # one rejection, so errors.jsonl has a line
    return folder


# ---------------------------------------------------------------------------------------
# Bad inputs: every kind in one folder, each input with the outcomes it may end in.

INDEXED, REJECTED, DUPLICATE = "indexed", "rejected", "duplicate"


@dataclass(frozen=True, slots=True)
class Expected:
    """One input (a file, or one JSONL line) and what it may legitimately become."""

    category: str
    source: str  # as ingest shows it (display path)
    line: int | None
    outcomes: frozenset[str]
    word: str | None = None  # a word only this input's text holds, to search for


def _display(path: Path) -> str:
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _good_text(word: str, title: str = "Harbour plan vote", marks: str = "“”") -> str:
    return (
        f"{title} {word}\n\n"
        f"Council members debated the {word} proposal for three hours on Monday.\n\n"
        f"{marks[0]}We cannot wait another year for the {word},{marks[1]} said Elena Vasquez, "
        "the harbour "
        "master.\n\nThe vote is expected next month after a public consultation.\n"
    )


def write_bad_inputs(folder: Path) -> list[Expected]:
    """Fill `folder` with every bad-input kind (and a few good ones) and say what each is."""
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Expected] = []

    def add(category: str, path: Path, outcomes: set[str], *, line: int | None = None,
            word: str | None = None) -> None:  # fmt: skip
        out.append(Expected(category, _display(path), line, frozenset(outcomes), word))

    def text_file(name: str, data: bytes, category: str, outcomes: set[str],
                  word: str | None = None) -> Path:  # fmt: skip
        path = folder / name
        path.write_bytes(data)
        add(category, path, outcomes, word=word)
        return path

    text_file("good-plain.txt", _good_text("quokka").encode(), "good", {INDEXED}, "quokka")
    text_file("empty.txt", b"", "empty file", {REJECTED})
    text_file("blank.txt", b"\n  \n\t\n", "empty file", {REJECTED})
    text_file("photo.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(2000), "binary: PNG", {REJECTED})
    text_file("random.bin", os.urandom(4096), "binary: random bytes", {REJECTED})
    text_file(
        "story.txt.gz", gzip.compress(_good_text("gzipped").encode()), "binary: gzip", {REJECTED}
    )
    nul = _good_text("nulbytes").encode().replace(b"three", b"th\x00\x00ree")
    text_file("nul.txt", nul, "NUL bytes", {REJECTED, INDEXED}, None)
    latin = _good_text("jalapeño", "Señor Núñez visita el puerto", '""').encode("latin-1")
    text_file("latin1.txt", latin, "latin-1", {INDEXED}, "jalapeño")
    cp = _good_text("wombat").replace("said", "– said").encode("cp1252")
    text_file("cp1252.txt", cp, "cp1252", {INDEXED}, "wombat")
    text_file("utf16.txt", _good_text("narwhal").encode("utf-16"), "UTF-16", {INDEXED}, "narwhal")
    bom = b"\xef\xbb\xbf" + _good_text("axolotl").encode()
    text_file("bom.txt", bom, "UTF-8 BOM", {INDEXED}, "axolotl")
    crlf = _good_text("pangolin").replace("\n", "\r\n").encode()
    text_file("crlf.txt", crlf, "CRLF line ends", {INDEXED}, "pangolin")
    lone_cr = _good_text("capybara").replace("\n", "\r").encode()
    text_file("cr.txt", lone_cr, "lone CR line ends", {INDEXED}, "capybara")
    with open(folder / "huge.txt", "wb") as handle:
        chunk = (_good_text("hugefile") * 200).encode()
        while handle.tell() < 50 * 2**20:
            handle.write(chunk)
    add("50 MB file", folder / "huge.txt", {REJECTED})
    add("5 MB single line", write_long_line(folder / "long-line.txt"), {REJECTED})
    long_body = (folder / "long-line.txt").read_text(encoding="utf-8").split("\n\n", 1)[1]
    long_row = json.dumps({"title": "Long", "text": long_body}).encode() + b"\n"
    (folder / "long-line.jsonl").write_bytes(_row("jerboa", id="long-1") + b"\n" + long_row)
    add("JSONL: good row", folder / "long-line.jsonl", {INDEXED}, line=1, word="jerboa")
    add("5 MB single line", folder / "long-line.jsonl", {REJECTED}, line=2)

    rows: list[tuple[bytes, str, set[str], str | None]] = [
        (_row("kakapo", id="j-1"), "JSONL: good row", {INDEXED}, "kakapo"),
        (b'{"title": "Broken", "text": "no end', "JSONL: broken", {REJECTED}, None),
        (b"[" * 100_000 + b"]" * 100_000, "JSONL: deeply nested", {REJECTED}, None),
        (_nested_row(300), "JSONL: deeply nested", {REJECTED}, None),
        (b'{"title": "No text here"}', "JSONL: missing field", {REJECTED}, None),
        (b'{"title": "Null", "text": null}', "JSONL: null field", {REJECTED}, None),
        (b'{"title": "Num", "text": 12345}', "JSONL: wrong-typed field", {REJECTED}, None),
        (
            _row("tapir", id="j-2", title=["a", "list"]),
            "JSONL: wrong-typed field",
            {REJECTED, INDEXED},
            None,
        ),
        (
            _row("dugong", id="j-3", date=20240101, outlet=None),
            "JSONL: wrong-typed field",
            {REJECTED, INDEXED},
            None,
        ),
        (
            _row("okapi", id="j-4", colour="blue", extra={"x": 1}),
            "JSONL: unknown fields",
            {INDEXED},
            "okapi",
        ),
        (_row("quetzal", id="j-1"), "duplicate id", {DUPLICATE}, None),
        (b"[1, 2, 3]", "JSONL: not an object", {REJECTED}, None),
        (b'"just a string"', "JSONL: not an object", {REJECTED}, None),
        (
            _row("caracal", id="j-5").replace(b"caracal", b"carac\xe1l"),
            "JSONL: latin-1 line",
            {INDEXED, REJECTED},
            None,
        ),
    ]
    lines = [raw for raw, *_ in rows]
    data = b"\n".join(lines[:3]) + b"\n\n\n" + b"\n".join(lines[3:])
    data += b"\n" + _row("truncated", id="j-9")[:40]  # the last line ends mid-object
    (folder / "rows.jsonl").write_bytes(data)
    numbers = [1, 2, 3, *range(6, 6 + len(rows) - 3)]
    for (_raw, category, outcomes, word), number in zip(rows, numbers, strict=True):
        add(category, folder / "rows.jsonl", outcomes, line=number, word=word)
    add("JSONL: truncated", folder / "rows.jsonl", {REJECTED}, line=numbers[-1] + 1)
    text_file("empty.jsonl", b"", "JSONL: empty", {REJECTED})
    text_file("broken.json", b'{"title": "x", "text": ', "JSON: broken", {REJECTED})

    same = _good_text("quokka").encode()
    text_file("zz-copy-of-good.txt", same, "duplicate text", {DUPLICATE})
    link = folder / "dangling.txt"
    link.symlink_to(folder / "does-not-exist.txt")
    add("dangling symlink", link, {REJECTED})
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    add("symlink loop", folder / "loop-a.txt", {REJECTED})
    add("symlink loop", folder / "loop-b.txt", {REJECTED})
    sub = folder / "nested"
    sub.mkdir()
    (sub / "back-to-parent").symlink_to(folder, target_is_directory=True)  # not an input
    text_file("nested/inner.txt", _good_text("gharial").encode(), "good", {INDEXED}, "gharial")
    locked = text_file(
        "unreadable.txt", _good_text("ocelot").encode(), "unreadable file", {REJECTED}
    )
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads anything: the file is simply an article
        out[-1] = replace(out[-1], outcomes=frozenset({INDEXED}), word="ocelot")
    os.mkfifo(folder / "pipe.txt")
    add("FIFO", folder / "pipe.txt", {REJECTED})
    bad_name = Path(os.fsdecode(bytes(folder) + b"/caf\xe9-name.txt"))
    bad_name.write_bytes(_good_text("margay").encode())
    add("non-UTF-8 file name", bad_name, {REJECTED, INDEXED})
    return out


def _row(word: str, **fields: Any) -> bytes:
    row = {"title": f"Row about {word}", "text": _good_text(word).split("\n\n", 1)[1], **fields}
    return json.dumps(row, ensure_ascii=False).encode()


def _nested_row(depth: int) -> bytes:
    return b'{"title": "deep", "text": ' + b'{"a": ' * depth + b"1" + b"}" * depth + b"}"


def write_long_line(path: Path, size: int = 5 * 2**20) -> Path:
    """One text file whose article body is a single line of `size` bytes of prose."""
    rng = random.Random(5)
    words = " ".join(rng.choice(_NOUNS + _FILLER) for _ in range(size // 5))
    path.write_text("A very long line\n\n" + words[:size] + "\n", encoding="utf-8")
    return path


@dataclass(slots=True)
class Accounting:
    """Every expected input sorted into what became of it."""

    outcomes: dict[str, Counter[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, category: str, outcome: str) -> None:
        self.outcomes.setdefault(category, Counter())[outcome] += 1

    @property
    def lost(self) -> int:
        return sum(c["lost"] for c in self.outcomes.values())


def read_errors(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def indexed_sources(index: Any) -> dict[str, str]:
    """Source (`file` or `file:line`) -> article id, for every article in the index."""
    from index.types import SearchRequest

    result = index.search(SearchRequest("", limit=1000, with_facets=False))
    out: dict[str, str] = {}
    for hit in result.articles:
        view = index.article(hit.id)
        if view is not None:
            out[view.article.source] = hit.id
    return out


def account(expected: Sequence[Expected], errors_path: Path, index: Any) -> Accounting:
    """What each expected input became: indexed, rejected, duplicate, or lost."""
    errors: dict[tuple[str, int | None], dict[str, Any]] = {}
    for logged in read_errors(errors_path):
        errors[(logged["file"], logged.get("line"))] = logged
    sources = indexed_sources(index)
    tally = Accounting()
    for item in expected:
        key = item.source if item.line is None else f"{item.source}:{item.line}"
        row = errors.get((item.source, item.line)) or errors.get((key, None))
        if key in sources:
            outcome = INDEXED
        elif row is not None:
            outcome = DUPLICATE if row.get("status") == "duplicate" else REJECTED
            if not str(row.get("reason", "")).strip():
                tally.problems.append(f"{key}: rejected without a reason")
        else:
            outcome = "lost"
        if outcome not in item.outcomes:
            tally.problems.append(f"{item.category} {key}: {outcome}, expected {item.outcomes}")
        tally.add(item.category, outcome)
    return tally


# ---------------------------------------------------------------------------------------
# Query fuzzing: hostile text, random filters, and what every answer must satisfy.

_SYNTAX = (
    *_words("AND OR NOT ANDNOT ANDMAYBE ( ) \" ' * ? ~ ^ + - : [ ] { } TO < > = \\ / ! && ||"),
    *_words("“ ” ‘ ’ « » „"),
)
_FIELDS = _words(
    """title text speaker outlet topic byline cue mention id data f_outlet f_speaker f_day
    date nosuchfield x _ ÄÖÜ"""
)
_QUERY_WORDS = _words(
    """border said migrant caravan Mexico López lopez Kirby harbour budget vote we the a
    Biden president zeppelin pension"""
)


def _random_unicode(rng: random.Random, length: int) -> str:
    chars: list[str] = []
    for _ in range(length):
        block = rng.random()
        if block < 0.3:
            chars.append(chr(rng.randint(0x20, 0x7E)))
        elif block < 0.5:
            chars.append(chr(rng.randint(0, 0x1F)))  # control characters
        elif block < 0.6:
            chars.append(chr(rng.randint(0xD800, 0xDFFF)))  # lone surrogates (argv bytes)
        elif block < 0.7:
            chars.append(rng.choice("\u200b\u200e\u202e\ufeff\u2028\u2029\x85\xa0\u0301"))
        else:
            chars.append(chr(rng.randint(0xA0, 0x10FFFF)))
    return "".join(chars)


_KIND_WEIGHTS = (1, 1, 1, 1, 1, 0.3, 0.3, 1, 1, 1, 1, 1)  # long queries cost ~8x: fewer


def hostile_query(rng: random.Random) -> str:
    """One random query from a mix of sane, malformed and outright hostile kinds."""
    kind = rng.choices(range(12), weights=_KIND_WEIGHTS)[0]
    if kind == 0:
        return " ".join(rng.choices(_QUERY_WORDS, k=rng.randint(1, 4)))
    if kind == 1:  # random syntax soup
        return " ".join(rng.choice(_SYNTAX + _QUERY_WORDS) for _ in range(rng.randint(1, 12)))
    if kind == 2:  # unbalanced quotes and parentheses
        return rng.choice(['"', "(", ")", "“", "”", "'"]) * rng.randint(1, 5) + rng.choice(
            _QUERY_WORDS
        )
    if kind == 3:  # a lone operator or wildcard
        return rng.choice(["AND", "OR", "NOT", "*", "?", "-", "+", "NOT *", "* OR *", "~", ""])
    if kind == 4:  # field:value, known and unknown fields
        value = rng.choice([*_QUERY_WORDS, "", "*", "[a TO z]", "{2020 TO}", '"x y"', "(a OR"])
        return f"{rng.choice(_FIELDS)}:{value}"
    if kind == 5:  # 10,000 characters, with and without spaces
        return ((rng.choice(_QUERY_WORDS) + rng.choice(["", " "])) * 10_000)[:10_000]
    if kind == 6:
        return " ".join(rng.choices(_QUERY_WORDS, k=rng.randint(40, 300)))
    if kind == 7:
        return _random_unicode(rng, rng.randint(1, 40))
    if kind == 8:  # ranges, boosts, fuzzy, proximity, regex-like
        word = rng.choice(_QUERY_WORDS)
        return rng.choice(
            [f"{word}^{rng.randint(-5, 1000)}", f"{word}~{rng.randint(0, 9)}",
             f'"{word} {rng.choice(_QUERY_WORDS)}"~{rng.randint(-2, 50)}', f"{word[:2]}*",
             f"*{word[-2:]}", f"title:[{word} TO {rng.choice(_QUERY_WORDS)}]", f"r/{word}.*/",
             f"{word}?{word}", f"date:>{rng.randint(0, 3000)}", "text:*", "*:*"]
        )  # fmt: skip
    if kind == 9:  # deep nesting
        depth = rng.choice([50, 500, 5000])
        return "(" * depth + rng.choice(_QUERY_WORDS) + ")" * rng.choice([0, depth])
    if kind == 10:  # curly quotes pasted from a phone
        a, b, c = rng.choices(_QUERY_WORDS, k=3)
        return f"“{a} {b}” AND ‘{c}’"
    return "".join(
        rng.choice(_SYNTAX + _QUERY_WORDS + ("\x00", "\t", "\n", " ")) for _ in range(20)
    )


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Facet values of the index being fuzzed, so filters sometimes match something."""

    speakers: tuple[str, ...]
    outlets: tuple[str, ...]
    topics: tuple[str, ...]


def vocabulary(index: Any) -> Vocabulary:
    from index.types import SearchRequest

    result = index.search(SearchRequest("", facet_limit=1000))
    values = {f.name: tuple(v.value for v in f.values) for f in result.facets}
    names = tuple(s.name for s in index.speakers())
    return Vocabulary(
        values.get("speaker", ()) + names, values.get("outlet", ()), values.get("topic", ())
    )


def _some(rng: random.Random, known: tuple[str, ...]) -> tuple[str, ...]:
    if rng.random() < 0.6 or not known:
        return ()
    picks = [rng.choice(known) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.2:
        picks.append(rng.choice(["", "  ", "nobody", "ünknown", "*", hostile_query(rng)]))
    if rng.random() < 0.1:
        picks = [p.upper() for p in picks]
    return tuple(picks)


def _date(rng: random.Random) -> str | None:
    if rng.random() < 0.7:
        return None
    return rng.choice(
        ["2023", "2023-12", "2023-12-26", "2024-02-30", "2023-13", "abc", "", "0000",
         "99999", "2021-06-15", "2019", "12/26/2023", "\x00", "2023-12-26T10:00"]
    )  # fmt: skip


def random_request(rng: random.Random, vocab: Vocabulary) -> Any:
    from index.types import SearchRequest

    return SearchRequest(
        text=hostile_query(rng) if rng.random() < 0.9 else "",
        target=rng.choice(["articles", "quotes"]),
        speakers=_some(rng, vocab.speakers),
        outlets=_some(rng, vocab.outlets),
        topics=_some(rng, vocab.topics),
        date_from=_date(rng),
        date_to=_date(rng),
        sort=rng.choice(["relevance", "date", "date_asc"]),
        limit=rng.choice([0, 1, 5, 20, 1000, -3, 10**9]),
        offset=rng.choice([0, 0, 0, 1, 3, 50, -1, 10**9]),
        facet_limit=rng.choice([30, 30, 1, 0, 1000, -1]),
        with_facets=rng.random() < 0.9,
        speech_only=rng.random() < 0.7,
    )


SINGLE_VALUED = ("outlet",)


def check_result(index: Any, request: Any, result: Any, rng: random.Random) -> list[str]:
    """Everything that must hold between a request, its answer and its facet counts."""
    problems: list[str] = []
    hits = result.quotes if request.target == "quotes" else result.articles
    other = result.articles if request.target == "quotes" else result.quotes
    limit = max(0, min(request.limit, 1000))
    offset = max(0, request.offset)
    if other:
        problems.append("hits of the wrong target")
    if len(hits) != max(0, min(limit, result.total - offset)):
        problems.append(
            f"{len(hits)} hits for total {result.total}, offset {offset}, limit {limit}"
        )
    if len({h.id for h in hits}) != len(hits):
        problems.append("a hit repeats")
    if request.with_facets:
        for facet in result.facets:
            counts = [v.count for v in facet.values]
            if any(c <= 0 or c > result.total for c in counts):
                problems.append(f"{facet.name}: a count outside 1..{result.total}: {counts}")
            if facet.name in SINGLE_VALUED and sum(counts) > result.total:
                problems.append(f"{facet.name}: counts sum above the total")
            if facet.name in SINGLE_VALUED and facet.other == 0 and sum(counts) != result.total:
                problems.append(f"{facet.name}: counts sum {sum(counts)} != total {result.total}")
        outlet = result.facet("outlet")
        shown = (
            {v.value for v in outlet.values} if outlet is not None and not outlet.other else None
        )
        for hit in hits:
            if shown is not None and hit.outlet not in shown:
                problems.append(f"hit outlet {hit.outlet!r} missing from the outlet facet")
        problems.extend(_drill_down(index, request, result, rng))
    if request.target == "quotes" and request.speech_only and any(not q.speech for q in hits):
        problems.append("non-speech quote with speech_only")
    return problems


def _drill_down(index: Any, request: Any, result: Any, rng: random.Random) -> list[str]:
    """Filtering by one shown facet value must return exactly that value's count."""
    choices = [
        (facet, value)
        for facet in result.facets
        for value in facet.values
        if not getattr(request, facet.name + "s")
    ]
    if not choices:
        return []
    facet, value = rng.choice(choices)
    narrowed = replace(request, **{facet.name + "s": (value.value,)}, with_facets=False)
    total = index.search(narrowed).total
    if total != value.count:
        return [f"{facet.name}={value.value!r}: facet says {value.count}, filter gives {total}"]
    return []


@dataclass(slots=True)
class FuzzReport:
    queries: int = 0
    exceptions: int = 0
    inconsistent: int = 0
    samples: list[str] = field(default_factory=list)
    seconds: float = 0.0


def fuzz_requests(index: Any, count: int, seed: int = 0) -> FuzzReport:
    """Send `count` random hostile requests; count exceptions and inconsistent answers."""
    rng = random.Random(seed)
    vocab = vocabulary(index)
    report = FuzzReport()
    started = time.perf_counter()
    for _ in range(count):
        request = random_request(rng, vocab)
        report.queries += 1
        try:
            result = index.search(request)
            problems = check_result(index, request, result, rng)
        except Exception as exc:  # the figure this counts must be zero
            report.exceptions += 1
            if len(report.samples) < 10:
                report.samples.append(f"{type(exc).__name__}: {exc} for {request!r:.300}")
            continue
        if problems:
            report.inconsistent += 1
            if len(report.samples) < 10:
                report.samples.append(f"{problems[0]} for {request!r:.300}")
    report.seconds = time.perf_counter() - started
    return report


# ---------------------------------------------------------------------------------------
# Snapshots: the answers a fixed query set gets, to compare an index before and after.


def snapshot_requests() -> list[Any]:
    from index.types import SearchRequest

    return [
        SearchRequest(""),
        SearchRequest("said"),
        SearchRequest("border migrants"),
        SearchRequest(V2_MARKER),
        SearchRequest("", target="quotes"),
        SearchRequest("winter", target="quotes"),
        SearchRequest("", outlets=("Reuters", "BBC News")),
        SearchRequest("vote", date_from="2021", date_to="2023-06"),
        SearchRequest("", target="quotes", speakers=("kirby",)),
        SearchRequest("harbour OR pension", sort="date"),
    ]


Snapshot = tuple[Any, ...]


def snapshot(index: Any) -> Snapshot:
    """Totals, hit ids and facet counts of every snapshot request, and the index size."""
    rows: list[Any] = []
    for request in snapshot_requests():
        result = index.search(replace(request, limit=1000))
        hits = result.quotes if request.target == "quotes" else result.articles
        facets = tuple(
            (f.name, tuple(sorted((v.value, v.count) for v in f.values))) for f in result.facets
        )
        rows.append((request.text, result.total, tuple(sorted(h.id for h in hits)), facets))
    stats = index.stats()
    rows.append(("stats", stats.articles, stats.quotes, stats.speakers))
    return tuple(rows)


def open_snapshot(index_path: Path) -> Snapshot:
    from index.search import open_index

    index = open_index(index_path)
    try:
        return snapshot(index)
    finally:
        index.close()


# ---------------------------------------------------------------------------------------
# Kill points: a build in a child process that kills itself at a chosen call.


@dataclass(frozen=True, slots=True)
class KillPoint:
    """SIGKILL the build at the `nth` call of `target` (`module:attr.path`), before or after.

    `match` restricts counting to calls whose last positional argument's file name
    matches it in full (for `os:replace`). `swapped` says whether the new generation is
    live by then; `cold` runs the build without the v2 extractions cached, so NLP runs.
    """

    name: str
    target: str
    nth: int = 1
    when: str = "before"
    match: str | None = None
    swapped: bool = False
    cold: bool = False

    def env(self, action: str = "kill", marker: Path | None = None) -> dict[str, str]:
        spec = {
            "target": self.target,
            "nth": self.nth,
            "when": self.when,
            "match": self.match,
            "action": action,
            "marker": str(marker) if marker else None,
        }
        return {HOOK_ENV: json.dumps(spec)}


KILL_POINTS: tuple[KillPoint, ...] = (
    KillPoint("extraction: 3rd article decoded", "archive.pipeline:decode_result", 3, cold=True),
    KillPoint(
        "extraction: inside the 2nd NLP batch",
        "archive.pipeline:extract_batch",
        2,
        "after",
        cold=True,
    ),
    KillPoint("records: 5th shard row written", "archive.records:ShardWriter.write", 5, "after"),
    KillPoint("records: before records.next is published", "archive.records:ShardWriter.commit"),
    KillPoint(
        "records: records.next published, not indexed",
        "archive.records:ShardWriter.commit",
        1,
        "after",
    ),
    KillPoint("indexing: speakers canonicalised, no generation yet", "index.rebuild:build_index"),
    KillPoint("indexing: 4th article prepared", "index.build:prepare", 4),
    KillPoint("indexing: before the Whoosh commit", "index.build:_Writers.commit"),
    KillPoint(
        "indexing: after the Whoosh commit, no meta", "index.build:_Writers.commit", 1, "after"
    ),
    KillPoint(
        "generation: fingerprints written, meta not yet", "index.store:write_json", 2, "after"
    ),
    KillPoint(
        "generation: records moved in, errors.jsonl not yet", "os:replace", 1, "after", "records"
    ),
    KillPoint("publish: before fsync", "index.store:fsync_tree"),
    KillPoint(
        "publish: generation renamed, CURRENT not swapped", "os:replace", 1, "after", r"gen-\d+"
    ),
    KillPoint("publish: CURRENT.tmp written, not swapped", "os:replace", 1, "before", "CURRENT"),
    KillPoint(
        "swap: right after the CURRENT swap", "os:replace", 1, "after", "CURRENT", swapped=True
    ),
    KillPoint(
        "swap: during the clean-up of old generations", "index.store:remove_stale", 2, swapped=True
    ),
    KillPoint(
        "swap: before the readable errors.jsonl copy is refreshed",
        "index.rebuild:_copy_errors",
        swapped=True,
    ),
)
QUICK_KILL_POINTS = tuple(
    p
    for p in KILL_POINTS
    if p.name.startswith(("extraction: 3rd", "publish: generation", "swap: right"))
)


def _resolve(target: str) -> tuple[Any, str]:
    module_name, _, attr_path = target.partition(":")
    owner: Any = importlib.import_module(module_name)
    *parents, attr = attr_path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    return owner, attr


def install_hook(spec: dict[str, Any]) -> None:
    """Wrap the target so its nth matching call kills, interrupts or pauses this process."""
    owner, attr = _resolve(spec["target"])
    original: Callable[..., Any] = getattr(owner, attr)
    pattern = re.compile(spec["match"]) if spec.get("match") else None
    calls = 0

    def fire() -> None:
        if spec.get("action") == "pause":
            marker = Path(spec["marker"])
            marker.write_text(str(os.getpid()), encoding="utf-8")
            release = marker.with_name(marker.name + ".release")
            deadline = time.monotonic() + 120
            while not release.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            return
        if spec.get("action") == "interrupt":  # Ctrl-C: Python raises KeyboardInterrupt
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.5)  # the signal lands at the next bytecode boundary
            return
        os.kill(os.getpid(), signal.SIGKILL)

    def hooked(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        counted = pattern is None or (
            bool(args) and pattern.fullmatch(os.path.basename(os.fspath(args[-1]))) is not None
        )
        calls += counted
        hit = counted and calls == spec["nth"]
        if hit and spec["when"] == "before":
            fire()
        result = original(*args, **kwargs)
        if hit and spec["when"] == "after":
            fire()
        return result

    setattr(owner, attr, hooked)


def drive(argv: Sequence[str]) -> int:
    """`whosaid ARGV` with the hook from the environment installed: the kill-point child."""
    raw = os.environ.get(HOOK_ENV)
    if raw:
        install_hook(json.loads(raw))
    from tui.cli import main as whosaid

    return whosaid(list(argv))


def build_command(corpus: Path, index_path: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "bench.reliability", "drive", "build", str(corpus),
        "--index", str(index_path), "--processes", "1", "--batch-size", "2", *extra,
    ]  # fmt: skip


def run_child(
    command: Sequence[str], env: dict[str, str] | None = None, kill_after: float | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a build child; with `kill_after`, SIGKILL it from outside after that many seconds.

    Output goes to files, not pipes: worker processes orphaned by a kill would hold a
    pipe open forever, and reading it would hang.
    """
    import tempfile

    full_env = {k: v for k, v in os.environ.items() if k != HOOK_ENV}
    full_env.update({"PYTHONPATH": str(REPO), **(env or {})})
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(list(command), cwd=REPO, env=full_env, stdout=out, stderr=err)
        try:
            proc.wait(timeout=kill_after if kill_after is not None else 300)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(list(command), proc.returncode, out.read(), err.read())


LEFTOVERS = (
    "gen-*.tmp", "records.next*", "records.tmp", "records.old", "CURRENT.tmp", "errors.jsonl.*",
)  # fmt: skip


def leftovers(index_path: Path) -> list[str]:
    """Temporary folders and files a finished build must not leave behind."""
    return sorted(p.name for pattern in LEFTOVERS for p in index_path.glob(pattern))


@dataclass(frozen=True, slots=True)
class KillFixture:
    """A v1 index to copy before each kill, and the snapshots of v1 and v2."""

    v1: Path
    v2: Path
    cold_template: Path  # v1 index, cache holding only v1
    warm_template: Path  # v1 index, cache holding v1 and v2
    snap_v1: Snapshot
    snap_v2: Snapshot


def prepare_kill_fixture(workdir: Path) -> KillFixture:
    """Build v1 once, then v2 on a copy, so both answers are known before anything dies."""
    from archive.pipeline import ExtractOptions
    from index.rebuild import build_archive

    options = ExtractOptions(processes=1)
    v1 = write_corpus(workdir / "corpus-v1", 1)
    v2 = write_corpus(workdir / "corpus-v2", 2)
    cold = workdir / "cold"
    report = build_archive([v1], cold, options=options)
    if report.duplicates or report.rejected != 1:
        raise RuntimeError(f"the synthetic corpus is not clean: {report.rejections[:3]}")
    snap_v1 = open_snapshot(cold)
    scratch = workdir / "scratch"
    shutil.copytree(cold, scratch, symlinks=True)
    build_archive([v2], scratch, options=options)
    snap_v2 = open_snapshot(scratch)
    warm = workdir / "warm"
    shutil.copytree(cold, warm, symlinks=True)
    for name in os.listdir(scratch):  # the cache now holds v1 and v2 extractions
        if name.startswith("cache.sqlite"):
            shutil.copy2(scratch / name, warm / name)
    shutil.rmtree(scratch)
    return KillFixture(v1, v2, cold, warm, snap_v1, snap_v2)


@dataclass(frozen=True, slots=True)
class KillOutcome:
    name: str
    died: bool  # the child was killed (by its hook or from outside)
    swapped: bool  # the new generation was live after the kill
    problems: tuple[str, ...]


def try_kill_point(fixture: KillFixture, point: KillPoint, workdir: Path) -> KillOutcome:
    """Copy the v1 index, kill a v2 build at `point`, check the index, then rebuild it."""
    index_path = workdir / "index"
    template = fixture.cold_template if point.cold else fixture.warm_template
    shutil.copytree(template, index_path, symlinks=True)
    child = run_child(build_command(fixture.v2, index_path), point.env())
    died = child.returncode == -signal.SIGKILL
    problems: list[str] = []
    if not died:
        problems.append(f"hook never fired: exit {child.returncode}: {child.stderr[-300:]}")
    problems.extend(check_after_kill(fixture, index_path, swapped=point.swapped))
    return KillOutcome(point.name, died, point.swapped, tuple(problems))


def try_timed_kill(fixture: KillFixture, delay: float, workdir: Path) -> KillOutcome:
    """Kill a cold v2 build from outside after `delay` seconds, wherever it is."""
    index_path = workdir / "index"
    shutil.copytree(fixture.cold_template, index_path, symlinks=True)
    before = (index_path / "CURRENT").read_text(encoding="utf-8")
    child = run_child(build_command(fixture.v2, index_path), kill_after=delay)
    swapped = (index_path / "CURRENT").read_text(encoding="utf-8") != before
    problems = check_after_kill(fixture, index_path, swapped=swapped)
    return KillOutcome(f"timed kill after {delay:.1f}s", child.returncode != 0, swapped, problems)


def _logged(index_path: Path) -> list[str]:
    path = index_path / "errors.jsonl"
    return [row["file"] for row in read_errors(path)] if path.is_file() else []


def check_after_kill(fixture: KillFixture, index_path: Path, *, swapped: bool) -> tuple[str, ...]:
    """The live index answers as v1 (or v2 once swapped); the next build succeeds and cleans."""
    from archive.pipeline import ExtractOptions
    from index import store
    from index.rebuild import build_archive

    problems: list[str] = []
    live = store.current_generation(index_path)
    if live is None or not (live / store.META).is_file():
        return (f"no complete live generation: CURRENT names {live}",)
    expected = fixture.snap_v2 if swapped else fixture.snap_v1
    if not swapped and _logged(index_path) != [str(fixture.v1 / EMPTY_INPUT)]:
        problems.append(f"errors.jsonl no longer lists the live build's: {_logged(index_path)}")
    try:
        if open_snapshot(index_path) != expected:
            problems.append(f"live index does not answer as {'v2' if swapped else 'v1'}")
    except Exception as exc:  # any failure to answer is what this check looks for
        problems.append(f"live index fails: {type(exc).__name__}: {exc}")
    try:
        report = build_archive([fixture.v2], index_path, options=ExtractOptions(processes=1))
    except Exception as exc:
        return (*problems, f"next build fails: {type(exc).__name__}: {exc}")
    if report.inputs != report.articles + report.duplicates + report.rejected:
        problems.append("next build's counts do not add up")
    if open_snapshot(index_path) != fixture.snap_v2:
        problems.append("next build does not answer as v2")
    if _logged(index_path) != [str(fixture.v2 / EMPTY_INPUT)]:
        problems.append(f"errors.jsonl after the next build: {_logged(index_path)}")
    if left := leftovers(index_path):
        problems.append(f"next build left {left}")
    if len(store.generation_numbers(index_path)) > 2:
        problems.append(f"more than two generations: {store.generation_numbers(index_path)}")
    return tuple(problems)


# ---------------------------------------------------------------------------------------
# The report.


def _print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    print(f"\n{title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")


def inputs_figures(workdir: Path) -> Accounting:
    from archive.pipeline import ExtractOptions
    from index.rebuild import build_archive
    from index.search import open_index

    expected = write_bad_inputs(workdir / "bad")
    index_path = workdir / "bad-index"
    report = build_archive([workdir / "bad"], index_path, options=ExtractOptions(processes=1))
    index = open_index(index_path)
    try:
        tally = account(expected, Path(report.errors_path), index)
    finally:
        index.close()
    if report.inputs != report.articles + report.duplicates + report.rejected:
        tally.problems.append("inputs != indexed + duplicates + rejected")
    if report.inputs != len(expected):
        tally.problems.append(f"{report.inputs} inputs counted, {len(expected)} expected")
    return tally


def kill_figures(fixture: KillFixture, workdir: Path, quick: bool) -> list[KillOutcome]:
    outcomes: list[KillOutcome] = []
    points = QUICK_KILL_POINTS if quick else KILL_POINTS
    for n, point in enumerate(points):
        outcomes.append(try_kill_point(fixture, point, workdir / f"kill-{n}"))
    for n, delay in enumerate(() if quick else (2.0, 4.0)):
        outcomes.append(try_timed_kill(fixture, delay, workdir / f"timed-{n}"))
    return outcomes


def fuzz_figures(fixture: KillFixture, workdir: Path, count: int) -> FuzzReport:
    """Fuzz the seed index; its extractions come from the fixture's cache, so no NLP runs."""
    from archive.pipeline import ExtractOptions
    from index.rebuild import build_archive
    from index.search import open_index

    index_path = workdir / "seed-index"
    index_path.mkdir(parents=True)
    for name in os.listdir(fixture.cold_template):
        if name.startswith("cache.sqlite"):
            shutil.copy2(fixture.cold_template / name, index_path / name)
    build_archive([SEEDS], index_path, options=ExtractOptions(processes=1))
    index = open_index(index_path)
    try:
        return fuzz_requests(index, count, seed=7)
    finally:
        index.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["drive"]:
        return drive(args[1:])
    parser = argparse.ArgumentParser(prog="python -m bench.reliability", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="CI size: under a minute")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    options = parser.parse_args(args)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="whosaid-reliability-") as tmp:
        workdir = options.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        return _report(workdir, options.quick)


def _report(workdir: Path, quick: bool) -> int:
    started = time.perf_counter()
    tally = inputs_figures(workdir)
    rows = [
        (cat, sum(c.values()), c[INDEXED], c[DUPLICATE], c[REJECTED], c["lost"])
        for cat, c in sorted(tally.outcomes.items())
    ]
    total = Counter[str]()
    for c in tally.outcomes.values():
        total.update(c)
    rows.append(("**all**", sum(total.values()), total[INDEXED], total[DUPLICATE],
                 total[REJECTED], total["lost"]))  # fmt: skip
    _print_table(
        "Inputs (every bad-input kind in one build)",
        ("category", "inputs", "indexed", "duplicate", "rejected with a reason", "lost"),
        rows,
    )
    for problem in tally.problems:
        print(f"- problem: {problem}")
    fixture = prepare_kill_fixture(workdir / "kill")
    kills = kill_figures(fixture, workdir, quick)
    survived = sum(1 for k in kills if not k.problems)
    _print_table(
        f"Kill points: {len(kills)} tried, {survived} survived",
        ("kill point", "killed", "new generation live", "survived"),
        [
            (k.name, k.died, k.swapped, "yes" if not k.problems else "; ".join(k.problems))
            for k in kills
        ],
    )
    fuzz = fuzz_figures(fixture, workdir, 1000 if quick else 10_000)
    _print_table(
        "Query fuzzing on the seed index",
        ("queries", "exceptions", "inconsistent facet counts", "seconds"),
        [(fuzz.queries, fuzz.exceptions, fuzz.inconsistent, f"{fuzz.seconds:.1f}")],
    )
    for sample in fuzz.samples:
        print(f"- {sample}")
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    failed = tally.lost or tally.problems or survived < len(kills) or fuzz.exceptions
    return 1 if failed or fuzz.inconsistent else 0


if __name__ == "__main__":
    sys.exit(main())
