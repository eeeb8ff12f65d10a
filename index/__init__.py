"""Whoosh schema, index builds and search. Every Whoosh call in the project lives here."""

SCHEMA_VERSION = "1"
"""Bump when the stored layout changes; older indexes then ask to be rebuilt."""
