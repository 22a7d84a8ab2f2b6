"""The team database's own rules: URLs, credentials, refusals and backups on a server."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from tests import engines
from tests.conftest import GRUPP_1

from samverkan.cli import main
from samverkan.services import NoteDraft, open_services
from samverkan.store.location import ServerURL, parse_location, redact
from samverkan.store.migrations import HEAD
from samverkan.store.opening import open_database
from samverkan.store.server import ServerUnreachable


def test_urls_and_paths_are_told_apart() -> None:
    assert isinstance(parse_location("postgresql://ann@db.example/team"), ServerURL)
    assert isinstance(parse_location("postgres:///team"), ServerURL)
    assert parse_location("team.db") == Path("team.db")
    assert parse_location("./postgresql/team.db") == Path("postgresql/team.db")


def test_a_password_is_never_shown() -> None:
    url = "postgresql://ann:hemligt@db.example:5432/team?sslmode=require&password=hemligt"
    location = ServerURL(url)
    for shown in (str(location), repr(location), redact(url)):
        assert "hemligt" not in shown
    assert str(location) == "postgresql://ann:***@db.example:5432/team?sslmode=require&password=***"


def test_a_url_without_a_host_is_shown_as_written() -> None:
    # The local socket: no host, so no "//" to lose in the shown form.
    assert str(ServerURL("postgresql:///team")) == "postgresql:///team"
    assert str(ServerURL("postgresql:///team?password=x#a")) == "postgresql:///team?password=***#a"


def test_an_unreachable_server_is_one_sentence_without_the_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = "postgresql://ann:hemligt@127.0.0.1:1/team?connect_timeout=2"
    assert main(["--db", url, "list"]) == 1
    err = capsys.readouterr().err
    assert "hemligt" not in err and "Traceback" not in err
    assert err.count("\n") == 1 and "127.0.0.1" in err


def test_a_malformed_url_is_one_sentence_without_the_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--db", "postgresql://ann:hemligt@db.example:notaport/team", "list"]) == 1
    err = capsys.readouterr().err
    assert "hemligt" not in err and "Traceback" not in err
    assert err.count("\n") == 1 and "postgresql://user@host:port/database" in err


def test_every_spelling_of_the_scheme_reaches_the_driver_as_postgresql() -> None:
    for written in ("PostgreSQL:///team", "postgres:///team", "postgresql+psycopg:///team"):
        location = parse_location(written)
        assert isinstance(location, ServerURL)
        assert location.sqlalchemy_url() == "postgresql+psycopg:///team"
        assert location.libpq_url() == "postgresql:///team"


def test_the_change_listener_hears_commits_whatever_the_scheme_is_called(
    pg_database: str,
) -> None:
    """SQLAlchemy's spelling of the URL once left the listener unable to connect:
    every other screen then fell back to polling without a word."""
    engines.empty(pg_database)
    written = "postgresql+psycopg://" + pg_database.split("://", 1)[1]
    services = open_services(parse_location(written))
    try:
        deadline = time.monotonic() + 20
        while services.database.change_hint() is None:
            assert time.monotonic() < deadline, "the listener never connected"
            time.sleep(0.05)
    finally:
        services.close()


def test_without_the_driver_a_server_url_gets_one_sentence(tmp_path: Path) -> None:
    # A psycopg that cannot be imported, in a fresh interpreter.
    (tmp_path / "psycopg").mkdir()
    (tmp_path / "psycopg" / "__init__.py").write_text("raise ImportError('no psycopg')\n")
    result = subprocess.run(
        [sys.executable, "-m", "samverkan", "--db", "postgresql://ann:hemligt@h/db", "list"],
        capture_output=True,
        text=True,
        env={**engines_env(), "PYTHONPATH": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 1
    assert 'pip install "samverkan[postgres]"' in result.stderr
    assert result.stderr.count("\n") == 1 and "hemligt" not in result.stderr


def engines_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def test_a_newer_schema_on_the_server_is_refused(pg_database: str) -> None:
    engines.empty(pg_database)
    location = ServerURL(pg_database)
    database = open_database(location)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    database.dispose()
    try:
        with pytest.raises(Exception, match="newer version of samverkan"):
            open_database(location)
    finally:
        import psycopg

        with psycopg.connect(pg_database, autocommit=True) as connection:
            connection.execute("UPDATE alembic_version SET version_num = %s", (HEAD,))


def test_the_same_migrations_create_the_server_schema(pg_database: str) -> None:
    """Migrated on the server, the schema matches the tables, as on a file."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    database = open_database(ServerURL(pg_database))
    try:
        with database.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
        assert diff == []
        with database.engine.connect() as conn:
            kind = conn.execute(
                text(
                    "SELECT data_type FROM information_schema.columns "
                    "WHERE table_name = 'note' AND column_name = 'created_at'"
                )
            ).scalar()
        assert kind == "timestamp with time zone"
    finally:
        database.dispose()


