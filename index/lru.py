"""A least-recently-used cache bounded by the bytes of the numpy arrays it holds.

Posting lists and match sets are cached between keystrokes; a count bound alone would
let a 100k-article index hold hundreds of megabytes of arrays for common words.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

import numpy as np

V = TypeVar("V")


def _nbytes(value: Any) -> int:
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, tuple | list):
        return sum(_nbytes(v) for v in value) + 64
    return 64


class ArrayLRU(Generic[V]):
    def __init__(self, max_bytes: int, max_items: int = 1024) -> None:
        self.max_bytes = max_bytes
        self.max_items = max_items
        self.bytes = 0
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        found = self._items.get(key)
        if found is None:
            return None
        self._items.move_to_end(key)
        return found[0]

    def put(self, key: Hashable, value: V) -> V:
        size = _nbytes(value)
        if key in self._items:
            self.bytes -= self._items.pop(key)[1]
        self._items[key] = (value, size)
        self.bytes += size
        while self._items and (self.bytes > self.max_bytes or len(self._items) > self.max_items):
            _, (_, dropped) = self._items.popitem(last=False)
            self.bytes -= dropped
        return value

    def clear(self) -> None:
        self._items.clear()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._items)
