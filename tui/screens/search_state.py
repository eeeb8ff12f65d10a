"""What a search depends on, kept apart from the screen that edits it.

`SearchState` is the screen's model: the text, Articles or Quotes, the sort
and the chosen facet values in the order they were chosen. `request()` turns
it into the index's terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from index.types import SearchRequest, SortOrder, Target

SORT_LABELS: dict[SortOrder, str] = {
    "relevance": "relevance",
    "date": "newest first",
    "date_asc": "oldest first",
}
NEXT_SORT: dict[SortOrder, SortOrder] = {
    "relevance": "date",
    "date": "date_asc",
    "date_asc": "relevance",
}


@dataclass
class SearchState:
    """Everything a search depends on; `request()` turns it into the index's terms."""

    text: str = ""
    target: Target = "articles"
    sort: SortOrder = "relevance"
    chosen: list[tuple[str, str]] = field(default_factory=list)  # (facet, value), in order
    labels: dict[tuple[str, str], str] = field(default_factory=dict)
    limit: int = 60  # one screenful and some; more pages load as the cursor nears the end

    def values(self, facet: str) -> tuple[str, ...]:
        return tuple(v for f, v in self.chosen if f == facet)

    def request(self) -> SearchRequest:
        return SearchRequest(
            text=self.text.strip(),
            target=self.target,
            speakers=self.values("speaker"),
            outlets=self.values("outlet"),
            topics=self.values("topic"),
            sort=self.sort,
            limit=self.limit,
        )


_FIELDS = {"speaker": "speakers", "outlet": "outlets", "topic": "topics"}


def request_values(request: SearchRequest, facet: str) -> tuple[str, ...]:
    values: tuple[str, ...] = getattr(request, _FIELDS[facet])
    return values


def without_facet(request: SearchRequest, facet: str) -> SearchRequest:
    """The same search without this facet's filter: its values' counts if OR-ed in.

    The index counts facets over the filtered matches, so once a speaker is
    chosen the other speakers would vanish; this wider count keeps them
    listed with the number of results each has under the other filters.
    For a chosen value the two counts are the same number.
    """
    wider = replace(request, limit=0, offset=0)
    if facet == "speaker":
        return replace(wider, speakers=())
    if facet == "outlet":
        return replace(wider, outlets=())
    return replace(wider, topics=())


def default_export_path(state: SearchState) -> Path:
    words = "-".join(state.text.split()[:3]) or "all"
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in words)
    return Path.cwd() / f"whosaid-{state.target}-{safe}.jsonl"