def test_backup_of_a_server_is_a_samverkan_file(pg_database: str, tmp_path: Path) -> None:
    engines.empty(pg_database)
    services = open_services(ServerURL(pg_database))
    try:
        services.importer.import_paths([GRUPP_1])
        meeting_id = services.projects.resolve_ref("grupp-1/1")
        services.meetings.start(meeting_id)
        for text_ in ("första", "andra", "tredje"):
            services.notes.add(meeting_id, NoteDraft(text_))
        target = services.backup(tmp_path / "team.db")
    finally:
        services.close()
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy = open_services(target)
    try:
        notes = copy.notes.notes(copy.projects.resolve_ref("grupp-1/1"))
        assert [n.text for n in notes] == ["första", "andra", "tredje"]
    finally:
        copy.close()


def test_a_lost_connection_is_worth_another_try_and_the_note_is_written(
    pg_database: str,
) -> None:
    """The server drops every connection (restart, network): the write says so in one
    sentence marked worth retrying (the write queue keeps the note), the next one works."""
    import psycopg

    from samverkan.store.server import ServerUnreachable
    from samverkan.ui.meeting.writer import _retryable

    engines.empty(pg_database)
    services = open_services(ServerURL(pg_database))
    try:
        services.importer.import_paths([GRUPP_1])
        meeting_id = services.projects.resolve_ref("grupp-1/1")
        services.meetings.start(meeting_id)
        services.notes.add(meeting_id, NoteDraft("före"))
        with psycopg.connect(pg_database, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        with pytest.raises(ServerUnreachable) as refused:
            services.notes.add(meeting_id, NoteDraft("under avbrottet"))
        assert _retryable(refused.value) and "cannot be reached" in str(refused.value)
        services.notes.add(meeting_id, NoteDraft("under avbrottet"))  # the queue's retry
        assert [n.text for n in services.notes.notes(meeting_id)] == ["före", "under avbrottet"]
    finally:
        services.close()


def test_the_settings_can_name_the_team_database(
    pg_database: str, _isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engines.empty(pg_database)
    config = _isolated_home / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'database = "{pg_database}"\n', encoding="utf-8")
    assert main(["import", str(GRUPP_1)]) == 0
    assert main(["list"]) == 0
    assert "grupp-1/5" in capsys.readouterr().out
    assert not (_isolated_home / "data" / "samverkan.db").exists()  # no file was made


def _until(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_commits_are_heard_without_asking_the_server(pg_database: str) -> None:
    """The change hint moves when another connection commits, by a notification: the
    screen's question costs no round trip, and while the server is out of reach the
    hint says "unknown" rather than freezing the screen on a connection attempt."""
    engines.empty(pg_database)
    writer = open_services(ServerURL(pg_database))
    follower = open_database(ServerURL(pg_database))
    try:
        writer.importer.import_paths([GRUPP_1])
        meeting_id = writer.projects.resolve_ref("grupp-1/1")
        _until(lambda: follower.change_hint() is not None)
        before = follower.change_hint()
        writer.meetings.start(meeting_id)
        _until(lambda: follower.change_hint() != before)
        heard = follower.change_hint()

        def no_round_trips(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("the hint asked the server")

        real_connect = follower.engine.connect
        follower.engine.connect = no_round_trips  # type: ignore[method-assign]
        assert follower.change_hint() == heard
        follower.engine.connect = real_connect  # type: ignore[method-assign]

        engines.refuse_connections(pg_database, True)
        try:
            _until(lambda: follower.change_hint() is None)
        finally:
            engines.refuse_connections(pg_database, False)
        _until(lambda: follower.change_hint() is not None)
        back = follower.change_hint()
        assert back is not None and heard is not None and back > heard
        # The writer's pooled connections were cut too: its first try says so, and the
        # next is written (as the write queue does it).
        with pytest.raises(ServerUnreachable):
            writer.notes.add(meeting_id, NoteDraft("efter avbrottet"))
        writer.notes.add(meeting_id, NoteDraft("efter avbrottet"))
        _until(lambda: follower.change_hint() != back)
    finally:
        follower.dispose()
        writer.close()
