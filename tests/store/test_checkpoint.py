"""WAL checkpoints run on their own thread, not in the commit of a note."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import text

from samverkan.services import NoteDraft, Services


def _wal_frames(path: Path) -> int:
    """Frames in the WAL not yet copied back (a PASSIVE checkpoint with nothing to do)."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_autocheckpoint = 0")
        _busy, log, done = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(log) - int(done)
    finally:
        connection.close()


def test_commits_never_checkpoint_and_the_thread_does(imported: Services, db_path: Path) -> None:
    database = imported.database
    with database.read() as session:
        assert session.connection().execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
    meeting_id = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(meeting_id)
    before = database.checkpoints.checkpoints
    for number in range(30):
        imported.notes.add(meeting_id, NoteDraft(f"Anteckning {number}"))
    deadline = time.monotonic() + 30
    while database.checkpoints.checkpoints == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert database.checkpoints.checkpoints > before
    deadline = time.monotonic() + 30
    while _wal_frames(database.path) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _wal_frames(database.path) == 0


def test_closing_stops_the_thread(imported: Services, db_path: Path) -> None:  # a file's WAL
    meeting_id = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(meeting_id)
    imported.notes.add(meeting_id, NoteDraft("En"))
    checkpoints = imported.database.checkpoints
    checkpoints.close()
    assert checkpoints._thread is not None and not checkpoints._thread.is_alive()


def test_a_checkpoint_waits_for_a_quiet_file_and_not_forever(tmp_path: Path) -> None:
    """Commits by anyone (here another connection) keep it waiting; a quiet pause
    lets it run; steady writing past the longest deferral does too."""
    from samverkan.store.checkpoint import Checkpointer

    path = tmp_path / "quiet.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("CREATE TABLE t (x)")

    def write_for(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            writer.execute("INSERT INTO t VALUES (1)")
            time.sleep(0.02)

    patient = Checkpointer(path, pause=2.0, max_defer=3600)
    try:
        patient.committed()
        write_for(4.0)  # never two seconds without a commit
        assert patient.checkpoints == 0
        deadline = time.monotonic() + 30
        while patient.checkpoints == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert patient.checkpoints == 1
    finally:
        patient.close()
    hurried = Checkpointer(path, pause=2.0, max_defer=0.5)
    try:
        hurried.committed()
        end = time.monotonic() + 30
        while hurried.checkpoints == 0 and time.monotonic() < end:
            writer.execute("INSERT INTO t VALUES (1)")
            time.sleep(0.02)
        assert hurried.checkpoints == 1  # while the writing went on
    finally:
        hurried.close()
        writer.close()


def test_a_deferred_checkpoint_goes_right_after_this_process_commits(tmp_path: Path) -> None:
    """Once deferred long enough it waits for our next commit, not for a pause."""
    import threading

    from samverkan.store.checkpoint import Checkpointer

    checkpointer = Checkpointer(tmp_path / "any.db", pause=600, max_defer=0)
    stopped: list[bool] = []
    waiting = threading.Thread(target=lambda: stopped.append(checkpointer._right_after_a_commit()))
    waiting.start()
    deadline = time.monotonic() + 30
    while waiting.is_alive() and time.monotonic() < deadline:
        checkpointer._wake.set()  # what committed() does: a commit of ours
        waiting.join(0.05)
    assert stopped == [False]  # not the 600 s pause: the commit ended the wait
