"""Tuning glibc's malloc for the build's processes; each call is a no-op without glibc."""

from __future__ import annotations

import ctypes
import gc
from typing import Any

_M_TRIM_THRESHOLD = -1  # from glibc's malloc.h
_M_MMAP_THRESHOLD = -3


def _glibc() -> Any | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt  # noqa: B018 - raises AttributeError on a libc without it
    except (OSError, AttributeError):
        return None
    return libc


def keep_freed_memory(mmap_threshold: int, trim_threshold: int) -> None:
    """Allocations below `mmap_threshold` come from the heap, which keeps up to
    `trim_threshold` of freed memory instead of returning it to the kernel.

    glibc caps the mmap threshold (32 MiB on older versions), so a refused value
    falls back to that cap rather than leaving large arrays mmapped.
    """
    libc = _glibc()
    if libc is None:
        return
    if not libc.mallopt(_M_MMAP_THRESHOLD, mmap_threshold):
        libc.mallopt(_M_MMAP_THRESHOLD, min(mmap_threshold, 32 << 20))
    libc.mallopt(_M_TRIM_THRESHOLD, trim_threshold)


def return_freed_memory() -> None:
    """Collect garbage, then hand free heap pages back to the kernel (`malloc_trim`)."""
    gc.collect()
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
