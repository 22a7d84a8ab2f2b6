"""Checkpointing the WAL in a thread of its own, never on the writer's.

SQLite folds the write-ahead log back into the database file when a commit
finds it longer than 1,000 pages, on the connection that committed and before
that commit returns: one note in about a hundred paid ~7 ms more, and while the
writers' turn (:mod:`.turns`) was still held, so every other process waited
too. Connections of the app therefore turn the automatic checkpoint off and a
``Checkpointer`` runs a ``PASSIVE`` one (it never waits for readers or writers)
on its own connection, at most once a second while writes come in. When the
last connection to a file closes, SQLite checkpoints what is left.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

# How long the thread lets commits accumulate before it checkpoints them.
PAUSE_SECONDS = 1.0


class Checkpointer:
    def __init__(self, path: Path, pause: float = PAUSE_SECONDS) -> None:
        self._path = path
        self._pause = pause
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
                if self._stop.wait(self._pause):
                    return
                self._wake.clear()
                try:
                    if connection is None:
                        connection = sqlite3.connect(self._path, timeout=0, check_same_thread=False)
                        connection.execute("PRAGMA wal_autocheckpoint = 0")
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.checkpoints += 1
                except sqlite3.Error:
                    pass  # busy or gone: the next commit tries again, and so does close
        finally:
            if connection is not None:
                connection.close()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=5)
