"""Imported by the fork server of extraction workers, and by nothing else: see worker_start."""

from archive.worker_start import preload

preload()
