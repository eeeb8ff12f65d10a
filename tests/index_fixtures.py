"""Synthetic extraction records for index tests: no spaCy, deterministic, any size.

`small_archive()` is a handful of hand-written articles whose content tests can reason
about; `random_archive(n)` adds volume with a seeded generator for facet and speed tests.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from archive.models import Article, Entity, Extraction, Quote, Speaker
from archive.records import StoredRecord
from archive.text import slug
from index.build import build_index
from index.types import IndexStats

MODEL = "synthetic-model"
EXTRACTOR = "test-1"


@dataclass(frozen=True)
class Archive:
    extractions: tuple[Extraction, ...]
    speakers: tuple[Speaker, ...]

    def speaker_of(self) -> Callable[[str, int], str | None]:
        """Canonical id by entity name, the way the speakers stage resolves them."""
        by_article = {e.article.id: e for e in self.extractions}
        known = {s.id for s in self.speakers}

        def resolve(article_id: str, entity: int) -> str | None:
            ext = by_article.get(article_id)
            if ext is None or not 0 <= entity < len(ext.entities):
                return None
            sid = slug(ext.entities[entity].name)
            return sid if sid in known else None

        return resolve


def _article(
    aid: str,
    title: str,
    paragraphs: Sequence[tuple[str, str | None]],
    *,
    outlet: str,
    date: str | None,
    topics: tuple[str, ...],
    entities: tuple[Entity, ...],
    byline: str | None = None,
) -> Extraction:
    """Paragraphs are (quoted words, speaker name or None); quotes get real offsets."""
    text_parts: list[str] = []
    quotes: list[Quote] = []
    offset = 0
    names = [e.name for e in entities]
    for words, speaker in paragraphs:
        lead = f"{speaker} said: " if speaker else "A banner read "
        start = offset + len(lead) + 1
        para = f"{lead}“{words}” in a statement."
        quotes.append(
            Quote(
                text=words,
                start=start,
                end=start + len(words),
                speech=speaker is not None,
                speaker_mention=speaker,
                entity=names.index(speaker) if speaker in names else None,
                cue="said" if speaker else None,
                how="direct" if speaker else "none",
                topics=topics[:1],
            )
        )
        text_parts.append(para)
        offset += len(para) + 2
    text = "\n\n".join(text_parts)
    article = Article(
        id=aid, title=title, text=text, outlet=outlet, byline=byline, date=date, url=None
    )
    return Extraction(
        article=article,
        quotes=tuple(quotes),
        entities=entities,
        topics=topics,
        model=MODEL,
        extractor=EXTRACTOR,
    )


AMLO = Entity("Andrés Manuel López Obrador", "person", ("López Obrador",), ("president",))
VILLAGRAN = Entity("Luis García Villagrán", "person", ("Villagrán",), ("activist",))
KIRBY = Entity("John Kirby", "person", ("Kirby",), ("spokesman",))
WHITE_HOUSE = Entity("White House", "organisation")
OBREGON = Entity("Álvaro Obregón", "person")


def small_archive() -> Archive:
    extractions = (
        _article(
            "a1",
            "Migrants march toward the border",
            [
                ("We will keep walking north until the border opens", "Luis García Villagrán"),
                ("The caravan is a humanitarian crisis", "Andrés Manuel López Obrador"),
                ("Exodus from poverty", None),
            ],
            outlet="New York Times",
            date="2023-12-26",
            topics=("immigration", "border security"),
            entities=(VILLAGRAN, AMLO),
            byline="Simon Romero",
        ),
        _article(
            "a2",
            "Kirby says talks with México continue",
            [
                ("We are grateful for the cooperation of the Mexican government", "John Kirby"),
                ("The president should begin to negotiate", "White House"),
            ],
            outlet="Wall Street Journal",
            date="2023-12-27",
            topics=("diplomacy", "border security"),
            entities=(KIRBY, WHITE_HOUSE),
        ),
        _article(
            "a3",
            "Obregón monument restored",
            [("This monument honours Obregón and his era", "Andrés Manuel López Obrador")],
            outlet="The Independent",
            date="2024-01-15",
            topics=("culture",),
            entities=(AMLO, OBREGON),
        ),
        _article(
            "a4",
            "Border funding vote delayed in Congress",
            [
                ("Funding for the border must come with reforms", "John Kirby"),
                ("Congress needs to act on aid", "John Kirby"),
            ],
            outlet="New York Times",
            date="2024-02",
            topics=("foreign aid", "elections"),
            entities=(KIRBY,),
        ),
        _article(
            "a5",
            "Undated letter from a reader",
            [("Nobody asked the towns along the river", None)],
            outlet="unknown",
            date=None,
            topics=(),
            entities=(),
        ),
    )
    return Archive(extractions, _speakers(extractions))


def _speakers(extractions: Sequence[Extraction]) -> tuple[Speaker, ...]:
    quotes: dict[str, int] = {}
    articles: dict[str, set[str]] = {}
    outlets: dict[str, set[str]] = {}
    entities: dict[str, Entity] = {}
    for ext in extractions:
        for quote in ext.quotes:
            if quote.entity is None:
                continue
            entity = ext.entities[quote.entity]
            sid = slug(entity.name)
            entities[sid] = entity
            quotes[sid] = quotes.get(sid, 0) + 1
            articles.setdefault(sid, set()).add(ext.article.id)
            outlets.setdefault(sid, set()).add(ext.article.outlet)
    return tuple(
        Speaker(
            id=sid,
            name=e.name,
            kind=e.kind,
            aliases=e.aliases,
            roles=e.roles,
            quote_count=quotes[sid],
            article_count=len(articles[sid]),
            outlets=tuple(sorted(outlets[sid])),
        )
        for sid, e in sorted(entities.items())
    )


_WORDS = tuple(
    " ".join(
        (
            "border wall migrant asylum policy vote senate congress funding aid war peace talks",
            "economy inflation market trade tariff election campaign poll court ruling judge law",
            "climate storm flood energy oil gas price school health hospital vaccine police crime",
            "city river town bridge farm worker union strike protest march caravan government",
            "minister president official spokesman agency report study data plan reform deal",
        )
    ).split(" ")
)
_FIRST = tuple(
    [
        "Ana",
        "Luis",
        "José",
        "María",
        "John",
        "Sarah",
        "Pedro",
        "Lucía",
        "Mark",
        "Chen",
        "Amara",
        "Raúl",
        "Inés",
        "Tom",
    ]
)
_LAST = tuple(
    [
        "García",
        "López",
        "Kirby",
        "Núñez",
        "Smith",
        "Obregón",
        "Müller",
        "Okafor",
        "Rossi",
        "Dubois",
        "Silva",
        "Ng",
    ]
)
_OUTLETS = ("New York Times", "Wall Street Journal", "The Independent", "El País", "Reuters")
_TOPICS = ("immigration", "border security", "diplomacy", "foreign aid", "elections", "economy")


def random_archive(n: int, seed: int = 7, quotes_per_article: int = 5) -> Archive:
    """`n` articles of plausible word soup with accented speakers, outlets, dates, topics."""
    rng = random.Random(seed)
    people = [Entity(f"{f} {last}", "person") for f in _FIRST for last in _LAST]
    extractions: list[Extraction] = []
    for i in range(n):
        cast = tuple(rng.sample(people, k=rng.randint(1, 3)))
        paragraphs: list[tuple[str, str | None]] = []
        for _ in range(rng.randint(0, quotes_per_article * 2)):
            words = " ".join(rng.choices(_WORDS, k=rng.randint(5, 20)))
            speaker = rng.choice(cast).name if rng.random() < 0.9 else None
            paragraphs.append((words, speaker))
        title = " ".join(rng.choices(_WORDS, k=5)).capitalize()
        year = rng.randint(2019, 2024)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        topics = tuple(sorted(set(rng.sample(_TOPICS, k=rng.randint(0, 3)))))
        extractions.append(
            _article(
                f"r{i:06d}",
                title,
                paragraphs,
                outlet=rng.choice(_OUTLETS),
                date=date if rng.random() < 0.95 else None,
                topics=topics,
                entities=cast,
            )
        )
    return Archive(tuple(extractions), _speakers(extractions))


def edited(archive: Archive, article_id: str, title: str) -> Archive:
    """The same archive with one article's title changed."""
    out = tuple(
        replace(e, article=replace(e.article, title=title)) if e.article.id == article_id else e
        for e in archive.extractions
    )
    return Archive(out, archive.speakers)


def build(path: Path, archive: Archive, **kw: Any) -> IndexStats:
    """`build_index` on a synthetic archive, with the test model and extractor version."""
    return build_index(
        path,
        map(StoredRecord.of, kw.pop("extractions", archive.extractions)),
        archive.speakers,
        archive.speaker_of(),
        model=MODEL,
        extractor_version=kw.pop("extractor_version", EXTRACTOR),
        **kw,
    )
