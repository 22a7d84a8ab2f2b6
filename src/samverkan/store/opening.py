"""Open the user's database safely: refuse what is not ours, migrate what is old.

A file (SQLite) or a server (PostgreSQL) by the same rules: the same alembic
migrations, a backup before migrating a file, a newer schema refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from samverkan.store.engine import Database, DatabaseBusy, SqliteDatabase, make_engine
from samverkan.store.files import create_private_file
from samverkan.store.inspection import StoreError, check_database, known_revisions
from samverkan.store.location import DatabaseLocation, ServerURL
from samverkan.store.migrations import HEAD, SCRIPT_LOCATION
from samverkan.store.turns import Busy

__all__ = ["StoreError", "backup_path_for", "check_database", "known_revisions", "open_database"]


def backup_path_for(path: Path, revision: str) -> Path:
    return path.with_name(f"{path.name}.schema-{revision}.bak")


def _upgrade(connection: Any) -> None:
    # alembic is imported only here: an up-to-date database opens without it.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _migrate(database: SqliteDatabase) -> None:
    with database.engine.connect() as connection:
        # Batch migrations copy tables; foreign keys must not fire meanwhile.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        _upgrade(connection)
        connection.commit()
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


@contextmanager
def _migration_turn(database: SqliteDatabase) -> Iterator[None]:
    """The write turn for migrating; another process migrating longer than the
    busy timeout is one sentence (DatabaseBusy), not a traceback."""
    try:
        with database.turns.turn():
            yield
    except Busy as exc:
        raise DatabaseBusy(database.path) from exc


def open_database(location: DatabaseLocation) -> Database:
    """Open (creating or upgrading) the samverkan database at ``location``."""
    if isinstance(location, ServerURL):
        return _open_server(location)
    path = location.expanduser().resolve()
    revision = check_database(path)
    # SQLite gives -wal and -shm the database's own mode: 0600 here makes all three private.
    create_private_file(path)
    database = SqliteDatabase(path, make_engine(path))
    if revision != HEAD:
        try:
            # One process migrates; another opening the same old file meanwhile
            # waits its turn and then finds it already at head.
            with _migration_turn(database):
                revision = check_database(path)
                if revision != HEAD:
                    if revision is not None:
                        from samverkan.store.backup import backup_to

                        backup_to(database, backup_path_for(path, revision))
                    _migrate(database)
        except Exception:
            database.dispose()
            raise
    return database


def server_revision(connection: Any, location: ServerURL) -> str | None:
    from sqlalchemy import inspect

    from samverkan.store.inspection import check_server_revision

    tables = set(inspect(connection).get_table_names())
    revision = None
    if "alembic_version" in tables:
        from sqlalchemy import text

        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return check_server_revision(location, tables, revision)


def _open_server(location: ServerURL) -> Database:
    from sqlalchemy.exc import OperationalError

    from samverkan.store.change_seq import WRITE_LOCK_KEY
    from samverkan.store.server import ServerDatabase, make_server_engine, unreachable

    engine = make_server_engine(location)
    database = ServerDatabase(location, engine)
    try:
        with engine.connect() as connection:
            if server_revision(connection, location) != HEAD:
                # One transaction: the writers' lock, then the revision again (another
                # laptop may have migrated meanwhile), then every migration or none.
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
                if server_revision(connection, location) != HEAD:
                    _upgrade(connection)
                connection.commit()
    except OperationalError as exc:
        database.dispose()
        raise unreachable(location, exc) from exc
    except Exception:
        database.dispose()
        raise
    return database
