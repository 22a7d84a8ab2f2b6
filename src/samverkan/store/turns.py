"""Taking turns to write, fairly, between the processes that share one file.

SQLite's busy handler retries on a timer, so a process that writes without
pause (a facilitator typing fast, a bulk import) can keep another (an
observer tagging) waiting past any timeout. A blocking ``flock`` on a lock
file beside the database queues the writers in the kernel instead; a lock
within the process orders its own threads. Where ``fcntl`` does not exist
(Windows) only SQLite's own locking applies.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class Busy(Exception):
    """Someone else is writing and the caller asked not to wait."""


class WriteTurns:
    def __init__(self, database_path: Path) -> None:
        self._path = database_path.with_name(database_path.name + ".lock")
        self._threads = threading.Lock()
        self._fd: int | None = None

    def _descriptor(self) -> int | None:
        if fcntl is None:
            return None
        if self._fd is None:
            try:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                return None  # an unwritable folder: SQLite's locking still holds
        return self._fd

    @contextmanager
    def turn(self, *, wait: bool = True) -> Iterator[None]:
        if not self._threads.acquire(blocking=wait):
            raise Busy
        try:
            fd = self._descriptor()
            if fd is not None and fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
                except BlockingIOError as exc:
                    raise Busy from exc
            try:
                yield
            finally:
                if fd is not None and fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
