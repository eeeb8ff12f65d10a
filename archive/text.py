"""Text folding shared by speaker matching, topics and outlet recognition."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s-]+")


def strip_accents(text: str) -> str:
    """`López` -> `Lopez`: decompose, then drop combining marks."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """The matching key for names and facet values: no accents, lower case, single spaces."""
    return _SPACES.sub(" ", strip_accents(text).casefold()).strip()


def fold_words(text: str) -> str:
    """`fold` with punctuation removed: `Mr. López-Obrador's` -> `mr lopez-obrador s`."""
    return _SPACES.sub(" ", _PUNCT.sub(" ", fold(text))).strip()


def slug(text: str) -> str:
    """A stable id fragment: `Andrés Manuel López Obrador` -> `andres-manuel-lopez-obrador`."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"
