"""Score predicted quotes against gold rows, as ../shared/gold/README.md describes.

A prediction matches a gold quote of the same article when the token-set F1 of
their folded, punctuation-free texts is at least 0.6; each gold row and each
prediction match at most once (best pairs first). Speaker accuracy counts
matched gold rows with a `speaker_key`: right when the folded predicted name
contains the key.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from archive.text import fold

MATCH_F1 = 0.6
_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_NON_WORD = re.compile(r"[^\w\s]+|_")


@dataclass(frozen=True, slots=True)
class GoldQuote:
    article: str
    quote: str
    speech: bool
    speaker_key: str | None
    how: str


@dataclass(frozen=True, slots=True)
class Predicted:
    article: str
    quote: str
    speech: bool
    speaker: str | None


@dataclass(slots=True)
class Tally:
    gold: int = 0
    found: int = 0
    keyed: int = 0
    right: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.right / self.keyed if self.keyed else 0.0


@dataclass(slots=True)
class Score:
    predicted: int = 0
    true_positive: int = 0
    gold: int = 0
    keyed: int = 0
    right: int = 0
    by_how: dict[str, Tally] = field(default_factory=dict)
    misses: list[GoldQuote] = field(default_factory=list)
    false_positives: list[Predicted] = field(default_factory=list)
    wrong_speaker: list[tuple[GoldQuote, Predicted]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        found = sum(t.found for t in self.by_how.values())
        return found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.right / self.keyed if self.keyed else 0.0


def normalise_tokens(text: str) -> frozenset[str]:
    """Folded words with markdown link syntax and punctuation removed."""
    text = _MARKUP.sub(r"\1", text)
    return frozenset(_NON_WORD.sub(" ", fold(text)).split())


def token_f1(a: str, b: str) -> float:
    ta, tb = normalise_tokens(a), normalise_tokens(b)
    common = len(ta & tb)
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def _name_key(text: str) -> str:
    """Folded; apostrophes dropped (`O’Neill` -> `oneill`, as in gold keys), other marks spaced."""
    text = re.sub(r"['’`]", "", fold(text))
    return " ".join(_NON_WORD.sub(" ", text).split())


def speaker_right(key: str, speaker: str | None) -> bool:
    return speaker is not None and _name_key(key) in _name_key(speaker)


def load_gold(path: Path) -> list[GoldQuote]:
    rows: list[GoldQuote] = []
    for line in path.read_bytes().splitlines():
        if not line.strip():
            continue
        data: dict[str, Any] = orjson.loads(line)
        rows.append(
            GoldQuote(
                article=data["article"],
                quote=data["quote"],
                speech=bool(data.get("speech", True)),
                speaker_key=data.get("speaker_key"),
                how=str(data.get("how", "unknown")),
            )
        )
    return rows


def score(gold: Iterable[GoldQuote], predicted: Iterable[Predicted]) -> Score:
    """Match per article; predictions of non-speech count only when reported as speech."""
    gold_by: dict[str, list[GoldQuote]] = defaultdict(list)
    pred_by: dict[str, list[Predicted]] = defaultdict(list)
    for g in gold:
        gold_by[g.article].append(g)
    for p in predicted:
        if p.speech:
            pred_by[p.article].append(p)
    result = Score()
    for article in sorted(set(gold_by) | set(pred_by)):
        _score_article(gold_by.get(article, []), pred_by.get(article, []), result)
    return result


def _score_article(gold: list[GoldQuote], preds: list[Predicted], result: Score) -> None:
    result.predicted += len(preds)
    pairs = sorted(
        (
            (token_f1(g.quote, p.quote), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(preds)
        ),
        reverse=True,
    )
    gold_taken: dict[int, int] = {}
    pred_taken: set[int] = set()
    for f1, gi, pi in pairs:
        if f1 < MATCH_F1:
            break
        if gi in gold_taken or pi in pred_taken:
            continue
        gold_taken[gi] = pi
        pred_taken.add(pi)
    for gi, g in enumerate(gold):
        if not g.speech:
            continue
        result.gold += 1
        tally = result.by_how.setdefault(g.how, Tally())
        tally.gold += 1
        pi_match = gold_taken.get(gi)
        if pi_match is None:
            result.misses.append(g)
            continue
        tally.found += 1
        if g.speaker_key:
            tally.keyed += 1
            result.keyed += 1
            pred = preds[pi_match]
            if speaker_right(g.speaker_key, pred.speaker):
                tally.right += 1
                result.right += 1
            else:
                result.wrong_speaker.append((g, pred))
    for gi in gold_taken:
        if gold[gi].speech:
            result.true_positive += 1
    for pi, p in enumerate(preds):
        if pi not in pred_taken or any(
            not gold[gi].speech for gi, q in gold_taken.items() if q == pi
        ):
            result.false_positives.append(p)


def summary(result: Score) -> Mapping[str, float]:
    return {
        "precision": result.precision,
        "recall": result.recall,
        "f1": result.f1,
        "speaker_accuracy": result.speaker_accuracy,
    }
