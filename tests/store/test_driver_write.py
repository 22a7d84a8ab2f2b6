"""Enter's write on SQLite's own connection: the same turns, locks, checks and errors
as a session's write, without the session."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from samverkan.services import NoteDraft, Services
from samverkan.store.engine import DatabaseBusy, SqliteDatabase
from samverkan.store.files import DatabaseGone


def _notes(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT text FROM note ORDER BY created_at")]
    finally:
        connection.close()


def test_a_note_commits_durably_and_a_failed_block_leaves_nothing(
    imported: Services, db_path: Path
) -> None:
    database = imported.database
    assert isinstance(database, SqliteDatabase)
    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    imported.notes.add(mid, NoteDraft("Första"))
    with pytest.raises(RuntimeError), database.driver_write() as (connection, _dialect):
        connection.execute("UPDATE note SET text = 'halvvägs'")
        raise RuntimeError("between two statements")
    imported.notes.add(mid, NoteDraft("Andra"))
    assert _notes(db_path) == ["Första", "Andra"]  # seen by another connection
    with database.driver_write() as (connection, _dialect):
        assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_another_programs_lock_is_busy_at_once_without_waiting_and_waited_for_with(
    imported: Services, db_path: Path
) -> None:
    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    blocker = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")  # not one of ours: it takes no turn
    try:
        with pytest.raises(DatabaseBusy):
            imported.notes.add(mid, NoteDraft("Nu"), wait=False)
        # Waiting: the lock goes a moment later and the note is written.
        threading.Timer(0.3, lambda: blocker.execute("COMMIT")).start()
        imported.notes.add(mid, NoteDraft("Sedan"))
    finally:
        if blocker.in_transaction:
            blocker.execute("ROLLBACK")
        blocker.close()
    imported.notes.add(mid, NoteDraft("Till sist"), wait=False)  # the timeout is back to 0
    assert _notes(db_path) == ["Sedan", "Till sist"]


def test_our_other_process_turn_is_busy_and_a_replaced_file_is_gone(
    imported: Services, db_path: Path
) -> None:
    from samverkan.store.turns import WriteTurns

    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    other = WriteTurns(db_path)  # another process of ours, as far as flock can tell
    try:
        with other.turn(), pytest.raises(DatabaseBusy):
            imported.notes.add(mid, NoteDraft("Nu"), wait=False)
    finally:
        other.close()
    db_path.rename(db_path.with_name("flyttad.db"))
    with pytest.raises(DatabaseGone):
        imported.notes.add(mid, NoteDraft("Efter flytten"))


def test_a_seen_note_leaves_the_change_hint_and_anyone_elses_commit_moves_it(
    imported: Services, db_path: Path
) -> None:
    """The meeting screen shows the note it typed; its live poll must not read it back,
    but must read what anyone else commits after it, on the first look."""
    database = imported.database
    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    quiet = database.change_token()
    for text in ("Ett", "Två", "Tre"):
        imported.notes.add(mid, NoteDraft(text), shown=True)
        assert database.change_token() == quiet
    imported.notes.add(mid, NoteDraft("Inte visad"))  # another caller of this process
    moved = database.change_token()
    assert moved != quiet
    imported.notes.add(mid, NoteDraft("Fyra"), shown=True)
    assert database.change_token() == moved
    other = sqlite3.connect(db_path)  # another process
    with other:
        other.execute("UPDATE note SET text = 'Ändrad' WHERE text = 'Ett'")
    other.close()
    assert database.change_token() not in (quiet, moved)
