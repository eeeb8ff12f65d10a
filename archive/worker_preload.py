"""Imported by the fork server of extraction workers, and by nothing else: see worker_start."""

import signal

from archive.worker_start import preload

# multiprocessing makes the server ignore Ctrl-C only after its preload: a Ctrl-C during
# the load would print the server's traceback under the build's one-line message.
signal.signal(signal.SIGINT, signal.SIG_IGN)
preload()
