"""The on-disk layout of an index folder and its atomic pointer.

    PATH/.lock           filelock held by a build
    PATH/CURRENT         one line, the live generation's folder name (replaced with os.replace)
    PATH/gen-<n>/        a complete generation: articles/, quotes/, speakers.json,
                         fingerprints.json, meta.json
    PATH/gen-<n>.tmp/    a generation being built; stale if no build holds the lock

Readers only ever follow CURRENT, and CURRENT only ever names a complete, fsynced
generation, so a build that dies at any point leaves readers on the previous one.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path
from typing import Any

import orjson

POINTER = "CURRENT"
LOCK = ".lock"
META = "meta.json"
SPEAKERS = "speakers.json"
FINGERPRINTS = "fingerprints.json"
TMP_SUFFIX = ".tmp"

_GEN = re.compile(r"^gen-(\d+)(\.tmp)?$")


def current_generation(root: Path) -> Path | None:
    """The live generation, or None when there is none (or the pointer names nothing)."""
    try:
        name = (root / POINTER).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None
    if not _GEN.match(name) or name.endswith(TMP_SUFFIX):
        return None
    gen = root / name
    return gen if (gen / META).is_file() else None


def generation_numbers(root: Path) -> list[int]:
    if not root.is_dir():
        return []
    return sorted(int(m.group(1)) for p in root.iterdir() if (m := _GEN.match(p.name)))


def new_generation_dir(root: Path) -> Path:
    """A fresh temporary folder whose number is above every generation, live or stale."""
    numbers = generation_numbers(root)
    return root / f"gen-{(numbers[-1] + 1) if numbers else 1}{TMP_SUFFIX}"


def final_name(tmp: Path) -> Path:
    return tmp.with_name(tmp.name.removesuffix(TMP_SUFFIX))


def fsync_tree(folder: Path) -> None:
    """Flush every file and folder below `folder` so the pointer never outruns the data."""
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(dirpath))


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(root: Path, tmp: Path) -> Path:
    """Rename the finished temporary generation and swap CURRENT to it, atomically."""
    fsync_tree(tmp)
    gen = final_name(tmp)
    os.replace(tmp, gen)
    fsync_dir(root)
    pointer_tmp = root / f"{POINTER}.tmp"
    with open(pointer_tmp, "w", encoding="utf-8") as fh:
        fh.write(gen.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(pointer_tmp, root / POINTER)
    fsync_dir(root)
    return gen


def remove_stale(root: Path, keep: Path | None) -> None:
    """Remove every generation except `keep` and the one just before it.

    Call only under the build lock. The previous generation stays one build longer so a
    reader that is mid-query during the swap can finish; it moves on at its next call.
    """
    numbers = [n for n in generation_numbers(root)]
    keep_names: set[str] = set()
    if keep is not None:
        keep_names.add(keep.name)
        older = [n for n in numbers if f"gen-{n}" != keep.name and (root / f"gen-{n}").is_dir()]
        keep_number = int(keep.name.removeprefix("gen-"))
        previous = [n for n in older if n < keep_number]
        if previous:
            keep_names.add(f"gen-{previous[-1]}")
    for path in root.iterdir():
        if _GEN.match(path.name) and path.name not in keep_names:
            shutil.rmtree(path, ignore_errors=True)
    with contextlib.suppress(FileNotFoundError):
        (root / f"{POINTER}.tmp").unlink()


def write_json(path: Path, data: Any) -> None:
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))


def read_json(path: Path) -> Any:
    return orjson.loads(path.read_bytes())


def link_or_copy_tree(source: Path, target: Path) -> None:
    """Hard-link the files of an immutable generation (a copy where links are refused).

    Whoosh never rewrites a segment file in place (deletions live in the new TOC), so
    the new generation can share them with the old one safely.
    """
    for dirpath, _dirnames, filenames in os.walk(source):
        rel = Path(dirpath).relative_to(source)
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in filenames:
            if name.endswith(".lock") or name == "MAIN_WRITELOCK":
                continue
            src, dst = Path(dirpath) / name, target / rel / name
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)
