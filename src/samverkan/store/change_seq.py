"""The change sequence: one number per change, growing in commit order, on every engine.

``rowid`` was SQLite's answer to "in which order were these written" and "what
is new since I last looked". A team database has no rowid, so every row that is
followed live (notes, tags, the meeting clock's events) carries two numbers
taken from one database-wide counter:

- ``added_seq``: set when the row is inserted, never changed: breaks ties in the
  order of writing (two notes in one microsecond, a start and its first phase);
- ``change_seq``: set on insert and on every update: "what changed since N" is
  ``change_seq > N``, answered from an index, whatever the size of the meeting.

Triggers set them, so no writer can forget (the facilitator's raw insert, the
ORM, a sync, a hand-written UPDATE). The numbers follow commit order because
writers take turns: on SQLite the write lock, on PostgreSQL an advisory lock
that every write transaction takes first (and the trigger takes again, so a
writer outside :meth:`Database.write` waits its turn too). A reader's snapshot
therefore always holds every number up to its highest, never one with a gap
that fills in later.

A migration that rebuilds one of these tables (alembic's batch mode on SQLite
copies the table and drops its triggers) must call :func:`install` again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

TRACKED = ("note", "tag", "meeting_event")
COUNTER_TABLE = "change_counter"  # SQLite: one row
SEQUENCE = "samverkan_change_seq"  # PostgreSQL
# Every write transaction on PostgreSQL holds this advisory lock (its writers' turn).
WRITE_LOCK_KEY = 0x5A4D5645  # "ZMVE", any fixed number unlikely to clash


def _sqlite_triggers(table: str) -> list[str]:
    bump = f"UPDATE {COUNTER_TABLE} SET value = value + 1 WHERE id = 1;"
    current = f"(SELECT value FROM {COUNTER_TABLE} WHERE id = 1)"
    return [
        f"DROP TRIGGER IF EXISTS {table}_seq_insert",
        f"DROP TRIGGER IF EXISTS {table}_seq_update",
        f"CREATE TRIGGER {table}_seq_insert AFTER INSERT ON {table} BEGIN {bump} "
        f"UPDATE {table} SET added_seq = {current}, change_seq = {current} "
        "WHERE rowid = NEW.rowid; END",
        # The trigger's own UPDATE changes change_seq, so it does not fire itself again.
        f"CREATE TRIGGER {table}_seq_update AFTER UPDATE ON {table} "
        f"WHEN NEW.change_seq IS OLD.change_seq BEGIN {bump} "
        f"UPDATE {table} SET change_seq = {current}, added_seq = OLD.added_seq "
        "WHERE rowid = NEW.rowid; END",
    ]


_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION samverkan_change_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({WRITE_LOCK_KEY});
    NEW.change_seq := nextval('{SEQUENCE}');
    IF TG_OP = 'INSERT' THEN
        NEW.added_seq := NEW.change_seq;
    ELSE
        NEW.added_seq := OLD.added_seq;
    END IF;
    RETURN NEW;
END $$
"""


def _pg_triggers(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_seq ON {table}",
        f"CREATE TRIGGER {table}_seq BEFORE INSERT OR UPDATE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION samverkan_change_seq()",
    ]


def install(connection: Any) -> None:
    """Create the counter and the triggers (again), on ``connection``'s engine."""
    from sqlalchemy import text

    if connection.dialect.name == "postgresql":
        connection.execute(text(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} AS bigint"))
        connection.execute(text(_PG_FUNCTION))
        statements = [s for table in TRACKED for s in _pg_triggers(table)]
    else:
        connection.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS {COUNTER_TABLE} "
                "(id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)"
            )
        )
        connection.execute(text(f"INSERT OR IGNORE INTO {COUNTER_TABLE} VALUES (1, 0)"))
        statements = [s for table in TRACKED for s in _sqlite_triggers(table)]
    for statement in statements:
        connection.execute(text(statement))


# Each tracked table's highest change number (the clock's events too: a phase change,
# a start or a close moves the token), in one statement: one index look-up a table.
HIGH_WATER_SQL = "SELECT " + ", ".join(
    f"(SELECT max(change_seq) FROM {table})" for table in TRACKED
)


def highest(row: Sequence[Any]) -> int:
    """The high water from a row of :data:`HIGH_WATER_SQL` (an empty table: None)."""
    return max(int(value or 0) for value in row)


def high_water(connection: Any) -> int:
    """The highest change number committed in ``connection``'s snapshot; every lower
    one is committed too."""
    from sqlalchemy import text

    return highest(connection.execute(text(HIGH_WATER_SQL)).one())
