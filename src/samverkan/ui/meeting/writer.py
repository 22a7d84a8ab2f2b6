"""An ordered queue of database writes, run off the UI thread; nothing in it is lost.

Notes must be committed in the order they were typed, and a busy database
(another process writing) must never stall the input. One background thread
takes jobs in order. A job that fails because the database is busy, locked,
full or unreadable is not given up: it waits, visibly ("3 notes waiting for
the database"), and is tried again until it is written. A job that can never
be written (a mistake, a closed meeting) is reported once.

A note that waits is also kept in this session's recovery file beside the
database (:mod:`samverkan.services.recovery`) before anything else happens, so
quitting, a crash or ``kill -9`` cannot lose it; the file goes once the queue
is empty. When the database file has been deleted or replaced under the app
(:class:`DatabaseGone`), nothing more is written to it: every later note goes
to the recovery file instead, and the screen says so.

Results are handed to the UI thread without waiting for it (``post`` must not
block): the UI thread may itself be waiting for the queue when the app quits.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from samverkan.domain.errors import UserError, problem_sentence
from samverkan.services.recovery import RecoveryFile
from samverkan.store.files import DatabaseGone

Post = Callable[[Callable[[], None]], None]


def _retryable(exc: BaseException) -> bool:
    """A mistake (a UserError that is not DatabaseBusy) is final; busy, locked,
    full or failing I/O is worth waiting for."""
    return not isinstance(exc, UserError) or bool(getattr(exc, "retryable", False))


@dataclass(frozen=True)
class WriteStatus:
    """What the screen shows about the queue."""

    waiting: int = 0  # notes (and other changes) not yet in the database
    problem: str | None = None  # why they wait, one sentence
    gone: bool = False  # the database file is gone: notes go to the recovery file
    kept: int = 0  # notes kept in the recovery file


@dataclass
class _Job:
    run: Callable[[], Any]
    done: Callable[[Any], None]
    failed: Callable[[str], None]
    record: dict[str, Any] | None = None  # what to keep if it cannot be written
    kept: bool = field(default=False)  # already in the recovery file


class WriteQueue:
    """Runs jobs one at a time in a daemon thread; results come back through ``post``."""

    FIRST_DELAY = 0.2
    MAX_DELAY = 2.0

    def __init__(
        self,
        post: Post,
        recovery: RecoveryFile | None = None,
        on_status: Callable[[WriteStatus], None] | None = None,
    ) -> None:
        self._post = post
        self._recovery = recovery
        self._on_status = on_status
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        # Jobs submitted whose result has not yet been handled on the UI thread.
        self._unfinished = 0
        # Jobs submitted and not yet written or given up, in order.
        self._unwritten: list[_Job] = []
        self._lock = threading.Lock()
        self._file_lock = threading.Lock()
        self._stop = threading.Event()
        self._gone: str | None = None
        self._problem: str | None = None
        self._kept = 0
        self._kept_unsynced: list[dict[str, Any]] = []  # the recovery file could not take them
        self._only_kept: list[dict[str, Any]] = []  # in the recovery file, never in the database
        # Its screen is closed (set by the app): once done, the queue may retire.
        self.released = False
        self._retired = False
        self._thread = threading.Thread(target=self._loop, name="samverkan-writes", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------ the UI thread

    def submit(
        self,
        run: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
        record: dict[str, Any] | None = None,
    ) -> None:
        self._unfinished += 1

        def finish(handler: Callable[[Any], None]) -> Callable[[Any], None]:
            def handle(value: Any) -> None:
                self._unfinished -= 1
                handler(value)

            return handle

        job = _Job(run, finish(done), finish(failed), record)
        with self._lock:
            self._unwritten.append(job)
        if record is not None:
            self._keep([job])  # on disk before it waits: quitting or a crash cannot lose it
        self._jobs.put(job)
        self._status()

    def now_or_queue(
        self,
        now: Callable[[], Any],
        run: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
        record: dict[str, Any] | None = None,
    ) -> None:
        """Commit at once when nothing is queued and the database is free (a
        millisecond, so Enter → committed stays in budget); otherwise queue ``run``
        behind the rest, so a busy database never stalls the input."""
        if self.idle() and self._gone is None:
            try:
                result = now()
            except Exception as exc:
                # A mistake is reported at once; busy, locked, full or a vanished
                # file goes to the queue, which keeps, waits and retries.
                if not _retryable(exc) and not isinstance(exc, DatabaseGone):
                    failed(str(exc))
                    return
            else:
                done(result)
                return
        self.submit(run, done, failed, record)

    def idle(self) -> bool:
        """True when every submitted job has run and its result has been handled."""
        return self._unfinished == 0

    def pending(self) -> int:
        """Jobs not yet written (what would be lost without the recovery file)."""
        with self._lock:
            return len(self._unwritten)

    def status(self) -> WriteStatus:
        with self._lock:
            waiting = len(self._unwritten)
        return WriteStatus(waiting, self._gone or self._problem, self._gone is not None, self._kept)

    def close(self, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Write what can be written within ``timeout``, then stop; the records of
        the notes not in the database (still waiting, or kept because the file was
        gone), each in the recovery file if it could be written.

        Safe on the UI thread: the writer never waits for it.
        """
        self._jobs.put(None)
        self._thread.join(timeout)
        self._stop.set()  # a job still waiting for the database stops trying
        self._thread.join(0.5)
        with self._lock:
            left = [job for job in self._unwritten if job.record is not None]
        self._keep([job for job in left if not job.kept])
        if not left and self._gone is None and not self._kept_unsynced and self._recovery:
            self._recovery.settled(self)
        return [*self._only_kept, *(job.record for job in left if job.record is not None)]

    def retire(self) -> bool:
        """Let a closed screen's queue go once it has nothing left: its thread ends.

        True when retired (``released`` by its screen, every job written and handled,
        nothing kept): then nothing is left for the app's quit to finish.
        """
        if not self.released or self._retired:
            return self._retired
        with self._lock:
            done = not self._unwritten
        if not done or not self.idle() or self._gone or self._kept_unsynced or self._only_kept:
            return False
        self._retired = True
        self._jobs.put(None)
        return True

    def unsaved(self) -> list[dict[str, Any]]:
        """Records that neither the database nor the recovery file could take."""
        return list(self._kept_unsynced)

    # ------------------------------------------------------------ the writer thread

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            self._run(job)

    def _run(self, job: _Job) -> None:
        delay = self.FIRST_DELAY
        while not self._stop.is_set():
            if self._gone is not None:
                self._give_up(job, self._gone, keep=True)
                return
            try:
                result = job.run()
            except DatabaseGone as exc:
                self._gone = str(exc)
                self._give_up(job, self._gone, keep=True)
                return
            except Exception as exc:
                if not _retryable(exc):
                    self._give_up(job, str(exc), keep=False)
                    return
                self._problem = problem_sentence(exc)
                self._status()
                if self._stop.wait(delay):
                    return  # closing: the job stays unwritten, kept by close()
                delay = min(delay * 2, self.MAX_DELAY)
                continue
            self._problem = None
            self._written(job)
            self._report(partial(job.done, result))
            return

    def _written(self, job: _Job) -> None:
        with self._lock:
            self._unwritten.remove(job)
            empty = not self._unwritten
        self._forget_unsynced(job)
        if empty and self._gone is None and self._recovery and not self._kept_unsynced:
            self._recovery.settled(self)  # every note of ours in it is in the database now
        self._status()

    def _give_up(self, job: _Job, message: str, *, keep: bool) -> None:
        if keep:
            self._keep([job])
            if job.record is not None:
                self._only_kept.append(job.record)
        with self._lock:
            self._unwritten.remove(job)
        if not keep:
            self._forget_unsynced(job)  # reported (quoted) instead
        self._status()
        self._report(partial(job.failed, message))

    def _forget_unsynced(self, job: _Job) -> None:
        """A note held because the recovery file could not take it, now settled."""
        if job.record is not None and self._kept_unsynced:
            with self._file_lock:
                self._kept_unsynced = [r for r in self._kept_unsynced if r is not job.record]

    def _keep(self, jobs: list[_Job]) -> None:
        with self._file_lock:  # the UI thread and the writer both keep notes
            self._keep_locked(jobs)

    def _keep_locked(self, jobs: list[_Job]) -> None:
        waiting = [job for job in jobs if job.record is not None and not job.kept]
        records = [job.record for job in waiting if job.record is not None]
        if not records:
            return
        try:
            if self._recovery is None:
                raise OSError("no recovery file")
            self._recovery.append(records, owner=self)
        except OSError:
            # A full disk: held here, tried again on closing, else handed back by unsaved().
            held = {id(r) for r in self._kept_unsynced}
            self._kept_unsynced.extend(r for r in records if id(r) not in held)
            return
        for job in waiting:
            job.kept = True
        done = {id(r) for r in records}
        self._kept_unsynced = [r for r in self._kept_unsynced if id(r) not in done]
        self._kept += len(records)

    def _status(self) -> None:
        if self._on_status is None:
            return
        status = self.status()
        self._report(partial(self._on_status, status))

    def _report(self, callback: Callable[[], None]) -> None:
        # If the UI has gone (screen closed, app quitting) there is no one left to
        # tell, and the thread must live on for the rest.
        try:
            self._post(callback)
        except Exception:
            return
