"""Generation builds: layout, incremental rewrites, failures, locking, versions, live swaps."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest
from filelock import FileLock

from archive.models import Extraction
from archive.records import StoredRecord
from index import SCHEMA_VERSION, store
from index.build import build_index
from index.search import open_index
from index.segments import segment_counts
from index.types import (
    IndexLockedError,
    IndexMissingError,
    IndexVersionError,
    SearchRequest,
)
from tests.index_fixtures import (
    EXTRACTOR,
    MODEL,
    Archive,
    build,
    edited,
    random_archive,
    small_archive,
)


def meta(path: Path) -> dict[str, Any]:
    gen = store.current_generation(path)
    assert gen is not None
    data: dict[str, Any] = orjson.loads((gen / store.META).read_bytes())
    return data


def snapshot(path: Path) -> list[Any]:
    """What a reader sees: totals, hit ids and facets of a few searches."""
    index = open_index(path)
    seen: list[Any] = []
    for text in ("", "border", "kirby", "lopez obrador"):
        for target in ("articles", "quotes"):
            r = index.search(SearchRequest(text, target=target))  # type: ignore[arg-type]
            hits = [a.id for a in r.articles] + [q.id for q in r.quotes]
            seen.append((r.total, hits, r.facets))
    index.close()
    return seen


def test_layout_and_meta(tmp_path: Path) -> None:
    calls: list[int] = []
    stats = build(tmp_path, small_archive(), on_article=lambda: calls.append(1))
    assert (tmp_path / "CURRENT").read_text().strip() == stats.generation == "gen-1"
    assert (tmp_path / "gen-1" / "articles").is_dir() and (tmp_path / "gen-1" / "quotes").is_dir()
    data = meta(tmp_path)
    assert data["schema_version"] == SCHEMA_VERSION and data["model"] == MODEL
    assert data["extractor_version"] == EXTRACTOR and data["built_at"]
    assert (data["articles"], data["quotes"], stats.articles, stats.quotes) == (5, 9, 5, 9)
    assert len(calls) == 5
    assert orjson.loads((tmp_path / "gen-1" / "speakers.json").read_bytes())[0]["name"]


def test_a_path_spelled_another_way_rewrites_nothing_but_a_moved_file_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from archive.pipeline import ExtractOptions
    from index.rebuild import build_archive

    monkeypatch.chdir(tmp_path)
    (tmp_path / "feeds").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "feeds")
    rows = [  # no quotation marks: no NLP needed
        {"id": f"s{i}", "title": f"Report {i}", "text": f"The council met {i} times. " * 12}
        for i in range(4)
    ]
    (tmp_path / "feeds" / "news.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    options = ExtractOptions(processes=1)
    index_path = tmp_path / "index"
    build_archive(["feeds"], index_path, options=options)
    for spelling in (str(tmp_path / "feeds"), "./feeds", "link", "feeds/news.jsonl"):
        build_archive([spelling], index_path, options=options)
        assert meta(index_path)["written"]["articles"] == 0, spelling
    (tmp_path / "feeds").rename(tmp_path / "moved")
    build_archive(["moved"], index_path, options=options)
    assert meta(index_path)["written"]["articles"] == 4
    index = open_index(index_path)
    view = index.article("s0")
    assert view is not None and view.article.source == "moved/news.jsonl:1"
    index.close()


def _retitled(archive: Archive, suffix: str, share: float = 1.0) -> Archive:
    """The archive with the first `share` of its articles retitled."""
    cut = round(len(archive.extractions) * share)
    out = tuple(
        replace(e, article=replace(e.article, title=e.article.title + suffix)) if n < cut else e
        for n, e in enumerate(archive.extractions)
    )
    return Archive(out, archive.speakers)


def test_rewritten_articles_leave_no_dead_segments_behind(tmp_path: Path) -> None:
    archive = random_archive(30, seed=8)
    build(tmp_path, archive)
    for round_ in range(3):  # every article rewritten, three times over
        build(tmp_path, _retitled(archive, f" v{round_}"))
        assert meta(tmp_path)["written"]["articles"] == 30
    live = store.current_generation(tmp_path)
    assert live is not None
    for part in ("articles", "quotes"):
        counts = segment_counts(live / part)
        assert counts.deleted == 0 and counts.segments == 1, (part, counts)
    index = open_index(tmp_path)
    assert index.search(SearchRequest("")).total == 30
    assert index.search(SearchRequest("v2")).total == 30
    index.close()


def test_a_segment_a_third_dead_is_rewritten_and_a_lightly_edited_one_kept(
    tmp_path: Path,
) -> None:
    archive = random_archive(30, seed=9)
    build(tmp_path, archive)
    build(tmp_path, _retitled(archive, " light", share=0.2))
    live = store.current_generation(tmp_path)
    assert live is not None
    light = segment_counts(live / "articles")
    assert (light.segments, light.deleted) == (2, 6)  # a fifth dead: kept as it is
    build(tmp_path, _retitled(archive, " heavy", share=0.4))
    live = store.current_generation(tmp_path)
    assert live is not None
    heavy = segment_counts(live / "articles")
    assert heavy.deleted == 0 and heavy.documents == 30


def test_unchanged_rebuild_writes_nothing_and_edits_write_only_changes(tmp_path: Path) -> None:
    archive = random_archive(40, seed=2)
    build(tmp_path, archive)
    first = snapshot(tmp_path)
    build(tmp_path, archive)
    assert meta(tmp_path)["written"] == {
        "articles": 0,
        "quotes": 0,
        "reused": 40,
        "deleted": 0,
        "duplicates": 0,
        "incremental": True,
    }
    assert snapshot(tmp_path) == first

    changed = edited(archive, "r000007", "Zanzibar referendum announced")
    build(tmp_path, changed)
    written = meta(tmp_path)["written"]
    assert (written["articles"], written["reused"], written["deleted"]) == (1, 39, 0)
    index = open_index(tmp_path)
    assert [a.id for a in index.search(SearchRequest("zanzibar")).articles] == ["r000007"]
    assert index.search(SearchRequest("")).total == 40
    quotes = index.search(SearchRequest("", target="quotes", speech_only=False)).total
    assert quotes == sum(len(e.quotes) for e in archive.extractions)  # old quotes replaced
    index.close()

    fewer = Archive(changed.extractions[:-3], changed.speakers)
    stats = build(tmp_path, fewer)
    assert meta(tmp_path)["written"]["deleted"] == 3 and stats.articles == 37
    index = open_index(tmp_path)
    assert index.article(changed.extractions[-1].article.id) is None
    assert index.search(SearchRequest("")).total == 37
    index.close()


def test_incremental_equals_fresh_build(tmp_path: Path) -> None:
    archive = random_archive(30, seed=4)
    build(tmp_path / "a", Archive(archive.extractions[:20], archive.speakers))
    build(tmp_path / "a", edited(archive, "r000003", "Something else entirely"))
    build(tmp_path / "b", edited(archive, "r000003", "Something else entirely"))
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_speaker_rename_and_extractor_version_rewrite(tmp_path: Path) -> None:
    archive = small_archive()
    build(tmp_path, archive)
    renamed = tuple(
        replace(s, name="Jack Kirby") if s.id == "john-kirby" else s for s in archive.speakers
    )
    build(tmp_path, Archive(archive.extractions, renamed))
    assert meta(tmp_path)["written"]["articles"] == 2  # the two articles quoting him
    index = open_index(tmp_path)
    assert {q.speaker for q in index.search(SearchRequest("jack", target="quotes")).quotes} == {
        "Jack Kirby"
    }
    index.close()
    build(tmp_path, archive, extractor_version="test-2")
    assert meta(tmp_path)["written"]["articles"] == 5
    assert meta(tmp_path)["written"]["incremental"] is False  # all changed: built afresh


def test_a_generation_fingerprinted_another_way_is_built_afresh(tmp_path: Path) -> None:
    archive = small_archive()
    build(tmp_path, archive)
    build(tmp_path, archive)
    assert meta(tmp_path)["written"]["reused"] == 5
    gen = store.current_generation(tmp_path)
    assert gen is not None
    data = orjson.loads((gen / store.META).read_bytes())
    data["fingerprint"] = "an older recipe"
    (gen / store.META).write_bytes(orjson.dumps(data))
    build(tmp_path, archive)
    assert meta(tmp_path)["written"]["incremental"] is False
    assert meta(tmp_path)["written"]["articles"] == 5


def test_duplicate_ids_are_indexed_once(tmp_path: Path) -> None:
    archive = small_archive()
    stats = build(tmp_path, archive, extractions=archive.extractions * 2)
    assert stats.articles == 5 and meta(tmp_path)["written"]["duplicates"] == 5


def _failing(extractions: Iterable[Extraction], after: int, error: BaseException) -> Iterator[Any]:
    for n, extraction in enumerate(extractions):
        if n == after:
            raise error
        yield extraction


@pytest.mark.parametrize("error", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_failed_build_leaves_the_old_index_answering(tmp_path: Path, error: BaseException) -> None:
    archive = random_archive(25, seed=9)
    build(tmp_path, archive)
    before = snapshot(tmp_path)
    reader = open_index(tmp_path)
    changed = edited(archive, "r000001", "Never published")
    with pytest.raises(type(error)):
        build(tmp_path, changed, extractions=_failing(changed.extractions, 12, error))
    assert snapshot(tmp_path) == before
    assert reader.search(SearchRequest("never published")).total == 0
    assert not list(tmp_path.glob("gen-*.tmp"))
    build(tmp_path, changed)
    assert reader.search(SearchRequest('"never published"')).total == 1
    reader.close()


def test_stale_temporary_generation_is_removed(tmp_path: Path) -> None:
    archive = small_archive()
    build(tmp_path, archive)
    stale = tmp_path / "gen-7.tmp"
    (stale / "articles").mkdir(parents=True)
    (stale / "articles" / "junk").write_bytes(b"\x00" * 10)
    stats = build(tmp_path, archive)
    assert not stale.exists()
    assert stats.generation == "gen-8"  # never reuses a number a crashed build had
    assert sorted(p.name for p in tmp_path.glob("gen-*")) == ["gen-1", "gen-8"]
    build(tmp_path, archive)
    assert sorted(p.name for p in tmp_path.glob("gen-*")) == ["gen-8", "gen-9"]


def test_second_build_fails_at_once_or_waits(tmp_path: Path) -> None:
    archive = small_archive()
    build(tmp_path, archive)
    acquired, release = threading.Event(), threading.Event()

    def other_build() -> None:  # another holder, on its own thread as another process would be
        with FileLock(str(tmp_path / store.LOCK)):
            acquired.set()
            release.wait(10)

    holder = threading.Thread(target=other_build)
    holder.start()
    try:
        assert acquired.wait(10)
        started = time.monotonic()
        with pytest.raises(IndexLockedError) as info:
            build(tmp_path, archive)
        assert time.monotonic() - started < 1.0
        assert "\n" not in str(info.value) and str(tmp_path) in str(info.value)
        with pytest.raises(IndexLockedError):
            build(tmp_path, archive, lock_timeout=0.2)
        threading.Timer(0.3, release.set).start()
        stats = build(tmp_path, archive, lock_timeout=None)
        assert stats.generation == "gen-2"
    finally:
        release.set()
        holder.join()


def test_missing_and_incompatible_indexes(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="whosaid build"):
        open_index(tmp_path / "nothing")
    build(tmp_path, small_archive())
    gen = store.current_generation(tmp_path)
    assert gen is not None
    data = orjson.loads((gen / store.META).read_bytes())
    data["schema_version"] = "0"
    (gen / store.META).write_bytes(orjson.dumps(data))
    with pytest.raises(IndexVersionError) as info:
        open_index(tmp_path)
    assert str(info.value) == (
        f"index at {tmp_path} was built by an incompatible version (schema 0, this is "
        f"{SCHEMA_VERSION}): run `whosaid build PATH --index {tmp_path}` to rebuild it"
    )
    build(tmp_path, small_archive())  # an incompatible generation is rebuilt from scratch
    assert meta(tmp_path)["written"]["incremental"] is False
    assert open_index(tmp_path).stats().articles == 5
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "_MAIN_1.toc").write_bytes(b"")
    with pytest.raises(IndexVersionError, match="schema 0"):
        open_index(legacy)


def test_reader_keeps_answering_across_swaps(tmp_path: Path) -> None:
    """A reader thread queries nonstop while builds swap generations underneath it."""
    base = random_archive(30, seed=6)
    versions = [edited(base, "r000002", f"Edition number{n} headline") for n in range(6)]
    build(tmp_path, versions[0])
    reader = open_index(tmp_path)
    failures: list[BaseException] = []
    answered = 0
    stop = threading.Event()

    def query() -> None:
        nonlocal answered
        while not stop.is_set():
            try:
                result = reader.search(SearchRequest("headline", target="articles"))
                assert result.total == 1, result
                reader.search(SearchRequest("vote", target="quotes", speakers=("garcia",)))
                answered += 1
            except BaseException as exc:  # any failure at all is what this test looks for
                failures.append(exc)

    thread = threading.Thread(target=query)
    thread.start()
    try:
        for version in versions[1:]:
            build(tmp_path, version)
            time.sleep(0.02)
    finally:
        stop.set()
        thread.join()
    assert failures == []
    assert answered > 0
    latest = reader.search(SearchRequest("number5"))
    assert [a.id for a in latest.articles] == ["r000002"]
    assert reader.stats().generation == "gen-6"
    reader.close()


def test_indexes_written_by_child_processes_give_the_same_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index import child_writer

    archive = random_archive(60, seed=8)
    changed = edited(archive, "r000010", "A brand new headline")
    fewer = Archive(changed.extractions[:-5], changed.speakers)
    build(tmp_path / "inline", archive)
    build(tmp_path / "inline", changed)
    build(tmp_path / "inline", fewer)
    monkeypatch.setattr(child_writer, "QUOTES_SPAWN_AFTER", 20)
    monkeypatch.setattr(child_writer, "ARTICLES_SPAWN_AFTER", 10)
    monkeypatch.setattr(child_writer, "BATCH", 7)
    build(tmp_path / "child", archive)
    build(tmp_path / "child", changed)
    build(tmp_path / "child", fewer)
    assert meta(tmp_path / "child")["written"]["deleted"] == 5
    assert snapshot(tmp_path / "child") == snapshot(tmp_path / "inline")

    before = snapshot(tmp_path / "child")
    with pytest.raises(RuntimeError):
        build(
            tmp_path / "child",
            archive,
            extractions=_failing(archive.extractions, 50, RuntimeError("stop")),
        )
    assert snapshot(tmp_path / "child") == before
    assert not list((tmp_path / "child").glob("gen-*.tmp"))


def test_empty_archive_and_odd_records(tmp_path: Path) -> None:
    from archive.models import Article, Entity, Quote

    stats = build_index(tmp_path, [], [], lambda a, e: None, model=MODEL, extractor_version="x")
    assert (stats.articles, stats.quotes) == (0, 0)
    index = open_index(tmp_path)
    for text in ("", "border", '"a b"'):
        assert index.search(SearchRequest(text, target="quotes", date_from="2020")).total == 0
    assert index.article("x") is None and index.speaker("x") is None
    odd = Extraction(
        Article(id="o1", title="", text="", outlet=" ", date="someday"),
        quotes=(Quote("hi", 0, 2, entity=7),),
        entities=(Entity("A", "person"),),
    )
    records = [StoredRecord.of(odd)]
    build_index(tmp_path, records, [], lambda a, e: None, model=MODEL, extractor_version="x")
    result = index.search(SearchRequest("", target="quotes", date_from="2000"))
    assert result.total == 0  # an unparseable date never passes a date filter
    result = index.search(SearchRequest("hi", target="quotes"))
    assert result.total == 1 and result.quotes[0].speaker_id is None
    assert [v.value for v in result.facet("outlet").values] == ["unknown"]  # type: ignore[union-attr]
    index.close()


@pytest.mark.parametrize("pointer", ["", "gen-99", "../../etc", "gen-1.tmp", "\x00\xff"])
def test_a_broken_pointer_reads_as_no_index_and_the_next_build_repairs_it(
    tmp_path: Path, pointer: str
) -> None:
    build(tmp_path, small_archive())
    (tmp_path / "CURRENT").write_text(pointer, encoding="utf-8", errors="surrogateescape")
    with pytest.raises(IndexMissingError):
        open_index(tmp_path)
    stats = build(tmp_path, small_archive())
    assert open_index(tmp_path).stats().generation == stats.generation
    assert meta(tmp_path)["written"]["incremental"] is False
