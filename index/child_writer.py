"""Write each Whoosh index of a generation in a child process while the build goes on.

Whoosh spends its time in Python analysing and sorting postings, so one writer uses
one core. The articles index (whole texts) is about two thirds of the work and the
quotes index one third; with both in children the parent only reads records and
packs documents, and the two writers share the cores. Small builds never pay for a
process: documents are buffered and written in-process unless the build grows past
the writer's `spawn_after`. A child exits without committing when its parent dies,
so a killed build leaves only a temporary folder for the next build to remove.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

from whoosh import index as whoosh_index

from index.segments import tidy_merge
from index.types import WhosaidIndexError

# Documents buffered in-process before a child is worth its start (about 0.3 s of
# interpreter and Whoosh import): an article costs the writer about 3 ms, a quote 0.4.
ARTICLES_SPAWN_AFTER = 500
QUOTES_SPAWN_AFTER = 5000
BATCH = 500
# Whoosh sorts a segment's postings in memory up to `limitmb` (its estimate; real
# memory is about 1.1x) and past that spills sorted runs to disk, pickling and merging
# every posting: at 10k articles the articles index spilling costs a third of the
# indexing CPU. The articles' postings (whole texts) fit in 512 at 10k; the quotes'
# in 256. At 100k both spill, and the two writers stay under ~1 GB together.
ARTICLES_LIMIT_MB = 512
QUOTES_LIMIT_MB = 256
ROOT = Path(__file__).resolve().parents[1]


def open_writer(folder: Path, limitmb: int) -> Any:
    # compound=False: whoosh3 copies a compound segment's postings into memory on open
    # (BytesIO over the mmap), so a 100k-article index would cost ~1 GB per reader.
    return whoosh_index.open_dir(str(folder)).writer(limitmb=limitmb, compound=False)


def commit(writer: Any, merge: bool) -> None:
    """Commit a writer; `merge` (incremental builds) tidies old segments on the way."""
    if merge:
        writer.commit(mergetype=tidy_merge)
    else:
        writer.commit(merge=False)


def serve(folder: Path, merge: bool, limitmb: int, inbox: IO[bytes], outbox: IO[str]) -> int:
    """The child's loop: apply pickled commands until commit; end of input means cancel.

    The parent's death closes our stdin, so a killed build never gets a commit here.
    """
    writer = open_writer(folder, limitmb)
    try:
        while True:
            try:
                command, payload = pickle.load(inbox)
            except EOFError:
                writer.cancel()
                return 1
            if command == "add":
                for doc in payload:
                    writer.add_document(**doc)
            elif command == "delete":
                for field, value in payload:
                    writer.delete_by_term(field, value)
            elif command == "commit":
                commit(writer, merge)
                outbox.write("ok\n")
                outbox.flush()
                return 0
    except BaseException as exc:
        with contextlib.suppress(Exception):
            writer.cancel()
        outbox.write(f"{type(exc).__name__}: {exc}".splitlines()[0] + "\n")
        outbox.flush()
        return 1


class ChildWriter:
    """`add`/`delete`, then `request_commit` and `finish_commit` (or `cancel`), on a
    Whoosh writer in this process or in a child."""

    def __init__(self, folder: Path, *, merge: bool, limitmb: int, spawn_after: int) -> None:
        self.folder = folder
        self.merge = merge
        self.limitmb = limitmb
        self.spawn_after = spawn_after
        self._pending: list[tuple[str, Any]] = []  # buffered until we know the size
        self._size = 0
        self._local: Any = None
        self._child: subprocess.Popen[bytes] | None = None
        self._batch: list[dict[str, Any]] = []

    def add(self, doc: dict[str, Any]) -> None:
        self._size += 1
        if self._child is not None:
            self._batch.append(doc)
            if len(self._batch) >= BATCH:
                self._send_batch()
        elif self._local is not None:
            self._local.add_document(**doc)
        else:
            self._pending.append(("add", doc))
            if self._size > self.spawn_after:
                self._start()

    def delete(self, field: str, value: str) -> None:
        if self._child is not None:
            self._send_batch()
            self._send("delete", [(field, value)])
        elif self._local is not None:
            self._local.delete_by_term(field, value)
        else:
            self._pending.append(("delete", (field, value)))

    @property
    def in_child(self) -> bool:
        return self._child is not None

    def request_commit(self) -> None:
        """Ask a child to commit, so that it works while the caller commits other writers."""
        if self._child is not None:
            self._send_batch()
            self._send("commit", None)

    def finish_commit(self) -> None:
        """Commit in-process, or wait for the child's commit asked for by `request_commit`."""
        if self._child is None:
            if self._local is not None or self._pending:
                self._flush_local()
                commit(self._local, self.merge)
                self._local = None
            return
        answer = self._answer()
        self._child.wait(timeout=60)
        self._child = None
        if answer != "ok":
            raise WhosaidIndexError(f"writing the {self.folder.name} index failed: {answer}")

    def cancel(self) -> None:
        if self._local is not None:
            with contextlib.suppress(Exception):
                self._local.cancel()
            self._local = None
        if self._child is not None:
            self._child.kill()
            with contextlib.suppress(Exception):
                self._child.wait(timeout=10)
            self._child = None
        self._pending = []

    # -- internals -----------------------------------------------------------------------

    def _flush_local(self) -> None:
        if self._local is None:
            self._local = open_writer(self.folder, self.limitmb)
        for command, payload in self._pending:
            if command == "add":
                self._local.add_document(**payload)
            else:
                self._local.delete_by_term(*payload)
        self._pending = []

    def _start(self) -> None:
        if (os.cpu_count() or 1) < 2:
            self._flush_local()
            return
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        command = [sys.executable, "-m", "index.child_writer", str(self.folder)]
        self._child = subprocess.Popen(
            [*command, "merge" if self.merge else "no-merge", str(self.limitmb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        pending, self._pending = self._pending, []
        for command_name, payload in pending:
            if command_name == "add":
                self._batch.append(payload)
                if len(self._batch) >= BATCH:
                    self._send_batch()
            else:
                self._send_batch()
                self._send("delete", [payload])
        self._send_batch()

    def _send_batch(self) -> None:
        if self._batch:
            self._send("add", self._batch)
            self._batch = []

    def _send(self, command: str, payload: Any) -> None:
        assert self._child is not None and self._child.stdin is not None
        try:
            pickle.dump((command, payload), self._child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._child.stdin.flush()
        except (BrokenPipeError, OSError):
            failure = self._answer()
            raise WhosaidIndexError(
                f"writing the {self.folder.name} index failed: {failure}"
            ) from None

    def _answer(self) -> str:
        assert self._child is not None and self._child.stdout is not None
        with contextlib.suppress(OSError):
            if self._child.stdin is not None:
                self._child.stdin.close()
        line = self._child.stdout.readline().decode("utf-8", "replace").strip()
        return line or f"the writer process exited with code {self._child.wait()}"


if __name__ == "__main__":
    folder, mode, limit = sys.argv[1:4]
    sys.exit(serve(Path(folder), mode == "merge", int(limit), sys.stdin.buffer, sys.stdout))
