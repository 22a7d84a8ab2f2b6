"""Open the user's database file safely: refuse what is not ours, migrate what is old."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from samverkan.store.engine import Database, DatabaseBusy, make_engine
from samverkan.store.files import create_private_file
from samverkan.store.inspection import StoreError, check_database, known_revisions
from samverkan.store.migrations import HEAD, SCRIPT_LOCATION
from samverkan.store.turns import Busy

__all__ = ["StoreError", "backup_path_for", "check_database", "known_revisions", "open_database"]


def backup_path_for(path: Path, revision: str) -> Path:
    return path.with_name(f"{path.name}.schema-{revision}.bak")


def _migrate(database: Database, revision: str | None) -> None:
    # alembic is imported only here: an up-to-date file opens without it.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    with database.engine.connect() as connection:
        # Batch migrations copy tables; foreign keys must not fire meanwhile.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


@contextmanager
def _migration_turn(database: Database) -> Iterator[None]:
    """The write turn for migrating; another process migrating longer than the
    busy timeout is one sentence (DatabaseBusy), not a traceback."""
    try:
        with database.turns.turn():
            yield
    except Busy as exc:
        raise DatabaseBusy(database.path) from exc


def open_database(path: Path) -> Database:
    """Open (creating or upgrading) the samverkan database at ``path``."""
    path = path.expanduser().resolve()
    revision = check_database(path)
    # SQLite gives -wal and -shm the database's own mode: 0600 here makes all three private.
    create_private_file(path)
    database = Database(path, make_engine(path))
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
                    _migrate(database, revision)
        except Exception:
            database.dispose()
            raise
    return database
