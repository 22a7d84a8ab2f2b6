"""An ordered queue of database writes, run off the UI thread.

Notes must be committed in the order they were typed, and a busy database
(another process writing) must never stall the input. One background thread
takes jobs in order; each job retries briefly on failure and reports back on
the UI thread, success or error, so nothing typed is ever silently lost.

Results are handed to the UI thread without waiting for it (``post`` must not
block): the UI thread may itself be waiting for the queue to drain when a
meeting screen closes or the app quits, and a write must never depend on a
screen still being there to finish.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from samverkan.domain.errors import UserError, problem_sentence
from samverkan.i18n import _

Post = Callable[[Callable[[], None]], None]


def _retryable(exc: BaseException) -> bool:
    """A busy database (store.engine.DatabaseBusy) is worth another try; a mistake is not."""
    return bool(getattr(exc, "retryable", False))


@dataclass
class _Job:
    run: Callable[[], Any]
    done: Callable[[Any], None]
    failed: Callable[[str], None]


class WriteQueue:
    """Runs jobs one at a time in a daemon thread; results come back through ``post``."""

    RETRIES = 3
    RETRY_DELAY = 0.2

    def __init__(self, post: Post) -> None:
        self._post = post
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        # Jobs submitted whose result has not yet been handled on the UI thread.
        self._unfinished = 0
        # Jobs submitted and not yet run (the thread's own count, for draining).
        self._pending = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="samverkan-writes", daemon=True)
        self._thread.start()

    def submit(
        self,
        run: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
    ) -> None:
        self._unfinished += 1
        with self._lock:
            self._pending += 1

        def finish(handler: Callable[[Any], None]) -> Callable[[Any], None]:
            def handle(value: Any) -> None:
                self._unfinished -= 1
                handler(value)

            return handle

        self._jobs.put(_Job(run, finish(done), finish(failed)))

    def now_or_queue(
        self,
        now: Callable[[], Any],
        run: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
    ) -> None:
        """Commit at once when nothing is queued and the database is free (a
        millisecond, so Enter → committed stays in budget); otherwise queue ``run``
        behind the rest, so a busy database never stalls the input."""
        if self.idle():
            try:
                result = now()
            except Exception as exc:
                # A mistake is reported at once; busy, locked or I/O goes to the
                # queue, which waits its turn, retries and reports.
                if isinstance(exc, UserError) and not _retryable(exc):
                    failed(str(exc))
                    return
            else:
                done(result)
                return
        self.submit(run, done, failed)

    def idle(self) -> bool:
        """True when every submitted job has run and its result has been handled."""
        return self._unfinished == 0

    def pending(self) -> int:
        """Jobs not yet written (what is lost if the process ends now)."""
        with self._lock:
            return self._pending

    def close(self, timeout: float = 30.0) -> bool:
        """Write the jobs already queued, then stop; True if all were written in time.

        Safe on the UI thread: the writer never waits for it.
        """
        self._jobs.put(None)
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                self._run(job)
            finally:
                with self._lock:
                    self._pending -= 1

    def _run(self, job: _Job) -> None:
        for attempt in range(self.RETRIES):
            try:
                result = job.run()
            except Exception as exc:  # a locked or failing database: retry, then report
                if isinstance(exc, UserError) and not _retryable(exc):
                    self._report(partial(job.failed, str(exc)))
                    return
                if attempt + 1 < self.RETRIES:
                    time.sleep(self.RETRY_DELAY * (attempt + 1))
                    continue
                message = _("{problem}; your text is kept").format(problem=problem_sentence(exc))
                self._report(partial(job.failed, message))
                return
            self._report(partial(job.done, result))
            return

    def _report(self, callback: Callable[[], None]) -> None:
        # The write is done; if the UI has gone (screen closed, app quitting)
        # there is no one left to tell, and the thread must live on for the rest.
        try:
            self._post(callback)
        except Exception:
            return
