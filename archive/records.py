"""Extraction records as JSONL shards: the hand-off between NLP and indexing.

Indexing reads these, so a schema change re-indexes without NLP, and a
cluster can write the same shards as a local build.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from archive.models import Extraction, extraction_from_dict, extraction_from_json

SHARD_SIZE = 2000


class ShardWriter:
    """Writes extractions into numbered shards in a temporary folder, published by `commit`."""

    def __init__(self, folder: str | Path, shard_size: int = SHARD_SIZE) -> None:
        self.folder = Path(folder)
        self.tmp = self.folder.with_name(self.folder.name + ".tmp")
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir(parents=True)
        self.shard_size = shard_size
        self.count = 0
        self._file: IO[bytes] | None = None

    def write(self, extraction: Extraction) -> None:
        if self.count % self.shard_size == 0:
            self._close_file()
            name = f"shard-{self.count // self.shard_size:05d}.jsonl"
            self._file = open(self.tmp / name, "wb")  # noqa: SIM115 - closed in _close_file
        assert self._file is not None
        self._file.write(orjson.dumps(extraction))
        self._file.write(b"\n")
        self.count += 1

    def write_all(self, extractions: Iterable[Extraction]) -> None:
        for extraction in extractions:
            self.write(extraction)

    def _close_file(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None

    def commit(self) -> Path:
        """Replace the published shards with the new ones."""
        self._close_file()
        old = self.folder.with_name(self.folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.folder.exists():
            os.replace(self.folder, old)
        os.replace(self.tmp, self.folder)
        shutil.rmtree(old, ignore_errors=True)
        return self.folder

    def abort(self) -> None:
        self._close_file()
        shutil.rmtree(self.tmp, ignore_errors=True)


def shard_paths(folder: str | Path) -> list[Path]:
    return sorted(Path(folder).glob("shard-*.jsonl"))


def _record_lines(folder: str | Path) -> Iterator[bytes]:
    """Every non-blank line of a shard folder, in shard order."""
    for path in shard_paths(folder):
        with open(path, "rb") as handle:
            for line in handle:
                if line.strip():
                    yield line


def read_records(folder: str | Path) -> Iterator[Extraction]:
    """Stream every extraction of a shard folder, in shard order."""
    for line in _record_lines(folder):
        yield extraction_from_json(line)


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """One record as parsed JSON, made into an `Extraction` only when asked.

    An incremental build compares a fingerprint of the stored record and keeps the
    article's documents when it matches: building dataclasses for the thousands of
    unchanged articles was most of what an unchanged rebuild spent indexing.
    """

    data: Mapping[str, Any]

    @property
    def article_id(self) -> str:
        return str(self.data["article"]["id"])

    def extraction(self) -> Extraction:
        return extraction_from_dict(self.data)

    @classmethod
    def of(cls, extraction: Extraction) -> StoredRecord:
        """The record an extraction is stored as (what `read_stored` would give back)."""
        return cls(orjson.loads(orjson.dumps(extraction)))


def read_stored(folder: str | Path) -> Iterator[StoredRecord]:
    """Like `read_records`, without building dataclasses."""
    for line in _record_lines(folder):
        yield StoredRecord(orjson.loads(line))


def count_records(folder: str | Path) -> int:
    return sum(1 for _ in _record_lines(folder))
