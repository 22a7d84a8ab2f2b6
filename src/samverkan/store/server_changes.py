"""Hearing of the team database's commits without asking it: LISTEN/NOTIFY.

A screen that follows a meeting asks ten times a second whether anything was
committed. On a file that is a pragma; on a server every question would be a
round trip on the screen's own thread (a frozen screen on a slow network, and a
polling storm from a room of laptops). Instead every write transaction sends a
notification with its commit (:func:`notify_sql`, part of the statement that
takes the writers' lock, so it costs no round trip), and one connection per
process listens in a thread of its own: :meth:`ChangeListener.hint` is a
number that grows with every notification heard, read without any I/O.

The number is only a hint of *when* to look: what changed is still read from
the change sequence. It moves on every (re)connection, as notifications sent
while nobody listened are lost, and is None while the server is out of reach,
so that the screens look anyway (in their workers).
"""

from __future__ import annotations

import threading
from typing import Any

CHANNEL = "samverkan_changes"


def notify_sql() -> str:
    """The notification, for a statement run inside a write transaction: it is sent at
    commit, not at all on rollback, and repeated ones in one transaction fold into one."""
    return f"pg_notify('{CHANNEL}', '')"


class ChangeListener:
    """A daemon thread LISTENing on a connection of its own, reconnecting when it drops."""

    WAIT = 0.5  # seconds between looks at the stop flag while nothing is heard
    MAX_DELAY = 5.0

    def __init__(self, url: str) -> None:
        self._url = url
        self._heard = 0
        self._listening = False
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def hint(self) -> int | None:
        """The number of commits heard of (and connections made); None while not listening."""
        with self._lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(
                    target=self._run, name="samverkan-listen", daemon=True
                )
                self._thread.start()
            return self._heard if self._listening else None

    def close(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=self.WAIT * 4)

    def _moved(self, listening: bool) -> None:
        with self._lock:
            self._heard += 1
            self._listening = listening

    def _run(self) -> None:
        import psycopg

        delay = self.WAIT
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True, connect_timeout=10) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._moved(listening=True)  # what was sent before now was not heard
                    delay = self.WAIT
                    self._hear(conn)
            except psycopg.Error:
                pass
            with self._lock:
                self._listening = False
            self._stop.wait(delay)
            delay = min(delay * 2, self.MAX_DELAY)

    def _hear(self, conn: Any) -> None:
        while not self._stop.is_set():
            for _notification in conn.notifies(timeout=self.WAIT):
                self._moved(listening=True)
