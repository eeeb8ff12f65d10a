"""Saved web pages: the article's paragraphs and metadata, with the stdlib HTML parser.

Paragraphs come from `<p>` (and `<blockquote>`/`<h2>`-`<h4>`) inside `<article>`
when the page has one, else from the whole body; navigation, asides, footers,
forms, scripts and figures are skipped. Metadata comes from the tags sites
publish for sharing (`og:site_name`, `article:published_time`, `author`,
`og:url`), which are more reliable than anything in the visible text. The
stdlib parser tolerates broken markup and needs no extra dependency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


_SKIPPED = _tags(
    "script style noscript template nav aside footer header form figure figcaption "
    "svg button select iframe object"
)
_BLOCKS = _tags("p blockquote h2 h3 h4 li")
_VOID = _tags("area base br col embed hr img input link meta source track wbr")
_META = {
    "og:site_name": "outlet",
    "application-name": "outlet",
    "article:published_time": "date",
    "date": "date",
    "pubdate": "date",
    "dc.date": "date",
    "author": "byline",
    "article:author": "byline",
    "og:url": "url",
    "og:title": "title",
}


@dataclass(slots=True)
class Page:
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    article: list[str] = field(default_factory=list)  # paragraphs inside <article>
    body: list[str] = field(default_factory=list)  # paragraphs anywhere

    @property
    def paragraphs(self) -> list[str]:
        return self.article or self.body


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._skip = 0
        self._in_article = 0
        self._block: list[str] | None = None
        self._title: list[str] | None = None
        self._h1: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self._void(tag, dict(attrs))
            return
        if tag in _SKIPPED:
            self._skip += 1
        elif tag == "article":
            self._in_article += 1
        elif tag == "title" and not self.page.title:
            self._title = []
        elif tag == "h1" and self._h1 is None:
            self._h1 = []
        elif tag in _BLOCKS and not self._skip:
            self._flush()
            self._block = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def _void(self, tag: str, attrs: dict[str, str | None]) -> None:
        if tag == "br" and self._block is not None:
            self._block.append(" ")
        elif tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or "").lower()
            content = attrs.get("content")
            name = _META.get(key)
            if name and content and content.strip() and name not in self.page.meta:
                self.page.meta[name] = " ".join(content.split())
        elif tag == "link" and (attrs.get("rel") or "").lower() == "canonical":
            href = attrs.get("href")
            if href:
                self.page.meta.setdefault("url", href.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag == "article":
            self._flush()
            self._in_article = max(0, self._in_article - 1)
        elif tag == "title" and self._title is not None:
            self.page.title = " ".join("".join(self._title).split())
            self._title = None
        elif tag == "h1" and self._h1 is not None:
            heading = " ".join("".join(self._h1).split())
            if heading:
                self.page.meta.setdefault("h1", heading)
            else:
                self._h1 = None
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)
        if self._h1 is not None and "h1" not in self.page.meta:
            self._h1.append(data)
        if self._block is not None and not self._skip:
            self._block.append(data)

    def _flush(self) -> None:
        if self._block is None:
            return
        text = " ".join("".join(self._block).split())
        self._block = None
        if text:
            self.page.body.append(text)
            if self._in_article:
                self.page.article.append(text)


def read_html(markup: str) -> Page:
    """Parse a saved page; broken markup gives fewer paragraphs, never an error."""
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    reader._flush()
    page = reader.page
    heading = page.meta.pop("h1", "")
    page.title = heading or page.meta.get("title") or page.title
    page.meta.pop("title", None)
    return page
