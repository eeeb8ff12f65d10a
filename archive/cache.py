"""The extraction cache: NLP output keyed by article content, pipeline and extractor version.

SQLite (stdlib) rather than loose files: one file, atomic commits, safe when a
build is killed halfway, and fast point lookups at 100k+ entries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from archive import EXTRACTOR_VERSION


def cache_key(content_hash: str, model: str, extractor: str = EXTRACTOR_VERSION) -> str:
    return f"{content_hash}:{model}:{extractor}"


class ExtractionCache:
    """Maps a cache key to the serialised NLP result (quotes and entities) of one article."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS extraction (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
        )
        self._pending: list[tuple[str, bytes]] = []
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> bytes | None:
        row = self._db.execute("SELECT value FROM extraction WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return bytes(row[0])

    def put(self, key: str, value: bytes) -> None:
        self._pending.append((key, value))
        if len(self._pending) >= 256:
            self.flush()

    def put_many(self, items: Iterable[tuple[str, bytes]]) -> None:
        for key, value in items:
            self.put(key, value)

    def flush(self) -> None:
        if not self._pending:
            return
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO extraction (key, value) VALUES (?, ?)", self._pending
            )
        self._pending.clear()

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM extraction").fetchone()[0])

    def close(self) -> None:
        self.flush()
        self._db.close()

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
