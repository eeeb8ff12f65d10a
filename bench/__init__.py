"""Benchmarks and scoring for quote extraction (not part of the installed package)."""
