"""Extracted quotes of real BBC articles as TSV: for reading by eye and for before/after diffs.

The quote benchmark scores the dev gold (US politics, 2016); this shows another
outlet's style (British, 2004-05), where no gold exists. Each line: article id,
speech flag, speaker (`None` when unresolved), how it was attributed, the quote's
first 70 characters. The summary (quotes, speech quotes, share with a speaker) goes
to stderr. Diff two runs to see what a change to the extractor did:

    python -m bench.review --articles 600 --out before.tsv
    ... change the extractor ...
    python -m bench.review --articles 600 --out after.tsv && diff before.tsv after.tsv
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from archive import DEFAULT_MODEL
from archive.attributes import parse
from archive.extract import extract_quotes
from archive.nlp import load_pipeline
from bench.common import OUT_DIR
from bench.corpus import DEFAULT_CACHE, CorpusError

_QUOTE_MARKS = ('"', "“")
BBC_SIZE = 2225  # the benchmark's 2.2k corpus: the BBC originals come first


@dataclass(frozen=True, slots=True)
class Summary:
    quotes: int
    speech: int
    attributed: int

    def describe(self) -> str:
        share = self.attributed / self.speech if self.speech else 0.0
        return (
            f"{self.quotes} quotes, {self.speech} speech, "
            f"{self.attributed} with a speaker ({share:.1%})"
        )


def quoting_articles(corpus: Path, limit: int) -> list[tuple[str, str]]:
    """The first `limit` articles of the corpus with a double quotation mark: (id, text)."""
    found: list[tuple[str, str]] = []
    with corpus.open("rb") as rows:
        for line in rows:
            row = orjson.loads(line)
            if any(mark in row["text"] for mark in _QUOTE_MARKS):
                found.append((row["id"], row["text"]))
                if len(found) == limit:
                    break
    return found


def review_lines(articles: Sequence[tuple[str, str]], model: str) -> Iterator[str]:
    nlp = load_pipeline(model)
    docs = parse(nlp, (text for _, text in articles), batch_size=16)
    for (article_id, _), doc in zip(articles, docs, strict=True):
        quotes, entities = extract_quotes(doc)
        for q in quotes:
            speaker = entities[q.entity].name if q.entity is not None else None
            yield f"{article_id}\t{q.speech}\t{speaker}\t{q.how}\t{q.text[:70]!r}"


def summarise(lines: Iterable[str]) -> Summary:
    quotes = speech = attributed = 0
    for line in lines:
        _, is_speech, speaker, *_ = line.split("\t")
        quotes += 1
        if is_speech == "True":
            speech += 1
            attributed += speaker != "None"
    return Summary(quotes, speech, attributed)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.review", description=__doc__)
    parser.add_argument("--articles", type=int, default=600, help="quoting articles to read")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "review.tsv")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args(argv)
    from bench.build import corpus_paths  # imports the build bench only when run

    try:
        corpus, _ = corpus_paths(BBC_SIZE, OUT_DIR, DEFAULT_CACHE)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    lines = list(review_lines(quoting_articles(corpus, args.articles), args.model))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    print(f"{args.out}: {summarise(lines).describe()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
