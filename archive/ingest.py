"""Input files -> Articles or Rejections, one result per input, in a stable order.

An input is a file, or one non-blank line of a JSONL file. Nothing here
raises for bad input: every problem becomes a Rejection with one line naming
it, so `in = indexed + duplicates + rejected` holds for the whole build.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from archive.cache import current_memo, remembered, remembering
from archive.clean import normalise_text
from archive.dates import normalise_date
from archive.decode import Decoded, NotText, decode_bytes
from archive.fields import FieldError, as_metadata, as_text
from archive.htmlpage import read_html
from archive.models import UNKNOWN_OUTLET, Article, Rejection
from archive.outlets import canonical_outlet, detect_outlet, outlet_from_url
from archive.plaintext import PlainText, parse_body, parse_plain_text
from archive.row_memo import dump_result, load_result, row_key

DEFAULT_MAX_BYTES = 8 * 1024 * 1024  # real articles are < 200 KB; this bounds memory per input
# Longer than any news article (~50k words). Measured here: spaCy plus extraction take
# ~0.5 GB and ~12 s for 100k characters and ~1.2 GB for 300k, per worker, so a longer
# "article" (a whole book, a dump on one line) would stall a build and blow its memory.
MAX_TEXT_CHARS = 300_000
SIDECAR_MAX_BYTES = 1024 * 1024
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
SIDECAR_SUFFIX = ".meta.json"
_CHUNK = 1024 * 1024

Result = Article | Rejection


def iter_inputs(
    paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | Rejection]:
    """Every input file, or JSONL line, yields exactly one Article or one Rejection, in order.

    Folders are walked recursively in sorted order, skipping hidden entries,
    `*.meta.json` sidecars and symlinks that lead back into a folder already walked.
    """
    for path in paths:
        yield from _iter_path(Path(path), max_bytes, set(), explicit=True)


def display(path: Path | str) -> str:
    """A printable form of any path, even one whose name is not valid UTF-8."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def origin_of(path: Path) -> str:
    """The real path of an input, however it was spelled (see `Article.origin`)."""
    try:
        return display(os.path.realpath(path))
    except (OSError, ValueError):
        return display(path)


