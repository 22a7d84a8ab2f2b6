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
