"""The engine seam: one :class:`Database` interface, one implementation per engine.

Services and the UI only use :class:`Database` (``read``, ``write``,
``change_token``, ``location``); everything engine-specific lives in its
subclass: :class:`SqliteDatabase` here (the default, a file on the laptop) and
``ServerDatabase`` in :mod:`samverkan.store.server` (PostgreSQL), chosen by
:func:`samverkan.store.opening.open_database` from the location.

On SQLite several processes share one file (facilitator, observers, a CLI
export), so every connection runs in WAL mode with a busy timeout, and a write
transaction takes the write lock at BEGIN rather than at its first UPDATE:
that way two writers queue instead of failing half-way with "database is
locked".
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Dialect, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from samverkan.domain.errors import UserError
from samverkan.i18n import _
from samverkan.store.change_seq import COUNTER_TABLE
from samverkan.store.checkpoint import Checkpointer
from samverkan.store.files import FileIdentity
from samverkan.store.reading import Reader, reading
from samverkan.store.turns import Busy, WriteTurns, wait_seconds

BUSY_TIMEOUT_MS = 10_000

# The option a write engine carries so the "begin" hook knows to lock early.
_IMMEDIATE = "samverkan_immediate"


class DatabaseBusy(UserError):
    """Another process holds the write lock: at once with ``write(wait=False)``, or
    still after the time the writer could wait (the busy timeout, or ``wait``
    seconds). Worth trying again, unlike other user errors."""

    retryable = True

    def __init__(self, path: object) -> None:
        super().__init__(
            _("the database {path} is busy: another program is writing to it; try again").format(
                path=path
            )
        )


def _pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        _on_connect(dbapi_connection, busy_timeout_ms)

    return on_connect


def _on_connect(dbapi_connection: sqlite3.Connection, busy_timeout_ms: int) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own
    # transaction handling would start deferred transactions behind our back).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA wal_autocheckpoint = 0")  # see store/checkpoint.py
    cursor.close()


def _on_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get(_IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS, pool_size: int = 4) -> Engine:
    engine = create_engine(
        # URL.create, not an f-string: a path with "?" or "%" is a path, not a query.
        URL.create("sqlite", database=str(path)),
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=8,
    )
    event.listen(engine, "connect", _pragmas(busy_timeout_ms))
    event.listen(engine, "begin", _on_begin)
    return engine


class Database:
    """One database, with a read session and a write session, whatever the engine.

    ``write()`` is one unit of work: it commits on leaving the block, or rolls
    back everything if the block raises. Writers take turns, so the change
    sequence (:mod:`samverkan.store.change_seq`) follows commit order.
    """

    engine: Engine
    #: "sqlite" or "postgresql": for the few places that must say which (messages).
    kind: str

    @property
    def location(self) -> object:
        """The path or :class:`~samverkan.store.location.ServerURL` (``str()`` is safe to show)."""
        raise NotImplementedError

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def driver_read(self) -> Iterator[Reader]:
        """One read transaction in plain SQL, for the live poll: several times a second,
        on a worker thread whose Python holds the GIL while the facilitator types (on
        SQLite 2 ms of it through a session's statements, 0.2 ms on its own connection,
        one snapshot; here, a session's connection)."""
        with reading(self) as reader:
            yield reader

    @contextmanager
    def write(self, *, wait: bool | float = True) -> Iterator[Session]:  # pragma: no cover
        """One write transaction. ``wait``: for another writer's turn, True up to the
        busy timeout, False not at all, a number up to that many seconds; then
        :class:`DatabaseBusy`."""
        raise NotImplementedError
        yield

    @contextmanager
    def driver_write(
        self, *, wait: bool | float = True, seen: bool = False
    ) -> Iterator[tuple[Any, Dialect]]:
        """One write transaction on the driver's own connection (``sqlite3``,
        ``psycopg``) and its dialect, for the paths where SQLAlchemy's session costs
        more than the database does (Enter, a tag). The same turns, checks and errors
        as :meth:`write`; it commits on leaving the block, or rolls back if it raises.

        ``seen``: the writer shows the change itself (the note just typed), so the
        change hint of this process need not move for it, where an engine can tell
        (SQLite); a screen following the meeting live then has nothing to read back."""
        with self.write(wait=wait) as session:
            connection = session.connection()
            yield connection.connection.driver_connection, connection.dialect

    def change_token(self) -> int | None:
        """A number that moves when another connection commits (None: unknown, read anyway)."""
        return None

    def change_hint(self) -> int | None:
        """Like :meth:`change_token`, but without asking the database (a screen asks on its
        own thread): it may move a moment after the commit, or move with none."""
        return self.change_token()

    def writers_turn(self) -> Any:
        """A context manager: this process's turn to write or migrate, across processes."""
        raise NotImplementedError

    def dispose(self) -> None:
        self.engine.dispose()


class SqliteDatabase(Database):
    """The engine of one file."""

    kind = "sqlite"

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._writer = engine.execution_options(**{_IMMEDIATE: True})
        self._nowait: Engine | None = None
        self._driver: sqlite3.Connection | None = None  # see driver_write
        self._driver_timeout = BUSY_TIMEOUT_MS
        self._reader: sqlite3.Connection | None = None  # see driver_read
        self._reader_lock = threading.Lock()
        self.turns = WriteTurns(path)
        self.checkpoints = Checkpointer(path)
        # Asked before every write: a deleted or replaced file is noticed, not written into.
        self.identity = FileIdentity(path)
        self._version = _DataVersion(path)

    @property
    def location(self) -> Path:
        return self.path

    def writers_turn(self) -> Any:
        return self.turns.turn()

    def change_token(self) -> int | None:
        return self._version.read()

    @contextmanager
    def write(self, *, wait: bool | float = True) -> Iterator[Session]:
        """One write transaction (``wait`` as in :meth:`Database.write`; with a number,
        only our own processes' turns are waited for: SQLite's lock held by another
        program is busy at once)."""
        with ExitStack() as stack:
            self._take_turn(stack, wait)
            if wait is True:
                session = stack.enter_context(Session(self._writer, expire_on_commit=False))
                stack.enter_context(session.begin())
            else:
                session = stack.enter_context(self._nowait_session())
            yield session
        self.checkpoints.committed()

    def _take_turn(self, stack: ExitStack, wait: bool | float) -> None:
        """This process's turn to write, held until ``stack`` closes (DatabaseBusy when it
        may not wait), and the file checked to be the one opened."""
        try:
            stack.enter_context(self.turns.turn(wait=wait))
        except Busy as exc:
            raise DatabaseBusy(self.path) from exc
        self.identity.check()

    @contextmanager
    def driver_write(
        self, *, wait: bool | float = True, seen: bool = False
    ) -> Iterator[tuple[Any, Dialect]]:
        """On a connection of its own, kept open: through a session, checking a pooled
        connection out, beginning and committing cost 0.6 ms of an Enter's 1.9 against
        0.2 ms on the driver (measured with 20 ms between writes, as between keys)."""
        deadline = time.perf_counter() + wait_seconds(wait, BUSY_TIMEOUT_MS / 1000)
        with ExitStack() as stack:
            self._take_turn(stack, wait)
            # What is left of the wait goes to SQLite's lock (held by another program).
            left = BUSY_TIMEOUT_MS if wait is True else (deadline - time.perf_counter()) * 1000
            connection = self._driver_connection(max(0, round(left)))
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise DatabaseBusy(self.path) from exc
                raise
            try:
                # Read holding SQLite's write lock: nobody commits until our COMMIT.
                before = self._version.raw() if seen else None
                yield connection, self.engine.dialect
                ours = _change_counter(connection) if seen else None
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            if before is not None and ours is not None:
                self._version.seen_since(before, ours)
        self.checkpoints.committed()

    @contextmanager
    def driver_read(self) -> Iterator[Reader]:
        """On a connection of its own, kept open, used by one thread at a time."""
        with self._reader_lock:
            if self._reader is None:
                self._reader = _read_only(self.path)
            connection = self._reader
            try:
                with _snapshot(connection):  # one for every statement of the block
                    yield Reader(connection, "sqlite")
            except sqlite3.Error:
                # SQLite may have failed half-way (an I/O error): a fresh connection next
                # time rather than one stuck in a transaction. Other errors (the meeting
                # is gone) leave it as it is.
                self._reader = None
                connection.close()
                raise

    def _driver_connection(self, busy_timeout_ms: int) -> sqlite3.Connection:
        """The writers' own connection (used inside the turn only, so by one thread at a
        time), set up as the engine's, with this write's busy timeout."""
        if self._driver is None:
            connection = sqlite3.connect(self.path, check_same_thread=False)
            _on_connect(connection, busy_timeout_ms)
            self._driver, self._driver_timeout = connection, busy_timeout_ms
        if self._driver_timeout != busy_timeout_ms:
            self._driver.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
            self._driver_timeout = busy_timeout_ms
        return self._driver

    @contextmanager
    def _nowait_session(self) -> Iterator[Session]:
        if self._nowait is None:
            self._nowait = make_engine(self.path, busy_timeout_ms=0, pool_size=1).execution_options(
                **{_IMMEDIATE: True}
            )
        with Session(self._nowait, expire_on_commit=False) as session:
            transaction = session.begin()
            try:
                session.connection()  # BEGIN IMMEDIATE: takes the write lock or fails now
            except OperationalError as exc:
                transaction.rollback()
                raise DatabaseBusy(self.path) from exc
            with transaction:
                yield session

    def dispose(self) -> None:
        self.checkpoints.close()
        if self._driver is not None:
            self._driver.close()
            self._driver = None
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
        self.engine.dispose()
        if self._nowait is not None:
            self._nowait.dispose()
        self.turns.close()
        self._version.close()


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    """A connection that never creates the file (``mode`` "rw" or "ro"), in autocommit:
    its transactions are begun and ended where it is used."""
    # as_uri() percent-encodes: a folder named "a?b#c%" must still work.
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    return sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)


