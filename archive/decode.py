"""Bytes of an input file -> text, or one line saying why it is not text.

UTF-8 first (it is what almost every export is), then byte-order marks,
then charset-normalizer for legacy encodings. Binary files are recognised by
their magic numbers and NUL bytes before any decoding is tried, so a PNG is
reported as a PNG rather than as mojibake.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

# Leading bytes of common binary formats that end up in news folders by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF media (WebP/WAV/AVI)"),
    (b"%PDF-", "PDF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"PK\x03\x04", "zip archive (or docx/xlsx/epub)"),
    (b"PK\x05\x06", "zip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-zip archive"),
    (b"(\xb5/\xfd", "zstd archive"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"\x00asm", "WebAssembly module"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"\x00\x00\x00\x1cftyp", "MP4 video"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# charset-normalizer often prefers cp1250 for short Western text (`São` -> `Săo`)
# and an EBCDIC page for tiny inputs; Windows-1252 wins when it fits as well.
_EBCDIC = re.compile(r"^(cp0\d\d|cp[2-5]\d\d|cp1026|cp114\d)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_C1 = re.compile(rb"[\x80-\x9f]")


class NotText(ValueError):
    """The bytes are not text; the message is the one-line reason."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


def binary_kind(data: bytes) -> str | None:
    """A name for the binary format of `data`, or None when it may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """`utf-16-le`/`-be` when NULs sit in every other byte, as in BOM-less UTF-16 text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / len(sample[0::2])
    odd = sample[1::2].count(0) / len(sample[1::2])
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _too_many_controls(text: str) -> bool:
    sample = text[:65536]
    return bool(sample) and len(_CONTROL.findall(sample)) > max(2, len(sample) // 100)


def _strict(data: bytes, encoding: str) -> Decoded | None:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return Decoded(text.removeprefix("\ufeff"), encoding)


def _western(data: bytes) -> Decoded:
    """Windows-1252, named `iso-8859-1` when the bytes are valid Latin-1 as well."""
    if not _C1.search(data):
        return Decoded(data.decode("latin-1"), "iso-8859-1")
    return Decoded(data.decode("cp1252", errors="replace"), "cp1252")


def _detected(data: bytes) -> Decoded | None:
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and (
        _EBCDIC.match(best.encoding)
        or western == str(best)
        or any(m.encoding == "cp1252" and m.chaos <= best.chaos + 0.01 for m in matches)
    ):
        return _western(data)
    return Decoded(str(best), best.encoding.replace("_", "-"))


def decode_bytes(data: bytes) -> Decoded:
    """Decode file contents; raises NotText with the reason when they are not text."""
    if not data.strip():
        raise NotText("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            decoded = _strict(data, encoding)
            if decoded is None:
                raise NotText(f"not text: invalid {encoding.upper()} after its byte-order mark")
            return _checked(decoded)
    kind = binary_kind(data)
    if kind:
        raise NotText(f"not text: binary file ({kind})")
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        decoded = _strict(data, utf16) if utf16 else None
        if decoded is None:
            raise NotText("not text: binary file (contains NUL bytes)")
        return _checked(decoded)
    decoded = _strict(data, "utf-8") or _detected(data)
    if decoded is None:
        raise NotText("not text: no text encoding fits these bytes")
    return _checked(decoded)


def _checked(decoded: Decoded) -> Decoded:
    if _too_many_controls(decoded.text):
        raise NotText("not text: binary data (control characters)")
    if not decoded.text.strip():
        raise NotText("empty file")
    return decoded
