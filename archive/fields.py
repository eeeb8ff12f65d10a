"""Metadata fields from JSONL rows and sidecars: aliases, types, one-line complaints.

Exports disagree on names (`body`, `headline`, `author`...) and types (an id
as a number, authors as a list); those are accepted. Only what cannot be
made sense of is refused, with the field named.
"""

from __future__ import annotations

from typing import Any

# Our field name -> accepted names, first match wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "doc_id", "uuid"),
    "title": ("title", "headline"),
    "outlet": ("outlet", "source", "publisher", "publication", "site_name"),
    "byline": ("byline", "author", "authors", "by"),
    "date": ("date", "published", "publish_date", "published_at", "pubdate", "datePublished"),
    "url": ("url", "link", "canonical_url"),
    "text": ("text", "body", "content", "article", "maintext"),
}
METADATA = ("id", "title", "outlet", "byline", "date", "url")


class FieldError(ValueError):
    """A field that cannot be used; the message is the one-line reason."""


def _type_name(value: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean"}.get(
        type(value), type(value).__name__
    )


def pick(row: dict[str, Any], name: str) -> tuple[str, Any] | None:
    """(key as written, value) of the first non-null alias of `name` present in `row`."""
    for key in ALIASES[name]:
        if key in row and row[key] is not None:
            return key, row[key]
    return None


def as_text(row: dict[str, Any]) -> str:
    found = pick(row, "text")
    if found is None:
        present = [k for k in ALIASES["text"] if k in row]
        if present:
            raise FieldError(f"field '{present[0]}' is null")
        raise FieldError("missing field 'text'")
    key, value = found
    if not isinstance(value, str):
        raise FieldError(f"field '{key}' must be a string, got {_type_name(value)}")
    if not value.strip():
        raise FieldError(f"field '{key}' is empty")
    return value


def as_metadata(row: dict[str, Any]) -> dict[str, str | int | float]:
    """The metadata fields present, as strings (dates may stay numbers); unusable ones refused."""
    out: dict[str, str | int | float] = {}
    for name in METADATA:
        found = pick(row, name)
        if found is None:
            continue
        key, value = found
        if isinstance(value, bool | dict):
            raise FieldError(f"field '{key}' must be a string, got {_type_name(value)}")
        if isinstance(value, int | float):
            out[name] = value if name == "date" else _number(value)
        elif isinstance(value, str):
            if value.strip():
                out[name] = " ".join(value.split()) if name != "url" else value.strip()
        elif isinstance(value, list) and name == "byline":
            parts = [_part(key, item) for item in value]
            joined = ", ".join(p for p in parts if p)
            if joined:
                out[name] = joined
        else:
            raise FieldError(f"field '{key}' must be a string, got {_type_name(value)}")
    if "id" in out and isinstance(out["id"], str) and len(out["id"]) > 512:
        raise FieldError("field 'id' is longer than 512 characters")
    return out


def _number(value: int | float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _part(key: str, item: object) -> str:
    """One element of a list-valued field: authors as strings or `{"name": ...}` objects."""
    if isinstance(item, str):
        return " ".join(item.split())
    if isinstance(item, dict) and isinstance(item.get("name"), str):
        return " ".join(item["name"].split())
    raise FieldError(f"field '{key}' must be a string or a list of strings")
