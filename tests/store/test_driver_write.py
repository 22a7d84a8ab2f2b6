"""Enter's write on SQLite's own connection: the same turns, locks, checks and errors
as a session's write, without the session."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from samverkan.services import NoteDraft, Services
from samverkan.store import engine
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


def test_a_failed_look_after_a_seen_note_leaves_no_snapshot_that_would_stop_the_hint(
    imported: Services, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the look that decides whether a seen note may be hidden fails half-way (an
    I/O error), no read transaction may stay open on the hint's connection: the
    version would stand still and the live poll would never see another change."""
    database = imported.database
    assert isinstance(database, SqliteDatabase)
    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    counter = engine._change_counter
    look = engine._DataVersion.seen_since

    def fails_half_way(connection: sqlite3.Connection) -> int | None:
        counter(connection)  # the snapshot has begun
        raise sqlite3.OperationalError("disk I/O error")

    def failing_look(self: engine._DataVersion, before: int, ours: int) -> None:
        # Only the look after the commit fails, not the count inside the transaction.
        with monkeypatch.context() as patched:
            patched.setattr(engine, "_change_counter", fails_half_way)
            look(self, before, ours)

    monkeypatch.setattr(engine._DataVersion, "seen_since", failing_look)
    imported.notes.add(mid, NoteDraft("Visad"), shown=True)
    before = database.change_token()
    other = sqlite3.connect(db_path)  # another process commits
    with other:
        other.execute("UPDATE note SET text = 'Ändrad' WHERE text = 'Visad'")
    other.close()
    assert database.change_token() != before


def test_the_poll_reader_survives_a_callers_error_and_is_renewed_after_sqlites(
    imported: Services, db_path: Path
) -> None:
    """The live poll's own connection to the file (SQLite only)."""
    database = imported.database
    assert isinstance(database, SqliteDatabase)

    def titled(title: str) -> None:  # another program commits
        with closing(sqlite3.connect(db_path)) as other, other:
            other.execute("UPDATE meeting SET title = ? WHERE number = 1", (title,))

    def titles() -> set[str]:
        with database.driver_read() as reader:
            return {row[0] for row in reader.rows("SELECT title FROM meeting WHERE number = 1")}

    with pytest.raises(ValueError), database.driver_read() as reader:
        reader.one("SELECT count(*) FROM note")
        raise ValueError("the meeting is gone")  # the caller's, not SQLite's
    kept = database._reader
    assert kept is not None and not kept.in_transaction  # kept, its snapshot let go
    titled("Efter felet")
    assert titles() == {"Efter felet"} and database._reader is kept
    with pytest.raises(sqlite3.OperationalError), database.driver_read() as reader:
        reader.one("SELECT nothing FROM nowhere")
    assert database._reader is None  # a fresh connection next time
    titled("Med ny anslutning")
    assert titles() == {"Med ny anslutning"}
