"""Checkpointing the WAL in a thread of its own, never on the writer's.

SQLite folds the write-ahead log back into the database file when a commit
finds it longer than 1,000 pages, on the connection that committed and before
that commit returns: one note in about a hundred paid ~7 ms more, and while the
writers' turn (:mod:`.turns`) was still held, so every other process waited
too. Connections of the app therefore turn the automatic checkpoint off and a
``Checkpointer`` runs a ``PASSIVE`` one (it never waits for readers or writers)
on its own connection, once the file has been quiet for a second. When the
last connection to a file closes, SQLite checkpoints what is left.

Quiet, not merely a second later: a checkpoint writes pages into the database
file and syncs it, and an Enter committing meanwhile waited for the disk (p99
3.6 → 5.1 ms with one checkpoint a second under steady typing). So it waits
until no connection, of this process or another (an observer's tags), has
committed for a second — a meeting has such pauses all the time.

Not for long, though: while commits keep coming the log only grows, every
commit then appends to it (the file system journals the new length with each
sync), and with three observers tagging beside the facilitator the slowest
Enters took 13-14 ms (log deferred up to 30 s) against 8-9 ms (3 s). After
``MAX_DEFER`` seconds it runs anyway — about as often as SQLite's own 1,000
pages would at that pace — and right after this process's next commit, so that
its writing and syncing fall in the gap before the next one.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

# How long the file must be quiet (no commit from anyone) before a checkpoint.
PAUSE_SECONDS = 1.0
# The longest a checkpoint waits for quiet while commits keep coming.
MAX_DEFER = 3.0


class Checkpointer:
    def __init__(
        self, path: Path, pause: float = PAUSE_SECONDS, max_defer: float = MAX_DEFER
    ) -> None:
        self._path = path
        self._pause = pause
        self._max_defer = max_defer
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.checkpoints = 0  # how many ran, for tests and benchmarks

    def committed(self) -> None:
        """A write transaction committed: checkpoint soon, on the thread."""
        if self._thread is None:
            with self._lock:
                if self._thread is None and not self._stop.is_set():
                    self._thread = threading.Thread(
                        target=self._run, name="samverkan-checkpoint", daemon=True
                    )
                    self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        try:
            while True:
                self._wake.wait()
                try:
                    if connection is None:
                        connection = sqlite3.connect(self._path, timeout=0, check_same_thread=False)
                        connection.execute("PRAGMA wal_autocheckpoint = 0")
                    if self._wait_for_quiet(connection):
                        return
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.checkpoints += 1
                except sqlite3.Error:
                    pass  # busy or gone: the next commit tries again, and so does close
        finally:
            if connection is not None:
                connection.close()

    def _wait_for_quiet(self, connection: sqlite3.Connection) -> bool:
        """Until a pause passes without a commit (or MAX_DEFER is over); True: stop."""
        began = time.monotonic()
        # data_version moves when any other connection to the file commits.
        seen = connection.execute("PRAGMA data_version").fetchone()[0]
        while True:
            self._wake.clear()
            if self._stop.wait(self._pause):
                return True
            now = connection.execute("PRAGMA data_version").fetchone()[0]
            busy = self._wake.is_set() or now != seen
            seen = now
            if not busy:
                return False
            if time.monotonic() - began >= self._max_defer:
                return self._right_after_a_commit()

    def _right_after_a_commit(self) -> bool:
        """Deferred long enough: run as soon as this process commits again (or a pause
        passes), so that the checkpoint's writing and syncing fall in the gap before
        its next commit rather than across it. True: stop."""
        self._wake.clear()
        self._wake.wait(self._pause)
        return self._stop.is_set()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=5)