def _valid_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _iter_path(
    path: Path, max_bytes: int, walked: set[tuple[int, int]], *, explicit: bool = False
) -> Iterator[Result]:
    shown = display(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        reason = "dangling symbolic link" if path.is_symlink() else "no such file or directory"
        yield Rejection(shown, f"cannot read: {reason}")
        return
    except OSError as exc:
        reason = "symbolic link loop" if exc.errno == errno.ELOOP else _os_reason(exc)
        yield Rejection(shown, f"cannot read: {reason}")
        return
    if stat.S_ISDIR(info.st_mode):
        # a folder's name never becomes an id, so an undecodable one is no reason to skip it
        yield from _walk(path, info, max_bytes, walked)
    elif not _valid_name(path.name):
        yield Rejection(shown, "file name is not valid UTF-8")
    elif not stat.S_ISREG(info.st_mode):
        yield Rejection(shown, f"not a regular file ({_file_kind(info.st_mode)})")
    elif explicit and path.name.endswith(SIDECAR_SUFFIX):
        yield Rejection(shown, "a metadata sidecar, not an article: pass the text file beside it")
    elif path.suffix.lower() in JSONL_SUFFIXES:
        yield from _guarded_jsonl(path, max_bytes)
    else:
        yield _guarded(path, info, max_bytes)


def _walk(
    folder: Path, info: os.stat_result, max_bytes: int, walked: set[tuple[int, int]]
) -> Iterator[Result]:
    key = (info.st_dev, info.st_ino)
    if key in walked:
        return  # a symlink back into a folder being walked: a loop, not an input
    walked.add(key)
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        yield Rejection(display(folder), f"cannot list folder: {_os_reason(exc)}")
        return
    for name in names:
        if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
            continue
        yield from _iter_path(folder / name, max_bytes, walked)


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def too_large(size: int, limit: int) -> str:
    return f"too large: {size / 2**20:.1f} MB exceeds the {limit / 2**20:g} MB limit"


def too_long(chars: int) -> str:
    return f"too long: {chars:,} characters of text exceed the {MAX_TEXT_CHARS:,} character limit"


def _guarded(path: Path, info: os.stat_result, max_bytes: int) -> Result:
    """One file -> one result, whatever happens inside."""
    try:
        return _read_file(path, info, max_bytes)
    except Exception as exc:  # a bug must cost one input, not the build
        return Rejection(
            display(path), f"internal error while reading: {type(exc).__name__}: {exc}"
        )


def _read_bounded(path: Path, max_bytes: int) -> bytes | Rejection:
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:
                size = max(os.fstat(handle.fileno()).st_size, len(data))
                return Rejection(display(path), too_large(size, max_bytes))
    except OSError as exc:
        return Rejection(display(path), f"cannot read: {_os_reason(exc)}")
    return data


def _read_file(path: Path, info: os.stat_result, max_bytes: int) -> Result:
    shown = display(path)
    if info.st_size > max_bytes:
        return Rejection(shown, too_large(info.st_size, max_bytes))
    data = _read_bounded(path, max_bytes)
    if isinstance(data, Rejection):
        return data
    try:
        decoded = decode_bytes(data)
    except NotText as exc:
        return Rejection(shown, str(exc))
    text = normalise_text(decoded.text)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _json_article(text, path, decoded.encoding)
    try:
        if suffix in HTML_SUFFIXES:
            page = read_html(text)
            if not page.paragraphs:
                return Rejection(shown, "no article paragraphs found in the HTML page")
            parsed = PlainText(title=page.title)
            parse_body(_as_lines(page.paragraphs), parsed, header=True)
            meta = {**as_metadata(dict(page.meta)), **_sidecar(path)}
        else:
            parsed = parse_plain_text(text)
            meta = _sidecar(path)
    except FieldError as exc:
        return Rejection(shown, str(exc))
    return _article(parsed, meta, path.stem, shown, decoded.encoding, origin_of(path))


def _as_lines(paragraphs: list[str]) -> list[str]:
    """Paragraphs as lines with blank lines between, the shape the text reader expects."""
    return [line for paragraph in paragraphs for line in (paragraph, "")]


def _sidecar(path: Path) -> dict[str, str | int | float]:
    for candidate in (path.with_name(path.stem + SIDECAR_SUFFIX), Path(f"{path}{SIDECAR_SUFFIX}")):
        if not candidate.is_file():
            continue
        try:
            with candidate.open("rb") as handle:
                raw = handle.read(SIDECAR_MAX_BYTES + 1)
            if len(raw) > SIDECAR_MAX_BYTES:
                raise FieldError(f"sidecar {candidate.name} is larger than 1 MB")
            data = orjson.loads(raw)
        except OSError as exc:
            raise FieldError(f"cannot read sidecar {candidate.name}: {_os_reason(exc)}") from exc
        except orjson.JSONDecodeError as exc:
            raise FieldError(f"invalid JSON in sidecar {candidate.name}: {exc.msg}") from exc
        if not isinstance(data, dict):
            raise FieldError(f"sidecar {candidate.name} must hold a JSON object")
        try:
            return as_metadata(data)
        except FieldError as exc:
            raise FieldError(f"sidecar {candidate.name}: {exc}") from exc
    return {}


def _json_article(text: str, path: Path, encoding: str) -> Result:
    shown = display(path)
    try:
        row = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return Rejection(shown, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
    if not isinstance(row, dict):
        return Rejection(
            shown,
            f"expected a JSON object (one article), got {_json_type(row)}; use JSONL for many",
        )
    return _row_article(row, path.stem, shown, encoding, origin_of(path))


def _json_type(value: object) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _row_article(
    row: dict[str, Any], fallback_id: str, source: str, encoding: str, origin: str
) -> Result:
    try:
        text = as_text(row)
        meta = as_metadata(row)
    except FieldError as exc:
        return Rejection(source, str(exc))
    parsed = PlainText(title=str(meta.get("title", "")))
    parse_body(normalise_text(text).split("\n"), parsed, header=True)
    return _article(parsed, meta, fallback_id, source, encoding, origin)


def _article(
    parsed: PlainText,
    meta: dict[str, str | int | float],
    fallback_id: str,
    source: str,
    encoding: str,
    origin: str,
) -> Result:
    body = parsed.body
    if not body.paragraphs:
        reason = (
            "no article text left after removing boilerplate"
            if body.removed
            else "no article text after the title"
        )
        return Rejection(source, reason)
    text = body.text
    if len(text) > MAX_TEXT_CHARS:
        return Rejection(source, too_long(len(text)))
    url = str(meta["url"]) if "url" in meta else None
    outlet = (
        (canonical_outlet(str(meta["outlet"])) if "outlet" in meta else None)
        or (outlet_from_url(url) if url else None)
        or parsed.outlet
        or detect_outlet(body=body.paragraphs, boilerplate=body.removed)
        or UNKNOWN_OUTLET
    )
    date = normalise_date(meta["date"]) if "date" in meta else parsed.date
    return Article(
        id=str(meta.get("id", fallback_id)),
        title=str(meta.get("title", parsed.title)),
        text=text,
        outlet=outlet,
        byline=str(meta["byline"]) if "byline" in meta else parsed.byline,
        date=date,
        url=url,
        source=source,
        encoding=encoding,
        origin=origin,
    )


# ---- JSONL -----------------------------------------------------------------


def _guarded_jsonl(path: Path, max_bytes: int) -> Iterator[Result]:
    shown = display(path)
    line = 0
    results = 0
    try:
        with path.open("rb") as handle:
            for number, result in _jsonl_lines(handle, path, max_bytes, origin_of(path)):
                line = number
                results += 1
                yield result
            size = handle.tell()
    except OSError as exc:
        where = f" after line {line}" if line else ""
        yield Rejection(shown, f"cannot read{where}: {_os_reason(exc)}", line + 1 if line else None)
        return
    if not results:
        yield Rejection(shown, "no JSON lines, only blank ones" if size else "empty file")


def _jsonl_lines(
    handle: IO[bytes], path: Path, max_bytes: int, real: str
) -> Iterator[tuple[int, Result]]:
    shown = display(path)
    number = 0
    while True:
        raw = handle.readline(max_bytes + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            size = len(raw) + _skip_rest_of_line(handle)
            yield number, Rejection(shown, f"line {number} {too_large(size, max_bytes)}", number)
            continue
        if number == 1 and raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            yield number, Rejection(shown, "UTF-16 JSONL is not supported: save it as UTF-8", 1)
            return
        if not raw.strip():
            continue
        try:
            yield number, _jsonl_row(raw, number, path, real)
        except Exception as exc:  # a bug must cost one line, not the file
            reason = f"internal error at line {number}: {type(exc).__name__}: {exc}"
            yield number, Rejection(shown, reason, number)


def _skip_rest_of_line(handle: IO[bytes]) -> int:
    skipped = 0
    while True:
        chunk = handle.readline(_CHUNK)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _jsonl_row(raw: bytes, number: int, path: Path, real: str) -> Result:
    """One row, from the memo when the same bytes were read at the same place before."""
    row = _Row(raw, number, display(path), f"{path.stem}-{number}", f"{real}:{number}")
    memo = current_memo()
    if memo is None:
        return _read_row(row)

    def read() -> Result:
        with remembering(None):  # the memoised article holds the cleaned text: keep it once
            return _read_row(row)

    key = row_key(raw, row.source, row.origin)
    return remembered(memo, key, read, dump_result, load_result)


@dataclass(frozen=True, slots=True)
class _Row:
    raw: bytes
    number: int
    shown: str
    fallback_id: str
    origin: str

    @property
    def source(self) -> str:
        return f"{self.shown}:{self.number}"


def _read_row(row: _Row) -> Result:
    raw, number, shown = row.raw.removeprefix(b"\xef\xbb\xbf"), row.number, row.shown
    try:
        decoded = Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        try:
            decoded = decode_bytes(raw)
        except NotText as exc:
            return Rejection(shown, f"line {number}: {exc}", number)
    try:
        fields = orjson.loads(decoded.text)
    except orjson.JSONDecodeError as exc:
        return Rejection(
            shown, f"invalid JSON at line {number}: {exc.msg} (column {exc.colno})", number
        )
    if not isinstance(fields, dict):
        return Rejection(
            shown, f"line {number}: expected a JSON object, got {_json_type(fields)}", number
        )
    result = _row_article(fields, row.fallback_id, row.source, decoded.encoding, row.origin)
    if isinstance(result, Rejection):
        return Rejection(shown, result.reason, number)
    return result
