"""The fast attribute step gives the full pipeline's annotations and the same extraction."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from archive.attributes import FastAttributes, lemma_of, parse
from archive.extract import extract_quotes
from archive.nlp import load_pipeline
from bench.quotes import load_articles

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "gold" / "news-dev"

# Text that exercises the ruler's two-token patterns and its dependency-based ones.
AWKWARD = [
    "I'm gonna say it: we ain't done, and let's be clear, I gotta go. But it works.",
    '"You can\'t do that," she said. It isn\'t over, they\'re saying; "we wanna win."',
    "Mr. O'Neill—who'd said 'no'—didn't. Dr. Smith  \n\n said: \"Yes.\"  The U.S.-led talks.",
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def _texts() -> list[str]:
    texts = [a.text for a in load_articles(ROOT / "seeds", True)] + AWKWARD
    if DEV.is_dir():
        texts += [a.text for a in load_articles(DEV / "articles", False)]
    return texts


def _annotations(doc: Doc) -> list[tuple[str, str, str, str, str, int]]:
    return [(t.pos_, t.tag_, t.dep_, str(t.morph), lemma_of(t), t.head.i) for t in doc]


def test_the_default_pipeline_qualifies(nlp: Language) -> None:
    fast = FastAttributes.replacing(nlp)
    assert fast is not None
    assert fast.skipped == ["attribute_ruler", "lemmatizer"]


def test_annotations_and_extraction_equal_the_full_pipeline(nlp: Language) -> None:
    texts = _texts()
    full = list(nlp.pipe(texts, batch_size=8))
    fast = list(parse(nlp, texts, batch_size=8))
    tokens = 0
    for text, a, b in zip(texts, full, fast, strict=True):
        assert _annotations(a) == _annotations(b), text[:80]
        assert extract_quotes(a) == extract_quotes(b), text[:80]
        tokens += len(a)
    assert tokens > 2_000


def test_lemmas_are_only_computed_when_read(nlp: Language) -> None:
    (doc,) = parse(nlp, ["The officials were saying nothing."], batch_size=1)
    said = doc[3]
    assert said.lemma == 0
    assert lemma_of(said) == "say"
    assert said.lemma_ == "say"


def test_an_unusual_pipeline_keeps_its_own_components(nlp: Language) -> None:
    import spacy

    blank = spacy.blank("en")
    assert FastAttributes.replacing(blank) is None
    (doc,) = parse(blank, ["Plain words."], batch_size=1)
    assert [t.text for t in doc] == ["Plain", "words", "."]
