"""Read a Whoosh posting list into numpy arrays, a decoded block at a time.

Whoosh's matchers yield one posting per Python step, and even its block reader
delta-decodes ids with a Python generator; here each block's pickled tuples become
arrays directly (`cumsum` undoes the delta encoding). Matchers of any other shape fall
back to Whoosh's own iteration, so correctness never depends on these internals.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_NO_IDS: IntArray = np.zeros(0, dtype=np.int64)
_NO_WEIGHTS: FloatArray = np.zeros(0, dtype=np.float64)
_BLOCK_API = ("_read_data", "_next_block", "_blocklength", "_byteids", "_i")


def _unwrap(matcher: Any) -> tuple[Any, Any]:
    """The leaf matcher under Whoosh's deleted-documents filter, and the ids it excludes."""
    if type(matcher).__name__ == "FilterMatcher" and getattr(matcher, "_exclude", False):
        return matcher.child, matcher._ids
    return matcher, None


def posting_arrays(matcher: Any, weights: bool = True) -> tuple[IntArray, FloatArray]:
    """Doc ids (sorted) and weights of a fresh leaf matcher; weights empty if not asked."""
    inner, excluded = _unwrap(matcher)
    if not all(hasattr(inner, name) for name in _BLOCK_API) or inner._byteids:
        return _slow(matcher, weights)
    id_chunks: list[IntArray] = []
    weight_chunks: list[FloatArray] = []
    while inner.is_active():
        if inner._data is None:
            inner._read_data()
        start, count = inner._i, inner._blocklength
        ids = np.cumsum(np.asarray(inner._data[0], dtype=np.int64))
        id_chunks.append(ids[start:count])
        if weights:
            raw = inner._data[1]
            if raw is None or isinstance(raw, float | int):
                block = np.full(count, 1.0 if raw is None else float(raw))
            else:
                block = np.asarray(raw, dtype=np.float64)
            weight_chunks.append(block[start:count])
        inner._next_block()
    if not id_chunks:
        return _NO_IDS, _NO_WEIGHTS
    all_ids = np.concatenate(id_chunks)
    all_weights = np.concatenate(weight_chunks) if weights else _NO_WEIGHTS
    if excluded:
        keep = ~np.isin(all_ids, np.fromiter(excluded, dtype=np.int64))
        all_ids = all_ids[keep]
        all_weights = all_weights[keep] if weights else all_weights
    return all_ids, all_weights


def posting_ids(matcher: Any) -> IntArray:
    return posting_arrays(matcher, weights=False)[0]


def _slow(matcher: Any, weights: bool) -> tuple[IntArray, FloatArray]:
    ids: list[int] = []
    found: list[float] = []
    while matcher.is_active():
        ids.append(matcher.id())
        if weights:
            found.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int64), np.array(found, dtype=np.float64)
