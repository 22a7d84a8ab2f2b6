"""The write queue never loses a note: it waits while the database is busy or full,
keeps what it cannot write in the recovery file, and the next start imports it once."""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from samverkan.domain.errors import UserError
from samverkan.domain.model import new_id
from samverkan.services import NoteDraft, Services
from samverkan.services.recovery import (
    RecoveryFile,
    add_record,
    import_recovered,
    left_behind,
    read_records,
    recovery_path,
)
from samverkan.store.files import DatabaseGone
from samverkan.ui.meeting.writer import WriteQueue, WriteStatus

TYPED = datetime(2018, 6, 14, 8, 0, tzinfo=UTC)


class Recorder:
    """Stands in for the UI thread: callbacks run at once, in the writer's thread."""

    def __init__(self) -> None:
        self.done: list[Any] = []
        self.failed: list[str] = []
        self.statuses: list[WriteStatus] = []

    def post(self, callback: Callable[[], None]) -> None:
        callback()


def _until(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _queue(tmp_path: Path, recorder: Recorder) -> tuple[WriteQueue, RecoveryFile]:
    recovery = RecoveryFile(tmp_path / "samverkan.db.unsaved-1.jsonl")
    queue = WriteQueue(recorder.post, recovery, recorder.statuses.append)
    WriteQueue.FIRST_DELAY = 0.01
    return queue, recovery


def _record(text: str) -> dict[str, Any]:
    return add_record("m", NoteDraft(text, id=new_id()), "Göran", TYPED)


def test_a_busy_or_full_database_is_waited_for_not_given_up(tmp_path: Path) -> None:
    recorder = Recorder()
    queue, recovery = _queue(tmp_path, recorder)
    attempts = {"n": 0}
    free = threading.Event()

    def write() -> str:
        attempts["n"] += 1
        if not free.is_set():
            raise OSError(errno.ENOSPC, "database or disk is full")
        return "written"

    for n in range(3):
        queue.submit(write, recorder.done.append, recorder.failed.append, _record(f"n{n}"))
    _until(lambda: attempts["n"] >= 5)
    status = queue.status()
    assert status.waiting == 3 and status.problem and "disk is full" in status.problem
    assert recovery.path.exists() and len(read_records(recovery.path)) == 3  # kept meanwhile
    assert recorder.failed == []
    free.set()
    _until(lambda: len(recorder.done) == 3)
    assert queue.status().waiting == 0
    assert not recovery.path.exists()  # everything in it is in the database now
    assert queue.close() == []


def test_a_mistake_is_reported_once(tmp_path: Path) -> None:
    recorder = Recorder()
    queue, _recovery = _queue(tmp_path, recorder)

    def closed() -> None:
        raise UserError("the meeting is closed; reopen it to add notes")

    queue.submit(closed, recorder.done.append, recorder.failed.append, _record("x"))
    _until(lambda: bool(recorder.failed))
    assert recorder.failed == ["the meeting is closed; reopen it to add notes"]
    queue.close()


def test_a_vanished_database_sends_every_later_note_to_the_recovery_file(
    tmp_path: Path,
) -> None:
    recorder = Recorder()
    queue, recovery = _queue(tmp_path, recorder)
    calls = {"n": 0}

    def gone() -> None:
        calls["n"] += 1
        raise DatabaseGone(tmp_path / "samverkan.db")

    for n in range(4):
        queue.submit(gone, recorder.done.append, recorder.failed.append, _record(f"n{n}"))
    _until(lambda: len(recorder.failed) == 4)
    assert calls["n"] == 1  # nothing more is tried on a file that is gone
    assert queue.status().gone
    assert [r["note"]["text"] for r in read_records(recovery.path)] == ["n0", "n1", "n2", "n3"]
    queue.close()
    assert recovery.path.exists()  # kept for the next start


def test_closing_while_the_database_is_locked_keeps_the_notes(tmp_path: Path) -> None:
    recorder = Recorder()
    queue, recovery = _queue(tmp_path, recorder)

    def locked() -> None:
        raise OSError("database is locked")

    for n in range(3):
        queue.submit(locked, recorder.done.append, recorder.failed.append, _record(f"n{n}"))
    started = time.monotonic()
    left = queue.close(timeout=0.5)
    assert time.monotonic() - started < 10
    assert [r["note"]["text"] for r in left] == ["n0", "n1", "n2"]
    assert [r["note"]["text"] for r in read_records(recovery.path)] == ["n0", "n1", "n2"]


def test_when_even_the_recovery_file_cannot_be_written_the_notes_are_handed_back(
    tmp_path: Path,
) -> None:
    recorder = Recorder()
    recovery = RecoveryFile(tmp_path / "no-such-folder" / "x.jsonl")
    queue = WriteQueue(recorder.post, recovery)

    def full() -> None:
        raise OSError(errno.ENOSPC, "database or disk is full")

    queue.submit(full, recorder.done.append, recorder.failed.append, _record("keep me"))
    queue.close(timeout=0.3)
    assert [r["note"]["text"] for r in queue.unsaved()] == ["keep me"]


# ------------------------------------------------------------ the next start


def test_recovered_notes_are_imported_once(imported: Services, db_path: Path) -> None:
    meeting = imported.projects.resolve_ref("grupp-1/1")
    written = NoteDraft("already written", id=new_id())
    imported.notes.add(meeting, written)
    path = recovery_path(db_path, pid=2**22 + 4321)  # a session that is gone
    records = [
        add_record(meeting, written, "Göran", TYPED),
        add_record(meeting, NoteDraft("only kept", id=new_id()), "Göran", TYPED),
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + '{"op": "add", "mee')
    assert left_behind(db_path) == [path]
    result = import_recovered(imported, [path])
    assert (result.added, result.already, result.problems) == (1, 1, [])
    texts = sorted(n.text for n in imported.notes.notes(meeting))
    assert texts == ["already written", "only kept"]
    assert not path.exists()
    assert left_behind(db_path) == []


def test_a_running_sessions_file_is_not_offered(db_path: Path) -> None:
    path = recovery_path(db_path)
    path.write_text("")
    assert left_behind(db_path) == []
    os.unlink(path)


@pytest.fixture(autouse=True)
def _restore_delay() -> Any:
    delay = WriteQueue.FIRST_DELAY
    yield
    WriteQueue.FIRST_DELAY = delay


def test_a_full_disk_that_frees_up_leaves_nothing_behind(tmp_path: Path) -> None:
    """Neither the database nor the recovery file can be written for a while (a full
    disk); once the notes are in, nothing is left to report or recover."""
    recorder = Recorder()
    recovery = RecoveryFile(tmp_path / "x.jsonl")
    queue = WriteQueue(recorder.post, recovery)
    WriteQueue.FIRST_DELAY = 0.01
    full = threading.Event()
    full.set()
    real_append = recovery.append

    def append(records: list[dict[str, Any]], owner: object | None = None) -> None:
        if full.is_set():
            raise OSError(errno.ENOSPC, "No space left on device")
        real_append(records, owner)

    recovery.append = append  # type: ignore[method-assign]

    def write() -> str:
        if full.is_set():
            raise OSError(errno.ENOSPC, "database or disk is full")
        return "ok"

    for n in range(3):
        queue.submit(write, recorder.done.append, recorder.failed.append, _record(f"n{n}"))
    _until(lambda: queue.status().problem is not None)
    assert len(queue.unsaved()) == 3
    full.clear()
    _until(lambda: len(recorder.done) == 3)
    assert queue.close() == [] and queue.unsaved() == []
    assert not recovery.path.exists()


def test_one_queue_done_does_not_remove_what_another_still_waits_to_write(
    tmp_path: Path,
) -> None:
    """Two meeting screens of one session share the recovery file: the first meeting's
    notes wait for the server; the second meeting writes all of its own. The file must
    stay until the first meeting's notes are in too (a crash meanwhile loses nothing)."""
    recorder = Recorder()
    recovery = RecoveryFile(tmp_path / "samverkan.db.unsaved-1.jsonl")
    WriteQueue.FIRST_DELAY = 0.01
    first = WriteQueue(recorder.post, recovery, recorder.statuses.append)
    second = WriteQueue(recorder.post, recovery, recorder.statuses.append)
    back = threading.Event()

    def unreachable() -> str:
        if not back.is_set():
            raise OSError("server closed the connection unexpectedly")
        return "written"

    first.submit(unreachable, recorder.done.append, recorder.failed.append, _record("väntar"))
    second.submit(lambda: "written", recorder.done.append, recorder.failed.append, _record("in"))
    _until(lambda: second.status().waiting == 0)
    assert first.status().waiting == 1
    assert [r["note"]["text"] for r in read_records(recovery.path)] == ["väntar", "in"]
    back.set()
    _until(lambda: first.status().waiting == 0)
    assert not recovery.path.exists()  # every note of both is in the database now
    assert first.close() == [] and second.close() == []
