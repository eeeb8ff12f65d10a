"""spaCy through numpy's BLAS gives the same annotations and quotes as through BLIS."""

from __future__ import annotations

import numpy
import pytest
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import NumpyOps

from archive import DEFAULT_MODEL
from archive.blas import NumpyBlasOps, use_numpy_blas
from archive.extract import extract_quotes
from archive.nlp import load_pipeline
from tests.test_attributes import _texts


def _layer_ops(nlp: Language) -> set[type]:
    models = [getattr(pipe, "model", None) for _, pipe in nlp.pipeline]
    return {type(node.ops) for model in models if model is not None for node in model.walk()}


@pytest.fixture(scope="module")
def with_blis() -> Language:
    import spacy

    return spacy.load(DEFAULT_MODEL)


def _annotations(doc: Doc) -> list[tuple[str, str, int, str, str]]:
    return [(t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc]


def test_the_loaded_pipeline_multiplies_through_numpy(with_blis: Language) -> None:
    assert _layer_ops(load_pipeline()) == {NumpyBlasOps}
    assert _layer_ops(with_blis) == {NumpyOps}


def test_annotations_and_quotes_equal_those_through_blis(with_blis: Language) -> None:
    texts = _texts()
    fast = list(load_pipeline().pipe(texts, batch_size=8))
    slow = list(with_blis.pipe(texts, batch_size=8))
    for text, a, b in zip(texts, fast, slow, strict=True):
        assert _annotations(a) == _annotations(b), text[:80]
        assert extract_quotes(a) == extract_quotes(b), text[:80]


def test_gather_add_sums_rows_like_thinc() -> None:
    rng = numpy.random.default_rng(7)
    table = rng.standard_normal((50, 8)).astype("float32")
    indices = rng.integers(0, 50, size=(30, 4)).astype("uint32")
    numpy.testing.assert_array_equal(
        NumpyBlasOps().gather_add(table, indices), NumpyOps().gather_add(table, indices)
    )


def test_other_ops_are_left_alone() -> None:
    import spacy

    class OtherOps(NumpyOps):  # type: ignore[misc]
        pass

    nlp = spacy.load(DEFAULT_MODEL, exclude=["ner", "parser", "lemmatizer", "attribute_ruler"])
    for _, pipe in nlp.pipeline:
        for node in getattr(pipe, "model").walk():  # noqa: B009  # typed as a bare callable
            node.ops = OtherOps()
    assert use_numpy_blas(nlp) == 0
    assert _layer_ops(nlp) == {OtherOps}
