"""Ingest: the seeds, the plain-text and JSONL forms, sidecars, outlets, dates, duplicates."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from archive.clean import normalise_newlines, normalise_text, strip_markup
from archive.dates import date_of_stamp_line, normalise_date
from archive.dedupe import DuplicateFilter
from archive.ingest import iter_inputs
from archive.models import Article, Rejection
from archive.outlets import canonical_outlet, detect_outlet, outlet_from_url
from archive.plaintext import looks_like_name, parse_byline, parse_plain_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT.parent / "shared" / "gold" / "seed_quotes.jsonl"


def articles(*paths: Path | str) -> list[Article]:
    results = list(iter_inputs(paths))
    bad = [r for r in results if isinstance(r, Rejection)]
    assert not bad, bad
    return [r for r in results if isinstance(r, Article)]


def one(path: Path) -> Article | Rejection:
    results = list(iter_inputs([path]))
    assert len(results) == 1, results
    return results[0]


def squash(text: str) -> str:
    """Compare as stored: NFC, no invisible marks, whitespace runs as one space."""
    return " ".join(normalise_text(text).split())


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    return {a.id[:3]: a for a in articles(SEEDS)}


@pytest.fixture()
def bare_seeds(tmp_path: Path) -> dict[str, Article]:
    """The seed texts without their sidecars: everything must come from the text."""
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, tmp_path / path.name)
    return {a.id[:3]: a for a in articles(tmp_path)}


# ---- seeds ------------------------------------------------------------------


def test_seed_ids_titles_and_order(seeds: dict[str, Article]) -> None:
    assert [a.id for a in articles(SEEDS)] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    for key, article in seeds.items():
        raw = next(SEEDS.glob(f"{key}_*.txt")).read_text(encoding="utf-8")
        first_line = next(line for line in raw.splitlines() if line.strip())
        assert article.title == first_line.strip()
        assert article.encoding == "utf-8"


def test_seed_metadata_from_sidecars(seeds: dict[str, Article]) -> None:
    assert (seeds["000"].outlet, seeds["000"].date) == ("The New York Times", "2023-12-27")
    assert (seeds["001"].outlet, seeds["001"].date) == ("The Wall Street Journal", "2023-12-22")
    assert seeds["001"].byline == "Ken Thomas"
    assert (seeds["004"].outlet, seeds["004"].date) == ("The Independent", "2023-12-26")
    assert seeds["002"].date == seeds["003"].date == "2023-12-27"


def test_seed_metadata_recognised_from_text_alone(bare_seeds: dict[str, Article]) -> None:
    assert bare_seeds["001"].outlet == "The Wall Street Journal"  # `Wall Street Journal` line
    assert bare_seeds["001"].byline == "Ken Thomas"
    assert bare_seeds["004"].outlet == "The Independent"  # self-references in its appeals
    # 003 cites the New York Post, the New York Times and CNN: none of them published it.
    assert bare_seeds["003"].outlet == "unknown"
    assert bare_seeds["002"].outlet == "unknown"
    assert bare_seeds["002"].byline is None  # `Written by Published` is no name
    assert "Written by" not in bare_seeds["002"].text


def test_seed_header_lines_leave_the_body(seeds: dict[str, Article]) -> None:
    assert not seeds["000"].text.startswith("Blinken Heads to Mexico")  # repeated title dropped
    assert seeds["000"].text.startswith("Secretary of State Antony J. Blinken")
    assert "By Ken Thomas" not in seeds["001"].text
    assert "Wall Street Journal" not in seeds["001"].text
    assert seeds["001"].text.startswith("Planned meetings follow")


def test_seed_boilerplate_is_gone(seeds: dict[str, Article]) -> None:
    for furniture in (
        "Your support",
        "Your donation",
        "paywalls",
        "Join our commenting forum",
        "thought-provoking",
        "The Independent is trusted",
        "on the ground when the story is developing",
    ):
        assert furniture not in seeds["004"].text, furniture
    assert seeds["004"].text.split("\n\n")[-1].startswith("Immigration reform has been deadlocked")
    assert "\n\nA vast caravan of thousands of migrants" in seeds["004"].text
    text3 = seeds["003"].text
    for furniture in ("▶", "Seconds", "Zippity", "under construction", "podcast", "✪"):
        assert furniture not in text3, furniture
    assert text3.endswith("And you still have networks of smugglers,” he explained.")


def test_seed_gold_quotes_survive_cleaning(seeds: dict[str, Article]) -> None:
    """Every gold quotation (links reduced to their words) is still in the cleaned text,
    except non-speech ones that sat inside removed furniture (004's `The A Word` is the
    title of a documentary promoted in the donation appeal, which must be removed)."""
    if not GOLD.exists():
        pytest.skip(f"{GOLD} not present")
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    assert rows
    missing = []
    for row in rows:
        article = seeds[row["article"][:3]]
        if squash(strip_markup(row["quote"])) not in squash(article.text):
            missing.append(row)  # gold keeps `[text](#)` as in the raw file; the text does not
    for row in missing:
        assert row["speech"] is False, row["quote"]
        raw = normalise_newlines((SEEDS / row["article"]).read_text(encoding="utf-8"))
        removed = parse_plain_text(raw).body.removed
        assert any(squash(row["quote"]) in squash(r) for r in removed), row["quote"]
    assert len(missing) <= 1


def test_seed_text_shape(seeds: dict[str, Article]) -> None:
    for article in seeds.values():
        paragraphs = article.text.split("\n\n")
        assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)
        assert "\r" not in article.text


# ---- plain text -------------------------------------------------------------


def test_plain_text_header_byline_outlet_date(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(
        "Storm floods the valley\n\nBy JANE DOE and John Roe, Reuters\n"
        "Published Dec. 27, 2023\n\nThe river rose overnight.\n\nResidents left.\n",
        encoding="utf-8",
    )
    article = one(path)
    assert isinstance(article, Article)
    assert article.id == "story"
    assert article.title == "Storm floods the valley"
    assert article.byline == "Jane Doe, John Roe"
    assert article.outlet == "Reuters"
    assert article.date == "2023-12-27"
    assert article.text == "The river rose overnight.\n\nResidents left."


def test_markdown_title_heading_marks_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Storm floods the valley\n\nThe river rose.\n", encoding="utf-8")
    article = one(path)
    assert isinstance(article, Article)
    assert (article.title, article.text) == ("Storm floods the valley", "The river rose.")


def test_by_sentence_in_body_is_not_a_byline(tmp_path: Path) -> None:
    path = tmp_path / "story"  # no extension: still text
    path.write_text(
        "Title\nBy the time the caravan reached the border, it had grown to 8,000.\n",
        encoding="utf-8",
    )
    article = one(path)
    assert isinstance(article, Article)
    assert article.byline is None
    assert article.text.startswith("By the time the caravan")


def test_hard_wrapped_paragraphs_are_joined(tmp_path: Path) -> None:
    body = (
        "The council voted on Tuesday to close the old bridge after engineers\n"
        "found cracks in two of its supports, officials said in a statement\n"
        "released late in the evening after a long and heated session.\n\n"
        "Traffic will be diverted through the town centre for at least six\n"
        "months while a replacement is designed, the mayor told reporters at\n"
        "the scene, adding that the cost was not yet known to anyone.\n"
    )
    path = tmp_path / "wrapped.txt"
    path.write_text("Bridge closed\n\n" + body, encoding="utf-8")
    article = one(path)
    assert isinstance(article, Article)
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].endswith("after a long and heated session.")


def test_sidecar_overrides_every_field(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Old title\n\nBy Ann Lee\n\nBody text here.\n", "utf-8")
    meta = {
        "id": "new-id",
        "title": "New title",
        "outlet": "wsj",
        "byline": "Bo Chan",
        "date": "Wed, 27 Dec 2023 10:00:00 +0000",
        "url": "https://example.org/x",
    }
    (tmp_path / "a.meta.json").write_text(json.dumps(meta), "utf-8")
    article = one(tmp_path / "a.txt")
    assert isinstance(article, Article)
    assert (article.id, article.title, article.outlet, article.byline, article.date) == (
        "new-id",
        "New title",
        "The Wall Street Journal",
        "Bo Chan",
        "2023-12-27",
    )
    assert article.url == "https://example.org/x"


def test_broken_sidecar_is_a_clear_rejection(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\n\nBody.\n", "utf-8")
    (tmp_path / "a.meta.json").write_text("{broken", "utf-8")
    result = one(tmp_path / "a.txt")
    assert isinstance(result, Rejection)
    assert "sidecar a.meta.json" in result.reason


# ---- JSONL ------------------------------------------------------------------


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in rows) + b"\n")
    return path


def test_jsonl_fields_and_aliases(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "feed.jsonl",
        [
            {
                "id": "a1",
                "title": "T",
                "outlet": "NYT",
                "byline": "X Y",
                "date": "2023-12-27T08:00:00-05:00",
                "url": "u",
                "text": "Body one.",
            },
            {
                "headline": "H",
                "body": "Body two.\r\nSecond paragraph.",
                "author": ["Ann Lee", "Bo Chan"],
                "published": "27 December 2023",
                "link": "https://www.reuters.com/world/x",
            },
            {"content": "Body three.", "publisher": "The Guardian", "publish_date": 1703635200},
        ],
    )
    a, b, c = articles(path)
    assert (a.id, a.title, a.outlet, a.byline, a.date, a.url) == (
        "a1",
        "T",
        "The New York Times",
        "X Y",
        "2023-12-27",
        "u",
    )
    assert a.source.endswith("feed.jsonl:1")
    assert (b.id, b.title, b.byline, b.date, b.outlet) == (
        "feed-2",
        "H",
        "Ann Lee, Bo Chan",
        "2023-12-27",
        "Reuters",
    )
    assert b.text == "Body two.\n\nSecond paragraph."
    assert (c.id, c.outlet, c.date, c.title) == ("feed-3", "The Guardian", "2023-12-27", "")


def test_jsonl_text_is_cleaned_and_repeated_title_dropped(tmp_path: Path) -> None:
    text = "Big news\n\nAdvertisement\n\nThe real story.\n\nRead more: other things"
    path = write_jsonl(tmp_path / "f.jsonl", [{"title": "Big news", "text": text}])
    (article,) = articles(path)
    assert article.text == "The real story."


def test_unparseable_date_is_none_not_a_rejection(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "f.ndjson", [{"text": "Body.", "date": "sometime soon"}])
    (article,) = articles(path)
    assert article.date is None


# ---- outlets and dates ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("WSJ", "The Wall Street Journal"),
        ("Wall Street Journal", "The Wall Street Journal"),
        ("the wall street journal", "The Wall Street Journal"),
        ("AP", "Associated Press"),
        ("  nytimes.com ", "The New York Times"),
        ("Le Monde", "Le Monde"),
        ("", "unknown"),
        ("Unknown", "unknown"),
    ],
)
def test_canonical_outlet(name: str, canonical: str) -> None:
    assert canonical_outlet(name) == canonical


def test_outlet_from_url() -> None:
    assert outlet_from_url("https://www.nytimes.com/2023/12/27/us/x.html") == "The New York Times"
    assert outlet_from_url("https://edition.cnn.com/x") == "CNN"
    assert outlet_from_url("https://example.com/x") is None
    assert outlet_from_url("http://[::1") is None


def test_detect_outlet_from_text_evidence() -> None:
    assert detect_outlet(body=["WASHINGTON (AP) — The Senate voted."]) == "Associated Press"
    assert detect_outlet(body=["LONDON (Reuters) - Prices rose."]) == "Reuters"
    assert detect_outlet(boilerplate=["© 2024 The Washington Post"]) == "The Washington Post"
    assert detect_outlet(boilerplate=["Sign up for the Guardian's newsletters"]) == "The Guardian"
    assert detect_outlet(boilerplate=["Photo: Reuters", "Read more: CNN on the vote"]) is None
    # Citing another outlet in the reporting is not publishing with it.
    assert detect_outlet(body=["As the New York Post points out, the numbers rose."]) is None
    assert detect_outlet(body=["Officials said (AP) nothing."]) is None


def test_bylines_and_names() -> None:
    assert parse_byline("By Jane Doe, Reuters") == (["Jane Doe"], "Reuters")
    assert parse_byline("By Alicia A. Caldwell | CNN") == (["Alicia A. Caldwell"], "CNN")
    assert parse_byline("Written by Published") == ([], None)
    assert parse_byline("Secretary Blinken arrived") is None
    assert looks_like_name("Luis de la Cruz")
    assert not looks_like_name("Friday Morning")
    assert not looks_like_name("the crowd")


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2023-12-27", "2023-12-27"),
        ("2023-12-27T23:30:00Z", "2023-12-27"),
        ("Dec. 27, 2023", "2023-12-27"),
        ("December 27, 2023", "2023-12-27"),
        ("27 December 2023", "2023-12-27"),
        ("Sept. 3, 2024", "2024-09-03"),
        ("Wed, 27 Dec 2023 10:00:00 +0000", "2023-12-27"),
        ("2023-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_normalise_date(value: object, iso: str | None) -> None:
    assert normalise_date(value) == iso


def test_date_stamp_lines() -> None:
    assert date_of_stamp_line("Updated 10:32 AM EST, Wed December 27, 2023") == "2023-12-27"
    assert date_of_stamp_line("December 27, 2023") == "2023-12-27"
    assert date_of_stamp_line("On Dec. 27, 2023 the president flew to Mexico City.") is None


# ---- duplicates ---------------------------------------------------------------

STORY = " ".join(
    f"Sentence {i} of the report describes how the delegation met officials in city {i}."
    for i in range(30)
)


def make(id_: str, text: str = STORY, outlet: str = "Reuters") -> Article:
    return Article(id=id_, title="t", text=text, outlet=outlet)


def test_duplicate_same_id_and_same_text() -> None:
    seen = DuplicateFilter()
    assert seen.check(make("a")) is None
    assert seen.check(make("a", "something else entirely")) == "duplicate of a (same id)"
    reason = seen.check(make("b", "  " + STORY.upper().replace(" ", "\n")))
    assert reason == "duplicate of a (same text)"
    assert len(seen) == 1


def test_near_duplicates_only_within_one_outlet() -> None:
    edited = STORY.replace("city 7", "town 7").replace("Sentence 20", "Line 20")
    seen = DuplicateFilter()
    assert seen.check(make("a")) is None
    # The same wire story in another outlet is another article, verbatim or edited.
    assert seen.check(make("wire-verbatim", STORY, outlet="Associated Press")) is None
    assert seen.check(make("wire-edited", edited, outlet="Associated Press")) is not None
    reason = seen.check(make("b", edited))
    assert reason is not None and reason.startswith("duplicate of a (near-duplicate")
    assert seen.check(make("c", edited, outlet="unknown")) is not None


def test_different_stories_and_short_texts_are_not_near_duplicates() -> None:
    seen = DuplicateFilter()
    other = " ".join(f"Paragraph {i}: the storm closed road {i * 7} overnight." for i in range(40))
    assert seen.check(make("a")) is None
    assert seen.check(make("b", other)) is None
    assert seen.check(make("c", "Short item one.")) is None
    assert seen.check(make("d", "Short item two.")) is None


def test_seed_articles_are_not_duplicates_of_each_other(seeds: dict[str, Article]) -> None:
    seen = DuplicateFilter()
    assert all(seen.check(a) is None for a in seeds.values())
    assert (
        seen.check(replace(seeds["001"], id="again"))
        == f"duplicate of {seeds['001'].id} (same text)"
    )


# ---- real articles (evaluation only: read in place, never copied) ----------------

NEWS_DEV = ROOT.parent / "shared" / "gold" / "news-dev"


def test_news_dev_articles_ingest_and_keep_every_gold_quote() -> None:
    if not (NEWS_DEV / "quotes.jsonl").exists():
        pytest.skip(f"{NEWS_DEV} not present")
    by_name = {Path(a.source).name: a for a in articles(NEWS_DEV / "articles")}
    assert len(by_name) == len(list((NEWS_DEV / "articles").glob("*.txt")))
    rows = [json.loads(x) for x in (NEWS_DEV / "quotes.jsonl").read_text("utf-8").splitlines() if x]
    lost = [
        row["quote"]
        for row in rows
        if squash(row["quote"]) not in squash(by_name[row["article"]].text)
        and squash(row["quote"]) != squash(by_name[row["article"]].title)
    ]
    assert lost == []


# ---- HTML -------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Storm floods valley | The Daily Ledger</title>
<meta property="og:site_name" content="The Guardian">
<meta property="article:published_time" content="2024-01-05T10:00:00Z">
<meta name="author" content="Ann Lee"><link rel="canonical" href="https://example.org/x">
<script>var x = "<p>not text</p>";</script></head><body>
<nav><p>Home</p><p>World</p></nav><header><p>Subscribe</p></header>
<article><h1>Storm floods the valley</h1>
<p>The river rose two metres overnight,&nbsp;officials &amp; residents said.</p>
<figure><img src="x.jpg"><figcaption>Photo: someone</figcaption></figure>
<p>“We have never seen this,” the mayor said.<br>Roads were closed.</p><p>Advertisement</p>
<aside><p>Read more: other story</p></aside>
<p>Sign up for our morning newsletter to get updates.</p>
</article><footer><p>© 2024 Guardian News</p></footer></body></html>"""


def test_html_article_paragraphs_and_sharing_metadata(tmp_path: Path) -> None:
    path = tmp_path / "storm.html"
    path.write_text(PAGE, "utf-8")
    article = one(path)
    assert isinstance(article, Article)
    assert (article.id, article.title, article.outlet, article.byline, article.date) == (
        "storm",
        "Storm floods the valley",
        "The Guardian",
        "Ann Lee",
        "2024-01-05",
    )
    assert article.url == "https://example.org/x"
    assert article.text == (
        "The river rose two metres overnight, officials & residents said.\n\n"
        "“We have never seen this,” the mayor said. Roads were closed."
    )


def test_html_without_article_tag_or_paragraphs(tmp_path: Path) -> None:
    plain = tmp_path / "plain.htm"
    plain.write_text("<html><title>T</title><p>First.<p>Second <b>bold</b>.</html>", "utf-8")
    article = one(plain)
    assert isinstance(article, Article)
    assert (article.title, article.text) == ("T", "First.\n\nSecond bold.")
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><div>menu</div><script>x</script></body></html>", "utf-8")
    result = one(empty)
    assert isinstance(result, Rejection)
    assert result.reason == "no article paragraphs found in the HTML page"
