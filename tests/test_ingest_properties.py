"""Property tests: whatever the bytes, ingest answers once per input and never raises."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.clean import clean_text
from archive.dedupe import DuplicateFilter
from archive.ingest import iter_inputs
from archive.models import Article, Rejection

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Text with the characters that trip parsers: line breaks of every kind, quotes, BOMs, NULs.
TRICKY = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("\n\r\t \u2028\u00a0\ufeff“”\"'.!?✪▶️©{}[]:,\x00")),
    ),
    max_size=400,
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["id", "title", "text", "body", "outlet", "date", "author", "url", "x"]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=12,
)


def ingest_bytes(data: bytes, name: str) -> list[Article | Rejection]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return list(iter_inputs([path]))


def assert_shape(text: str) -> None:
    """The extractor's contract: paragraphs joined by exactly one blank line."""
    assert isinstance(text, str)
    assert "\r" not in text
    for paragraph in text.split("\n\n"):
        assert paragraph, repr(text)
        assert "\n" not in paragraph
        assert paragraph == paragraph.strip()


def assert_clean(result: Article | Rejection) -> None:
    if isinstance(result, Rejection):
        assert result.reason and "\n" not in result.reason
        assert not result.reason.startswith("internal error"), result.reason
    else:
        assert_shape(result.text)
        assert result.text.strip()
    orjson.dumps(result)  # what errors.jsonl and the record shards will do


@SETTINGS
@given(
    data=st.binary(max_size=600), name=st.sampled_from(["a.txt", "a.md", "a", "a.json", "a.html"])
)
def test_arbitrary_bytes_file_yields_exactly_one_result(data: bytes, name: str) -> None:
    found = ingest_bytes(data, name)
    assert len(found) == 1
    assert_clean(found[0])


@SETTINGS
@given(text=TRICKY)
def test_arbitrary_text_file_yields_one_well_shaped_result(text: str) -> None:
    found = ingest_bytes(text.encode("utf-8", "surrogatepass"), "story.txt")
    assert len(found) == 1
    assert_clean(found[0])


@SETTINGS
@given(text=TRICKY)
def test_cleaned_text_is_always_well_shaped(text: str) -> None:
    cleaned = clean_text(text)
    if cleaned.paragraphs:
        assert_shape(cleaned.text)
    else:
        assert cleaned.text == ""


@SETTINGS
@given(data=st.binary(max_size=600))
def test_arbitrary_bytes_jsonl_yields_one_result_per_nonblank_line(data: bytes) -> None:
    found = ingest_bytes(data, "rows.jsonl")
    lines = [line for line in data.split(b"\n") if line.strip()]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or not lines:
        assert len(found) == 1
    else:
        assert len(found) == len(lines)
    for result in found:
        assert_clean(result)


@SETTINGS
@given(rows=st.lists(JSON_VALUES, min_size=1, max_size=6))
def test_arbitrary_json_rows_yield_one_result_each(rows: list[object]) -> None:
    data = "\n".join(json.dumps(row) for row in rows).encode()
    found = ingest_bytes(data, "rows.ndjson")
    assert len(found) == len(rows)
    for number, result in enumerate(found, start=1):
        assert_clean(result)
        if isinstance(result, Rejection):
            assert result.line == number


@SETTINGS
@given(texts=st.lists(TRICKY, max_size=8), outlets=st.lists(st.sampled_from(["A", "B", "unknown"])))
def test_duplicate_filter_never_raises(texts: list[str], outlets: list[str]) -> None:
    seen = DuplicateFilter(min_words=3)
    for i, text in enumerate(texts):
        outlet = outlets[i % len(outlets)] if outlets else "unknown"
        verdict = seen.check(Article(id=str(i % 5), title="", text=text, outlet=outlet))
        assert verdict is None or verdict.startswith("duplicate of ")


HTML_SOUP = st.lists(
    st.one_of(
        TRICKY,
        st.sampled_from(
            ["<p>", "</p>", "<article>", "</article>", "<script>", "<br>", "&amp;", "<!--", "<h1>"]
        ),
    ),
    max_size=12,
).map("".join)


@SETTINGS
@given(markup=HTML_SOUP)
def test_arbitrary_html_yields_one_well_shaped_result(markup: str) -> None:
    found = ingest_bytes(markup.encode("utf-8", "surrogatepass"), "page.html")
    assert len(found) == 1
    assert_clean(found[0])
