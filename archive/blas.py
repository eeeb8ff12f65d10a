"""Matrix products for spaCy through numpy's BLAS instead of thinc's bundled BLIS.

The BLIS inside the `blis` wheel picks its kernels by CPU model and falls back
to its generic reference code on a CPU it does not know (this machine's Zen 4
EPYC among them): about 34 GFLOPS where numpy's OpenBLAS, which dispatches on
CPU features, does about 100 on one thread. Routing thinc's `gemm` and
`gather_add` through numpy cuts a third of the pipeline's CPU time, with the
same tags, parses and entities (`tests/test_blas.py`). The parser's own inner
loop still calls BLIS from Cython; that part cannot be redirected from Python.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy
from thinc.api import Model, NumpyOps

if TYPE_CHECKING:
    from spacy.language import Language


class NumpyBlasOps(NumpyOps):  # type: ignore[misc]  # thinc's Ops are untyped Cython
    """thinc's CPU ops with the two BLIS-backed calls spaCy's CPU models use done by numpy."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(use_blis=False, **kwargs)  # gemm goes to numpy's `dot`

    def gather_add(self, table: Any, indices: Any) -> Any:
        """Embedding rows summed per token, in the same order as thinc's loop (same floats)."""
        if table.dtype != numpy.float32 or indices.ndim != 2 or indices.shape[1] == 0:
            return super().gather_add(table, indices)
        out = table[indices[:, 0]]
        for column in range(1, indices.shape[1]):
            out += table[indices[:, column]]
        return out


def use_numpy_blas(nlp: Language) -> int:
    """Move every layer on thinc's default CPU ops to `NumpyBlasOps`; returns how many moved.

    GPU or other custom ops are left alone. The process keeps one BLAS thread,
    so that worker processes, one per core, do not oversubscribe the cores.
    """
    fast: NumpyBlasOps | None = None
    moved = 0
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if not isinstance(model, Model):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:
                if fast is None:
                    _one_blas_thread()
                    fast = NumpyBlasOps()
                node.ops = fast
                moved += 1
    return moved


def _one_blas_thread() -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
