"""Articles of JSONL rows read on an earlier build, served again without reading the row.

Reading one row (JSON, field mapping, header furniture, boilerplate, outlet and
date detection) costs about 0.15 ms: at 10k rows that is a third of a warm
rebuild, and the parent process that pays it is the critical path of a 1%
incremental build. The key covers the row's bytes, its place (source and real
path), the cleaning rules and a digest of the modules that read rows and of the
data files, so any change to how rows are read misses every entry; a build then
drops the entries of other versions.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from functools import cache
from importlib import resources

import orjson

from archive.clean import rules_digest
from archive.models import Article, Rejection

FAMILY = b"row-memo:"  # every entry's key starts with this, whatever its version
VERSION = b"1:"
# `from archive.x import ...`, `import archive.x` and `from archive import x, y`
_ARCHIVE_IMPORT = re.compile(
    rb"^\s*(?:(?:from|import) archive\.(\w+)|from archive import ([\w, ]+))", re.MULTILINE
)


@cache
def code_digest() -> bytes:
    """The modules that reading a row runs (ingest and what it imports), and the data files."""
    root = resources.files("archive")
    digest = hashlib.blake2b(digest_size=16)
    todo, seen = ["ingest"], set()
    while todo:
        name = todo.pop()
        if name in seen or not root.joinpath(f"{name}.py").is_file():
            continue
        seen.add(name)
        source = root.joinpath(f"{name}.py").read_bytes()
        digest.update(name.encode() + b"\x00" + source)
        for module, names in _ARCHIVE_IMPORT.findall(source):
            todo.extend(n.strip().decode() for n in (module or names).split(b","))
    for entry in sorted(root.joinpath("data").iterdir(), key=lambda e: e.name):
        if entry.is_file():
            digest.update(entry.name.encode() + b"\x00" + entry.read_bytes())
    return digest.digest()


def row_key(raw: bytes, source: str, origin: str) -> bytes:
    """`source` (shown path and line) also fixes the fallback id, which comes from the path."""
    digest = hashlib.blake2b(digest_size=20)
    for part in (source, origin):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    digest.update(raw)
    return key_prefix() + digest.digest()


def key_prefix() -> bytes:
    """Entries of this code version; the cache's `prune_memo` drops the others."""
    return FAMILY + VERSION + code_digest() + rules_digest()


def dump_result(result: Article | Rejection) -> bytes:
    """Articles compressed (their text is the bulk, and the memo lives beside the NLP cache)."""
    if isinstance(result, Article):
        return b"A" + zlib.compress(orjson.dumps(result), 1)
    return b"R" + orjson.dumps(result)


def load_result(stored: bytes) -> Article | Rejection:
    if stored[:1] == b"A":
        return Article(**orjson.loads(zlib.decompress(stored[1:])))
    return Rejection(**orjson.loads(stored[1:]))
