"""The team database: samverkan on a PostgreSQL server, behind the same :class:`Database`.

What SQLite does with a file, the server does itself: durability (its own
``synchronous_commit``), several writers (each write transaction first takes
one advisory lock, so writers take turns as they do on a file and the change
sequence follows commit order), and "did anything change" (the highest change
number, read from an index). The driver is psycopg 3, an optional extra
(``pip install "samverkan[postgres]"``); without it a server URL gets one sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlmodel import Session

from samverkan.domain.errors import UserError
from samverkan.i18n import _
from samverkan.store.change_seq import WRITE_LOCK_KEY, high_water
from samverkan.store.engine import BUSY_TIMEOUT_MS, Database, DatabaseBusy
from samverkan.store.inspection import StoreError
from samverkan.store.location import ServerURL
from samverkan.store.server_changes import ChangeListener, notify_sql
from samverkan.store.turns import wait_seconds

_WRITER = "samverkan_writer"
_NOWAIT = "samverkan_nowait"
# How long a writer waits for the writers' lock, in ms (BUSY_TIMEOUT_MS unless said).
_LOCK_MS = "samverkan_lock_ms"


def driver_missing() -> StoreError:
    return StoreError(
        _(
            "a postgresql:// database needs the PostgreSQL driver; install it with "
            'pip install "samverkan[postgres]"'
        )
    )


def unreachable(location: ServerURL, exc: BaseException) -> StoreError:
    # psycopg's message names host and port, never the password; the URL is redacted.
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return StoreError(
        _("cannot reach the database {url} ({reason}); check the server and the URL").format(
            url=location, reason=reason[0] if reason else type(exc).__name__
        )
    )


def malformed(location: ServerURL) -> StoreError:
    return StoreError(
        _(
            "the database URL {url} is not valid; write it as postgresql://user@host:port/database"
        ).format(url=location)
    )


def make_server_engine(location: ServerURL, pool_size: int = 4) -> Engine:
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise driver_missing() from exc
    try:
        url = make_url(location.sqlalchemy_url())
    except (ArgumentError, ValueError) as exc:
        raise malformed(location) from exc
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=8,
        # No pre-ping: it would cost every Enter one more round trip. A connection the
        # server dropped fails its statement; the pool is then renewed and the write
        # queue tries again.
        # The server's clock and ours both speak UTC; times come back aware.
        connect_args={"options": "-c timezone=UTC", "connect_timeout": 10},
        hide_parameters=True,
    )
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_begin(connection: Any) -> None:
    options = connection.get_execution_options()
    if not options.get(_WRITER):
        return
    # Writers take turns: one advisory lock for the whole transaction, released
    # at commit or rollback. The lock queue is first come, first served.
    if options.get(_NOWAIT):
        # wait=False: the same durable commit as below, in one round trip (the
        # notification is dropped with the transaction if the lock was not free).
        taken = connection.exec_driver_sql(
            f"SELECT pg_try_advisory_xact_lock({WRITE_LOCK_KEY}), "
            "set_config('synchronous_commit', 'on', true), "
            f"{notify_sql()}"
        ).scalar()
        if not taken:
            raise _Busy
        return
    # One round trip, for this transaction only: the wait's limit, a commit that
    # returns only once it is on the server's disk (whatever the server's default:
    # that is the durability promise of Enter), then the lock.
    # The same round trip queues the notification the listeners hear at commit.
    lock_ms = int(options.get(_LOCK_MS, BUSY_TIMEOUT_MS))
    connection.exec_driver_sql(
        f"SELECT set_config('lock_timeout', '{lock_ms}', true), "
        "set_config('synchronous_commit', 'on', true), "
        f"pg_advisory_xact_lock({WRITE_LOCK_KEY}), {notify_sql()}"
    )


class _Busy(Exception):
    pass


class ServerUnreachable(UserError):
    """The server cannot be reached (down, network gone). Worth trying again: the
    write queue keeps what was typed and writes it when the server is back."""

    retryable = True

    def __init__(self, location: ServerURL) -> None:
        super().__init__(
            _(
                "the team database {url} cannot be reached; what you write waits here "
                "and is written when it is back"
            ).format(url=location)
        )


def _connection_lost(exc: BaseException) -> bool:
    """A failure of the connection itself, not of a statement (SQLSTATE class 08, the
    server shutting down, or no SQLSTATE at all: refused, reset, timed out)."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    orig = getattr(exc, "orig", exc)
    try:
        import psycopg
    except ImportError:  # pragma: no cover - the engine needs it
        return False
    if not isinstance(orig, psycopg.OperationalError):
        return False
    state = getattr(orig, "sqlstate", None)
    return state is None or state.startswith(("08", "57P"))


class ServerDatabase(Database):
    kind = "postgresql"

    def __init__(self, location: ServerURL, engine: Engine) -> None:
        self._location = location
        self.engine = engine
        self._writer = engine.execution_options(**{_WRITER: True})
        self._nowait = engine.execution_options(**{_WRITER: True, _NOWAIT: True})
        self._patient: dict[int, Engine] = {}  # writers that wait so many ms, see _write
        self._listener = ChangeListener(location.libpq_url())

    @property
    def location(self) -> ServerURL:
        return self._location

    def __str__(self) -> str:
        return str(self._location)

    def writers_turn(self) -> Any:
        # Migrations run in one transaction holding the advisory lock themselves.
        return nullcontext()

    @contextmanager
    def write(self, *, wait: bool | float = True) -> Iterator[Session]:
        try:
            with self._write(wait) as session:
                yield session
        except DBAPIError as exc:
            if _connection_lost(exc):
                raise ServerUnreachable(self._location) from exc
            raise

    @contextmanager
    def _write(self, wait: bool | float) -> Iterator[Session]:
        seconds = wait_seconds(wait, BUSY_TIMEOUT_MS / 1000)
        engine: Engine
        if wait is True:
            engine = self._writer
        elif seconds <= 0:
            engine = self._nowait
        else:
            ms = max(1, round(seconds * 1000))
            engine = self._patient.get(ms) or self._patient.setdefault(
                ms, self._writer.execution_options(**{_LOCK_MS: ms})
            )
        with Session(engine, expire_on_commit=False) as session:
            transaction = session.begin()
            try:
                session.connection()  # BEGIN and the writers' lock, or DatabaseBusy
            except _Busy as exc:
                transaction.rollback()
                raise DatabaseBusy(self._location) from exc
            except OperationalError as exc:
                transaction.rollback()
                if _is_lock_timeout(exc):
                    raise DatabaseBusy(self._location) from exc
                raise
            with transaction:
                yield session

    def change_token(self) -> int | None:
        try:
            with self.engine.connect() as connection:
                return high_water(connection)
        except DBAPIError:
            return None

    def change_hint(self) -> int | None:
        return self._listener.hint()

    def dispose(self) -> None:
        self._listener.close()
        super().dispose()


def _is_lock_timeout(exc: DBAPIError) -> bool:
    return getattr(getattr(exc, "orig", None), "sqlstate", None) == "55P03"
