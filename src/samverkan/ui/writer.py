"""An ordered queue of database writes, run off the UI thread.

Notes must be committed in the order they were typed, and a busy database
(another process writing) must never stall the input. One background thread
takes jobs in order; each job retries briefly on failure and reports back on
the UI thread, success or error, so nothing typed is ever silently lost.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from samverkan.domain.errors import UserError
from samverkan.i18n import _

Post = Callable[[Callable[[], None]], None]


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
        self._thread = threading.Thread(target=self._loop, name="samverkan-writes", daemon=True)
        self._thread.start()

    def submit(
        self,
        run: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
    ) -> None:
        self._unfinished += 1

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
            except UserError as exc:  # DatabaseBusy is not one: it falls through to the queue
                failed(str(exc))
                return
            except Exception:  # busy, locked, I/O: the queue retries and reports
                pass
            else:
                done(result)
                return
        self.submit(run, done, failed)

    def idle(self) -> bool:
        """True when every submitted job has run and its result has been handled."""
        return self._unfinished == 0

    def close(self, timeout: float = 10.0) -> None:
        """Finish the jobs already queued, then stop."""
        self._jobs.put(None)
        self._thread.join(timeout)

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            self._run(job)

    def _run(self, job: _Job) -> None:
        for attempt in range(self.RETRIES):
            try:
                result = job.run()
            except UserError as exc:
                self._post(partial(job.failed, str(exc)))
                return
            except Exception as exc:  # a locked or failing database: retry, then report
                if attempt + 1 < self.RETRIES:
                    time.sleep(self.RETRY_DELAY * (attempt + 1))
                    continue
                message = _("could not save to the database ({reason}); your text is kept").format(
                    reason=type(exc).__name__
                )
                self._post(partial(job.failed, message))
                return
            self._post(partial(job.done, result))
            return
