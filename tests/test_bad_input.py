"""Issue #7: every bad input ends as exactly one clear Rejection; the rest is still read."""

from __future__ import annotations

import gzip
import os
import time
import tracemalloc
from pathlib import Path

import orjson
import pytest

from archive.dedupe import DuplicateFilter
from archive.ingest import DEFAULT_MAX_BYTES, MAX_TEXT_CHARS, iter_inputs
from archive.models import Article, Rejection

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
STORY = "Floods close the valley road\n\nThe river rose two metres overnight, officials said.\n"


def results(*paths: Path | str, **kwargs: int) -> list[Article | Rejection]:
    return list(iter_inputs(paths, **kwargs))


def only(path: Path, **kwargs: int) -> Article | Rejection:
    found = results(path, **kwargs)
    assert len(found) == 1, found
    return found[0]


def rejected(path: Path, **kwargs: int) -> Rejection:
    result = only(path, **kwargs)
    assert isinstance(result, Rejection), result
    assert "\n" not in result.reason and result.reason
    return result


def accepted(path: Path) -> Article:
    result = only(path)
    assert isinstance(result, Article), result
    return result


# ---- empty and binary -------------------------------------------------------


@pytest.mark.parametrize(
    "content", [b"", b"   \n\r\n\t\n", b"\xef\xbb\xbf"], ids=["zero", "blank", "bom-only"]
)
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert rejected(path).reason == "empty file"


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PNG, "PNG image"),
        (gzip.compress(STORY.encode(), mtime=0), "gzip archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"The river rose\x00\x00\x01\x02 overnight \x00 again", "contains NUL bytes"),
    ],
    ids=["png", "gzip", "pdf", "nul"],
)
def test_binary_files_are_not_text(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "story.txt"  # the extension does not matter
    path.write_bytes(content)
    reason = rejected(path).reason
    assert reason.startswith("not text: binary")
    assert kind in reason


# ---- encodings ----------------------------------------------------------------


def test_latin1_text(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    text = "Visita de López Obrador\n\nEl café de São Paulo cerró, dijo Andrés Manuel López.\n"
    path.write_bytes(text.encode("latin-1"))
    article = accepted(path)
    assert article.encoding == "iso-8859-1"
    assert article.title == "Visita de López Obrador"
    assert "São Paulo" in article.text and "Andrés" in article.text


def test_cp1252_text(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    text = "Talks resume\n\n“We are going to help,” the president said — it’s a start…\n"
    path.write_bytes(text.encode("cp1252"))
    article = accepted(path)
    assert article.encoding == "cp1252"
    assert article.text == "“We are going to help,” the president said — it’s a start…"


@pytest.mark.parametrize(
    ("codec", "recorded"),
    [("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")],
)
def test_utf16_text(tmp_path: Path, codec: str, recorded: str) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Señor López speaks\n\n“Vamos a ayudar,” dijo.\n".encode(codec))
    article = accepted(path)
    assert article.encoding == recorded
    assert article.title == "Señor López speaks"
    assert article.text == "“Vamos a ayudar,” dijo."


def test_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + STORY.encode())
    article = accepted(path)
    assert article.title == "Floods close the valley road"
    assert article.encoding == "utf-8-sig"
    assert "\ufeff" not in article.title + article.text


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_lone_cr(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "lines.txt"
    raw = "Title line\n\nFirst paragraph.  \n\nSecond paragraph.\nThird paragraph.\n"
    path.write_bytes(raw.replace("\n", newline).encode())
    article = accepted(path)
    assert article.title == "Title line"
    assert article.text == "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."


# ---- size ---------------------------------------------------------------------


def test_50_mb_file_is_rejected_quickly_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    line = b"The river rose two metres overnight, officials said on Monday.\n"
    with path.open("wb") as handle:
        for _ in range(50 * 2**20 // (len(line) * 1024)):
            handle.write(line * 1024)
        handle.truncate(50 * 2**20)
    tracemalloc.start()
    started = time.monotonic()
    reason = rejected(path).reason
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert reason == f"too large: 50.0 MB exceeds the {DEFAULT_MAX_BYTES / 2**20:g} MB limit"
    assert time.monotonic() - started < 5
    assert peak < 5 * 2**20


def test_file_growing_past_the_limit_is_caught_by_the_bounded_read(tmp_path: Path) -> None:
    path = tmp_path / "grown.txt"
    path.write_bytes(b"Title\n\n" + b"word " * 1000)
    assert rejected(path, max_bytes=1000).reason.startswith("too large: 0.0 MB exceeds")


def test_5_mb_single_line_is_rejected_in_bounded_time(tmp_path: Path) -> None:
    """Under the byte limit, but far more text than spaCy parses in bounded memory."""
    path = tmp_path / "oneline.txt"
    words = b"the caravan moved north as officials said more talks were planned "
    line = words * (5 * 2**20 // len(words))
    path.write_bytes(b"A very long line\n" + line + b"\n")
    rows = tmp_path / "oneline.jsonl"
    rows.write_bytes(orjson.dumps({"text": line.decode()}) + b"\n")
    started = time.monotonic()
    for result in results(path, rows):
        assert isinstance(result, Rejection)
        assert result.reason.startswith("too long: 5,242,")
        assert result.reason.endswith(
            f"characters of text exceed the {MAX_TEXT_CHARS:,} character limit"
        )
    assert time.monotonic() - started < 10


def test_long_text_under_the_limit_is_kept_and_deduplicated_quickly(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    words = b"the caravan moved north as officials said more talks were planned. "
    path.write_bytes(
        b"A long article\n\n" + words * (MAX_TEXT_CHARS * 9 // 10 // len(words)) + b"\n"
    )
    started = time.monotonic()
    article = accepted(path)
    assert MAX_TEXT_CHARS * 8 // 10 < len(article.text) <= MAX_TEXT_CHARS
    assert DuplicateFilter().check(article) is None
    assert time.monotonic() - started < 10


def test_jsonl_line_over_the_limit_is_rejected_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    big = orjson.dumps({"text": "x " * 600_000})
    path.write_bytes(b'{"text": "first"}\n' + big + b'\n{"text": "third"}\n')
    first, second, third = results(path, max_bytes=2**20)
    assert isinstance(first, Article) and isinstance(third, Article)
    assert isinstance(second, Rejection) and second.line == 2
    assert second.reason == "line 2 too large: 1.1 MB exceeds the 1 MB limit"
    assert third.id == "feed-3"


# ---- JSONL ------------------------------------------------------------------


def jsonl(tmp_path: Path, *lines: bytes | str) -> Path:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"\n".join(x.encode() if isinstance(x, str) else x for x in lines))
    return path


def test_broken_truncated_and_nested_jsonl_lines(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path,
        '{"id": "ok1", "text": "Fine."}',
        '{"id": "broken", "text": "Fine.",,}',
        "",
        "[" * 5000 + "]" * 5000,
        '{"id": "deep", "text": "Fine.", "extra": ' + "[" * 100 + "]" * 100 + "}",
        '{"id": "ok2", "text": "Fine again."}',
        '{"id": "cut", "text": "The river ro',
    )
    found = results(path)
    assert [type(r).__name__ for r in found] == [
        "Article",
        "Rejection",
        "Rejection",
        "Article",
        "Article",
        "Rejection",
    ]
    broken, nested, truncated = (r for r in found if isinstance(r, Rejection))
    assert broken.line == 2 and broken.reason.startswith("invalid JSON at line 2: ")
    assert nested.line == 4 and nested.reason.startswith("invalid JSON at line 4: depth limit")
    assert truncated.line == 7 and "unexpected end of data" in truncated.reason
    assert all(r.source == str(path) for r in (broken, nested, truncated))


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"id": "a"}, "missing field 'text'"),
        ({"id": "a", "text": None}, "field 'text' is null"),
        ({"id": "a", "text": 42}, "field 'text' must be a string, got int"),
        ({"id": "a", "body": ["x"]}, "field 'body' must be a string, got array"),
        ({"id": "a", "text": {"p": "x"}}, "field 'text' must be a string, got object"),
        ({"id": "a", "text": "   "}, "field 'text' is empty"),
        ({"id": True, "text": "Body."}, "field 'id' must be a string, got boolean"),
        ({"id": ["a"], "text": "Body."}, "field 'id' must be a string, got array"),
        ({"text": "Body.", "outlet": {"name": "x"}}, "field 'outlet' must be a string, got object"),
        (
            {"text": "Body.", "byline": [1, 2]},
            "field 'byline' must be a string or a list of strings",
        ),
        ({"text": "Advertisement\n\nShare"}, "no article text left after removing boilerplate"),
        ([1, 2], "line 1: expected a JSON object, got an array"),
        ("just a string", "line 1: expected a JSON object, got a string"),
    ],
)
def test_unusable_jsonl_rows(tmp_path: Path, row: object, reason: str) -> None:
    path = jsonl(tmp_path, orjson.dumps(row))
    result = rejected(path)
    assert (result.reason, result.line) == (reason, 1)


def test_tolerated_jsonl_field_types(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path,
        orjson.dumps(
            {
                "id": 42,
                "title": 2024,
                "text": "Body.",
                "outlet": None,
                "date": None,
                "unknown_field": {"deep": [1, 2, {"x": None}]},
                "byline": [{"name": "Ann Lee"}, "Bo Chan"],
            }
        ),
    )
    article = accepted(path)
    assert (article.id, article.title, article.outlet, article.date) == (
        "42",
        "2024",
        "unknown",
        None,
    )
    assert article.byline == "Ann Lee, Bo Chan"


def test_latin1_jsonl_line_is_decoded(tmp_path: Path) -> None:
    path = jsonl(tmp_path, b'{"text": "Fine."}', '{"text": "López dijo sí."}'.encode("latin-1"))
    first, second = results(path)
    assert isinstance(second, Article)
    assert (second.text, second.encoding, first.encoding) == (
        "López dijo sí.",
        "iso-8859-1",
        "utf-8",
    )


def test_empty_and_blank_jsonl_files_are_one_rejection(tmp_path: Path) -> None:
    assert rejected(jsonl(tmp_path)).reason == "empty file"
    assert rejected(jsonl(tmp_path, "", "  ", "")).reason == "no JSON lines, only blank ones"


def test_duplicate_ids_are_caught_by_the_filter(tmp_path: Path) -> None:
    path = jsonl(tmp_path, '{"id": "x", "text": "One story."}', '{"id": "x", "text": "Another."}')
    seen = DuplicateFilter()
    verdicts = [seen.check(a) for a in results(path) if isinstance(a, Article)]
    assert verdicts == [None, "duplicate of x (same id)"]


def test_single_json_file(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text('{"title": "T", "text": "Body."}', "utf-8")
    (tmp_path / "many.json").write_text('[{"text": "Body."}]', "utf-8")
    many, one = results(tmp_path)
    assert isinstance(one, Article) and one.id == "one"
    assert isinstance(many, Rejection) and "use JSONL for many" in many.reason


# ---- folders, links, names ----------------------------------------------------


def test_folder_with_unreadable_fifo_dangling_link_and_loops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text(STORY, "utf-8")
    (tmp_path / "locked.txt").write_text(STORY, "utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "loop1.txt").symlink_to(tmp_path / "loop2.txt")
    (tmp_path / "loop2.txt").symlink_to(tmp_path / "loop1.txt")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.txt").write_text(STORY, "utf-8")
    (sub / "back").symlink_to(tmp_path)  # a folder loop
    (tmp_path / ".hidden.txt").write_text(STORY, "utf-8")
    (tmp_path / "a.meta.json").write_text('{"outlet": "Reuters"}', "utf-8")

    real_open = Path.open

    def open_denying_locked(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", open_denying_locked)
    found = {Path(r.source).name: r for r in results(tmp_path)}
    assert sorted(found) == [
        "a.txt",
        "b.txt",
        "dangling.txt",
        "locked.txt",
        "loop1.txt",
        "loop2.txt",
        "pipe.txt",
    ]
    assert isinstance(found["a.txt"], Article) and found["a.txt"].outlet == "Reuters"
    assert isinstance(found["b.txt"], Article)
    assert found["locked.txt"].reason == "cannot read: Permission denied"  # type: ignore[union-attr]
    assert found["pipe.txt"].reason == "not a regular file (FIFO)"  # type: ignore[union-attr]
    assert found["dangling.txt"].reason == "cannot read: dangling symbolic link"  # type: ignore[union-attr]
    assert found["loop1.txt"].reason == "cannot read: symbolic link loop"  # type: ignore[union-attr]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads chmod 000 files")
def test_chmod_000_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(STORY, "utf-8")
    path.chmod(0)
    assert rejected(path).reason == "cannot read: Permission denied"


def test_unlistable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def deny(path: object) -> list[str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "listdir", deny)
    assert rejected(tmp_path).reason == "cannot list folder: Permission denied"


def test_non_utf8_file_name(tmp_path: Path) -> None:
    raw_name = os.path.join(os.fsencode(tmp_path), b"caf\xe9-story.txt")
    with open(raw_name, "wb") as handle:
        handle.write(STORY.encode())
    result = rejected(tmp_path)
    assert result.reason == "file name is not valid UTF-8"
    assert result.source.endswith("caf\\xe9-story.txt")
    assert orjson.loads(orjson.dumps(result)) == {
        "source": result.source,
        "reason": result.reason,
        "line": None,
    }


def test_missing_path_and_explicit_sidecar(tmp_path: Path) -> None:
    assert rejected(tmp_path / "nope.txt").reason == "cannot read: no such file or directory"
    sidecar = tmp_path / "x.meta.json"
    sidecar.write_text("{}", "utf-8")
    assert "sidecar" in rejected(sidecar).reason


def test_every_input_is_accounted_for(tmp_path: Path) -> None:
    """in = results: files plus non-blank JSONL lines, each exactly once."""
    (tmp_path / "good.txt").write_text(STORY, "utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "img.png").write_bytes(PNG)
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "latin.txt").write_bytes(STORY.replace("river", "río").encode("latin-1"))
    (tmp_path / "rows.jsonl").write_text('{"text": "a"}\n\n{bad\n{"id": 1}\n{"text": "b"}', "utf-8")
    found = results(tmp_path)
    assert len(found) == 4 + 4
    assert sum(isinstance(r, Article) for r in found) == 4
    assert all(orjson.dumps(r) for r in found)
