"""Plain-text and JSON forms of search results, for the CLI (the TUI draws its own)."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import click

from archive.models import Speaker
from index.types import (
    ArticleHit,
    ArticleView,
    IndexStats,
    QuoteHit,
    SearchResult,
    Span,
)

if TYPE_CHECKING:
    from index.rebuild import BuildReport

WIDTH = 100
_BREAKS = re.compile(r"\s*\n\s*")


def mark(text: str, spans: Sequence[Span], color: bool) -> str:
    """Bold the highlighted spans on a terminal; plain text otherwise."""
    if not color or not spans:
        return text
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos or end > len(text):
            continue
        out.append(text[pos:start])
        out.append(click.style(text[start:end], bold=True, fg="yellow"))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _clip(text: str, spans: Sequence[Span], limit: int) -> tuple[str, tuple[Span, ...]]:
    """Shorten a long text around its first highlight so the match stays visible."""
    if len(text) <= limit:
        return text, tuple(spans)
    first = min((s for s, _ in spans), default=0)
    begin = max(0, min(first - limit // 3, len(text) - limit))
    clipped = text[begin : begin + limit]
    shifted = tuple((s - begin, e - begin) for s, e in spans if s >= begin and e <= begin + limit)
    prefix = "…" if begin else ""
    suffix = "…" if begin + limit < len(text) else ""
    return (
        prefix + clipped + suffix,
        tuple((s + len(prefix), e + len(prefix)) for s, e in shifted),
    )


def _one_line(text: str) -> str:
    return _BREAKS.sub(" ", text)


def _meta(*parts: str | None) -> str:
    return " · ".join(p for p in parts if p)


def quote_line(hit: QuoteHit, color: bool, limit: int = 300) -> str:
    text, spans = _clip(hit.text, hit.highlights, limit)
    who = hit.speaker or (f"({hit.speaker_mention})" if hit.speaker_mention else "(unattributed)")
    # wrap before styling: escape codes would throw textwrap's widths off
    body = "“" + mark(text, spans, True) + "”" if color else textwrap.fill(f"“{text}”", WIDTH)
    meta = _meta(who, hit.outlet, hit.date, hit.how, hit.article_id)
    return f"{body}\n    — {meta}"


def article_line(rank: int, hit: ArticleHit, color: bool) -> str:
    quotes = f"{hit.quote_count} quote{'s' if hit.quote_count != 1 else ''}"
    lines = [
        f"{rank:>3}. {mark(hit.title, hit.title_highlights, color)}",
        f"     {_meta(hit.outlet, hit.date, quotes, 'id ' + hit.id)}",
    ]
    if hit.snippet:
        snippet = _one_line(mark(hit.snippet, hit.highlights, color))
        lines.append(textwrap.indent(textwrap.fill(snippet, WIDTH - 5), "     "))
    return "\n".join(lines)


def result_text(result: SearchResult, color: bool) -> str:
    request = result.request
    noun = "quote" if request.target == "quotes" else "article"
    what = f" for {request.text!r}" if request.text else ""
    filters = [
        f"{label}: {', '.join(values)}"
        for label, values in (
            ("speaker", request.speakers),
            ("outlet", request.outlets),
            ("topic", request.topics),
        )
        if values
    ]
    if request.date_from or request.date_to:
        filters.append(f"date: {request.date_from or '…'} to {request.date_to or '…'}")
    head = f"{result.total} {noun}{'s' if result.total != 1 else ''}{what}"
    if filters:
        head += f" ({'; '.join(filters)})"
    lines = [head]
    if result.note:
        lines.append(f"note: {result.note}")
    lines.append("")
    if request.target == "quotes":
        lines.extend(quote_line(q, color) + "\n" for q in result.quotes)
    else:
        lines.extend(
            article_line(i + request.offset + 1, a, color) + "\n"
            for i, a in enumerate(result.articles)
        )
    shown = len(result.quotes) + len(result.articles)
    if result.total > shown + request.offset:
        lines.append(f"… {result.total - shown - request.offset} more (use --limit)")
    for facet in result.facets:
        if facet.values:
            values = ", ".join(f"{v.label} ({v.count})" for v in facet.values[:8])
            more = (
                f", +{len(facet.values) - 8 + facet.other} more"
                if (len(facet.values) > 8 or facet.other)
                else ""
            )
            lines.append(f"{facet.name + 's':<9} {values}{more}")
    return "\n".join(lines).rstrip()


def speakers_text(speakers: Sequence[Speaker]) -> str:
    if not speakers:
        return "no speakers"
    width = min(40, max(len(s.name) for s in speakers))
    lines = [f"{'SPEAKER':<{width}}  {'KIND':<12}  {'QUOTES':>6}  {'ARTICLES':>8}  ALIASES / ROLES"]
    for s in speakers:
        extra = "; ".join(part for part in (", ".join(s.aliases), ", ".join(s.roles)) if part)
        lines.append(
            f"{s.name[:width]:<{width}}  {s.kind:<12}  {s.quote_count:>6}  "
            f"{s.article_count:>8}  {extra}"
        )
    return "\n".join(lines)


def article_text(view: ArticleView, color: bool) -> str:
    article = view.article
    lines = [
        article.title,
        _meta(article.outlet, article.byline and f"by {article.byline}", article.date),
        f"id {article.id} · topics: {', '.join(view.topics) or 'none'}",
        "",
    ]
    body = article.text
    if color:
        spans = [(q.start, q.end) for q in view.quotes if q.speech]
        body = mark(body, spans, True)
    lines.extend(textwrap.fill(p, WIDTH) if p else "" for p in body.split("\n"))
    lines.append("")
    lines.append(f"QUOTES ({len(view.quotes)})")
    for i, quote in enumerate(view.quotes, 1):
        who = quote.speaker or quote.speaker_mention or "unattributed"
        flag = "" if quote.speech else " [not speech]"
        text, _ = _clip(quote.text, (), 200)
        lines.append(f"{i:>3}. {who} ({quote.how}{', ' + quote.cue if quote.cue else ''}){flag}")
        lines.append(textwrap.indent(textwrap.fill(f"“{text}”", WIDTH - 5), "     "))
    return "\n".join(lines)


def stats_text(stats: IndexStats) -> str:
    return "\n".join(
        [
            f"index       {stats.path} ({stats.generation}, built {stats.built_at})",
            f"articles    {stats.articles}",
            f"quotes      {stats.quotes}",
            f"speakers    {stats.speakers}",
            f"outlets     {', '.join(stats.outlets) or 'none'}",
            f"versions    schema {stats.schema_version}, extractor {stats.extractor_version}, "
            f"model {stats.model}",
        ]
    )


def build_summary(report: BuildReport) -> str:
    stats = report.stats
    reused = report.articles - report.extracted
    return (
        f"indexed {report.articles} articles, {report.quotes} quotes, {report.speakers} "
        f"speakers from {report.inputs} inputs ({report.duplicates} duplicates, "
        f"{report.rejected} rejected) in {report.seconds:.1f}s; "
        f"{report.extracted} extracted, {reused} from cache\n"
        f"index: {stats.path}"
        + (f"\nrejections: {report.errors_path}" if report.rejected or report.duplicates else "")
    )


def build_report_dict(report: BuildReport) -> dict[str, Any]:
    data = asdict(report)
    data["rejections"] = [asdict(r) for r in report.rejections]
    return data


def speaker_dict(speaker: Speaker) -> dict[str, Any]:
    return asdict(speaker)


def hit_dicts(result: SearchResult) -> list[dict[str, Any]]:
    hits: Sequence[Any] = result.quotes if result.request.target == "quotes" else result.articles
    return [asdict(h) for h in hits]


def result_dict(result: SearchResult) -> dict[str, Any]:
    return {
        "query": asdict(result.request),
        "total": result.total,
        "hits": hit_dicts(result),
        "facets": {f.name: [asdict(v) for v in f.values] for f in result.facets},
        "note": result.note,
        "elapsed_ms": round(result.elapsed_ms, 2),
    }


def article_view_dict(view: ArticleView) -> dict[str, Any]:
    return {
        "article": asdict(view.article),
        "topics": list(view.topics),
        "quotes": [asdict(q) for q in view.quotes],
    }
