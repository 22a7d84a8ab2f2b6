"""Reading without the ORM: SQL with ``?`` marks on the DBAPI connection, on any engine.

The commands that only read (``report``, ``export-tags``, ``agreement``) spend most
of their time turning rows into domain dataclasses, and importing SQLAlchemy's ORM
and the table models costs them 0.3 s and 15 MB before the first row. A
:class:`Reader` runs plain SQL in one read transaction (one snapshot for every
query) and hands back the driver's own rows; :mod:`samverkan.store.values`
converts what differs between engines.

:func:`open_reader` reads a SQLite file at the current schema with :mod:`sqlite3`
alone; anything else (a server, a file to migrate first) goes through
:func:`samverkan.store.opening.open_database`, and :func:`reading` gives the same
Reader inside an open :class:`~samverkan.store.engine.Database`'s read session.
"""

from __future__ import annotations

import sqlite3
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from samverkan.store.location import DatabaseLocation

if TYPE_CHECKING:
    from samverkan.store.engine import Database

BUSY_TIMEOUT_MS = 10_000


class Reader:
    """Plain SQL on a DBAPI connection inside one read transaction.

    SQL is written with ``?`` marks (and no literal ``?``); they become ``%s``
    for psycopg.
    """

    def __init__(self, connection: Any, kind: str) -> None:
        self._connection = connection
        #: "sqlite" or "postgresql"
        self.kind = kind

    @property
    def connection(self) -> Any:
        """The driver's connection (for what SQL cannot say, e.g. a progress handler)."""
        return self._connection

    def sql(self, sql: str) -> str:
        return sql if self.kind == "sqlite" else sql.replace("?", "%s")

    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        """The rows as the driver gives them (tuples), streamed."""
        cursor = self._connection.cursor()
        cursor.execute(self.sql(sql), tuple(params))
        # sqlite3 hands rows out one at a time; psycopg in batches.
        return iter(cursor) if self.kind == "sqlite" else _batches(cursor)

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return next(self.rows(sql, params), None)

    def full_scan_hint(self, rows_wanted: int) -> str:
        """SQLite's ``NOT INDEXED`` for the tag table when more than ``rows_wanted`` notes
        exist (one sequential pass then beats the index); nothing on other engines,
        whose planners know their tables' sizes."""
        if self.kind != "sqlite":
            return ""
        # rowids only grow, so the largest is the number of notes ever written.
        written = self.one("SELECT max(rowid) FROM note")[0] or 0
        return "NOT INDEXED" if rows_wanted > written else ""


def _batches(cursor: Any) -> Iterator[Any]:
    while batch := cursor.fetchmany(10_000):
        yield from batch


@contextmanager
def reading(database: Database) -> Iterator[Reader]:
    """A Reader inside ``database``'s read session (the app's open database)."""
    with database.read() as session:
        connection = session.connection()
        yield Reader(connection.connection.driver_connection, connection.dialect.name)


@contextmanager
def open_reader(location: DatabaseLocation) -> Iterator[Reader]:
    """A Reader on the database at ``location``, for one command that only reads.

    A file at the current schema is read with sqlite3 alone (no SQLAlchemy import);
    a server, or a file that must be migrated first, is opened as the app opens it.
    """
    if isinstance(location, Path):
        from samverkan.store.inspection import check_database
        from samverkan.store.migrations import HEAD

        location = location.expanduser().resolve()
        if check_database(location) == HEAD:
            with _sqlite_reader(location) as reader:
                yield reader
            return
    from samverkan.store.opening import open_database

    database = open_database(location)
    try:
        with reading(database) as reader:
            yield reader
    finally:
        database.dispose()


@contextmanager
def _sqlite_reader(path: Path) -> Iterator[Reader]:
    # mode=rw: never creates a file; writing is refused by query_only below.
    connection = sqlite3.connect(
        f"file:{urllib.parse.quote(str(path))}?mode=rw",
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA query_only = ON")
        connection.execute("BEGIN")  # one snapshot for every query of the command
        yield Reader(connection, "sqlite")
    finally:
        connection.close()
