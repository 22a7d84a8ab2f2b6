"""Taking turns to write, fairly, between the processes that share one file.

SQLite's busy handler backs off with ever longer sleeps, so a process that
writes without pause (a facilitator typing fast, a bulk import) can keep
another (an observer tagging) waiting past any timeout. A blocking ``flock`` on
a lock file beside the database queues the waiting writers in the kernel
instead, so each gets its turn within a few writes; a lock within the process
orders its own threads. The blocking wait happens in a short-lived thread so
that a writer that cannot get its turn within the busy timeout (another process
hung mid-write) gets :class:`Busy`, never an endless wait.
Where ``fcntl`` does not exist (Windows) only SQLite's own locking applies.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


# A wait this short (Enter's, see ui/meeting/composer.py) tries again and again instead
# of queueing in the kernel. The kernel's queue needs a helper thread blocked in
# flock on this process's one descriptor; given up on, it still takes the lock when
# the other writer lets go, and its release then drops the lock from under whichever
# writer of this process holds it by then (flock is per open file, not per thread).
SHORT_WAIT = 0.1


class Busy(Exception):
    """Someone else is writing and the caller asked not to wait."""


class WriteTurns:
    def __init__(self, database_path: Path, timeout: float = 10.0) -> None:
        self._path = database_path.with_name(database_path.name + ".lock")
        self._timeout = timeout
        self._threads = threading.Lock()
        self._fd: int | None = None

    def _descriptor(self) -> int | None:
        if fcntl is None:
            return None
        if self._fd is None:
            try:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                return None  # an unwritable folder: SQLite's locking still holds
        return self._fd

    @contextmanager
    def turn(self, *, wait: bool | float = True) -> Iterator[None]:
        """Held until the block ends. ``wait``: True, up to the timeout; False, not at
        all (:class:`Busy` at once); a number, up to that many seconds."""
        timeout = wait_seconds(wait, self._timeout)
        deadline = time.perf_counter() + timeout  # one wait for both locks, not one each
        if not self._threads.acquire(timeout=timeout):
            raise Busy
        try:
            fd = self._descriptor()
            if fd is not None:
                self._take(fd, max(0.0, deadline - time.perf_counter()))
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

    def _take(self, fd: int, timeout: float) -> None:
        assert fcntl is not None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return  # nobody else writing: the common case costs one system call
        except BlockingIOError as exc:
            if timeout <= 0:
                raise Busy from exc
        if timeout <= SHORT_WAIT:
            if not _polling_flock(fd, timeout):
                raise Busy
            return
        if not _blocking_flock(fd, timeout):
            raise Busy


def wait_seconds(wait: bool | float, longest: float) -> float:
    """How long a writer may wait for its turn: True, ``longest``; False, not at all;
    a number of seconds, that (never more than ``longest``)."""
    if wait is True:
        return longest
    if wait is False:
        return 0.0
    return max(0.0, min(float(wait), longest))


def _polling_flock(fd: int, timeout: float) -> bool:
    """Try again every half millisecond for at most ``timeout`` seconds: nothing is
    left behind when it gives up (unlike :func:`_blocking_flock`'s helper)."""
    assert fcntl is not None
    deadline = time.perf_counter() + timeout  # monotonic ticks every 15.6 ms on Windows
    while time.perf_counter() < deadline:
        time.sleep(0.0005)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            continue
    return False


def _blocking_flock(fd: int, timeout: float) -> bool:
    """Wait in the kernel's queue for the lock, at most ``timeout`` seconds.

    The wait runs in a helper thread; if it gives up, the helper releases the
    lock as soon as it gets it, so a late grant never blocks anyone for long. The
    lock belongs to the descriptor, which this process's writers share, so such a
    late release can also drop the lock from under the next writer of this process
    (SQLite's own lock still orders the commits; only the fairness is lost): hence
    a short wait polls instead (:data:`SHORT_WAIT`), and this one is given up only
    after the busy timeout.
    """
    assert fcntl is not None
    decided = threading.Lock()
    state = {"granted": False, "abandoned": False}
    granted = threading.Event()

    def wait_for_it() -> None:
        assert fcntl is not None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            return  # the descriptor was closed while waiting (the database was closed)
        with decided:
            if state["abandoned"]:
                with contextlib.suppress(OSError):
                    fcntl.flock(fd, fcntl.LOCK_UN)
                return
            state["granted"] = True
        granted.set()

    threading.Thread(target=wait_for_it, name="samverkan-turn", daemon=True).start()
    granted.wait(timeout)
    with decided:
        if state["granted"]:
            return True
        state["abandoned"] = True
        return False