@contextmanager
def _snapshot(connection: sqlite3.Connection) -> Iterator[None]:
    """One read transaction (one snapshot), let go whatever happens in the block."""
    connection.execute("BEGIN")  # the first read starts the snapshot
    try:
        yield
    finally:
        if connection.in_transaction:  # SQLite may have ended it itself (an I/O error)
            connection.execute("ROLLBACK")


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that never creates a file (``mode=rw``) and refuses to write."""
    connection = _connect(path, "rw")
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA query_only = ON")
    return connection


def _change_counter(connection: sqlite3.Connection) -> int | None:
    """The change sequence's last number (see store/change_seq.py), in this snapshot."""
    row = connection.execute(f"SELECT value FROM {COUNTER_TABLE} WHERE id = 1").fetchone()
    return int(row[0]) if row is not None else None


class _DataVersion:
    """``PRAGMA data_version`` of one dedicated connection: moves when others commit,
    except for the commits of this process whose writer shows them itself (``seen``).

    After each Enter the meeting screen's own poll used to read its note back, on a
    worker thread whose Python holds the GIL while the next keys come in. So the
    version after a seen commit stands for the one before it, as long as the change
    sequence shows that commit as the last one; a commit by anyone else moves the
    version on, and the next poll reads all since its cursor. (Our other processes
    wait for the turn until we have looked; a program that takes no turns and
    commits to a table outside the change sequence in that instant is not told.)
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._closed = False
        # (the version after the newest seen commit, the one it stands for). Versions
        # only grow, so no older alias is ever asked for again.
        self._alias: tuple[int, int] | None = None

    def read(self) -> int | None:
        with self._lock:
            version = self._read_locked()
            alias = self._alias
            return alias[1] if alias is not None and alias[0] == version else version

    def raw(self) -> int | None:
        with self._lock:
            return self._read_locked()

    def seen_since(self, before: int, counter: int) -> None:
        """Our commit since ``before`` (read as :meth:`raw`), whose last change number
        was ``counter``, is seen: unless another commit followed it already."""
        with self._lock:
            connection = self._connected()
            if connection is None:
                return
            try:
                with _snapshot(connection):  # the counter, then the version, of one
                    last = _change_counter(connection)
                    after = int(connection.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                # A snapshot left open would stop the version for good: a fresh
                # connection next time (no alias then; the next poll just reads).
                self._connection = None
                connection.close()
                return
            if after == before or last != counter:
                return  # nothing to hide, or someone else committed after us: read it
            alias = self._alias
            stands_for = alias[1] if alias is not None and alias[0] == before else before
            self._alias = (after, stands_for)

    def _connected(self) -> sqlite3.Connection | None:
        if self._closed:
            return None
        if self._connection is None:
            try:
                self._connection = _connect(self._path, "ro")
            except sqlite3.Error:
                return None
            self._alias = None  # a new connection counts afresh
        return self._connection

    def _read_locked(self) -> int | None:
        connection = self._connected()
        if connection is None:
            return None
        try:
            return int(connection.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None  # no shortcut then: every poll reads

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._connection is not None:
                self._connection.close()
                self._connection = None


def full_scan_hint(connection: Any, rows_wanted: int) -> str:
    """SQLite's ``NOT INDEXED`` for the tag table when more than ``rows_wanted`` notes
    exist (a sequential pass then beats the index); nothing on other engines, whose
    planners know their tables' sizes."""
    if connection.dialect.name != "sqlite":
        return ""
    # rowids only grow, so the largest is the number of notes ever written: cheap and close.
    written = connection.exec_driver_sql("SELECT max(rowid) FROM note").scalar() or 0
    return "NOT INDEXED" if rows_wanted > written else ""
