"""The extraction cache and record shards: the layer that makes rebuilds cheap and safe."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.cache import ExtractionCache, cache_key
from archive.models import Article, Entity, Extraction, Quote, extraction_from_json
from archive.records import ShardWriter, count_records, read_records, shard_paths


def _extraction(n: int) -> Extraction:
    text = f"Article {n} text. “Quote number {n},” said Jane Roe."
    start = text.index("Quote")
    end = text.index(",”") + 1
    return Extraction(
        article=Article(
            id=f"a{n}", title=f"Title {n}", text=text, outlet="Outlet", date="2024-01-02"
        ),
        quotes=(
            Quote(
                text=text[start:end],
                start=start,
                end=end,
                speaker_mention="Jane Roe",
                entity=0,
                cue="say",
                how="direct",
                topics=("elections",),
            ),
        ),
        entities=(Entity(name="Jane Roe", kind="person", aliases=("Roe",), roles=("mayor",)),),
        topics=("elections",),
        model="en_core_web_sm-3.8.0",
        extractor="1",
    )


def test_cache_round_trip_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    key = cache_key("abc", "model-1")
    with ExtractionCache(path) as cache:
        assert cache.get(key) is None
        cache.put(key, b'{"quotes":[]}')
    with ExtractionCache(path) as cache:
        assert cache.get(key) == b'{"quotes":[]}'
        assert cache.hits == 1 and cache.misses == 0
        assert len(cache) == 1


def test_cache_key_changes_with_model_and_extractor() -> None:
    keys = {cache_key("h", "m1", "1"), cache_key("h", "m2", "1"), cache_key("h", "m1", "2")}
    assert len(keys) == 3


def test_content_hash_tracks_text_not_metadata() -> None:
    a = Article(id="x", title="T", text="body")
    assert a.content_hash == Article(id="y", title="T", text="body", outlet="O").content_hash
    assert a.content_hash != Article(id="x", title="T", text="body!").content_hash


def test_extraction_json_round_trip() -> None:
    import orjson

    original = _extraction(7)
    assert extraction_from_json(orjson.dumps(original)) == original


def test_shards_split_stream_and_publish_atomically(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    writer = ShardWriter(folder, shard_size=3)
    writer.write_all(_extraction(i) for i in range(7))
    assert not folder.exists()  # nothing published before commit
    writer.commit()
    assert len(shard_paths(folder)) == 3
    assert count_records(folder) == 7
    assert [e.article.id for e in read_records(folder)] == [f"a{i}" for i in range(7)]


def test_aborted_shards_leave_published_ones(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    first = ShardWriter(folder)
    first.write(_extraction(1))
    first.commit()
    second = ShardWriter(folder)
    second.write(_extraction(2))
    second.abort()
    assert [e.article.id for e in read_records(folder)] == ["a1"]


@pytest.mark.parametrize("count", [0, 1])
def test_empty_and_single_shards(tmp_path: Path, count: int) -> None:
    writer = ShardWriter(tmp_path / "r")
    writer.write_all(_extraction(i) for i in range(count))
    writer.commit()
    assert count_records(tmp_path / "r") == count
