"""A PostgreSQL server for the tests: found, or started, once per session.

``SAMVERKAN_TEST_PG`` names a server URL with the right to create databases;
without it libpq's defaults are tried (the local socket, the current user). When
nothing answers and we are root on a Debian machine, the packaged cluster is
started with ``pg_ctlcluster`` (as ``.ci/run`` does). Under ``CI=true`` a test
that needs the server fails when there is none; it is never skipped there.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

DEFAULT_URL = "postgresql:///postgres"


def base_url() -> str:
    return os.environ.get("SAMVERKAN_TEST_PG", DEFAULT_URL)


def _answers(url: str) -> str | None:
    """None when the server answers, else why not."""
    try:
        import psycopg
    except ImportError:
        return 'psycopg is not installed (pip install "samverkan[postgres]")'
    try:
        with psycopg.connect(url, connect_timeout=5, autocommit=True) as connection:
            connection.execute("SELECT 1")
        return None
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]


def _start_local_cluster() -> None:
    if os.geteuid() != 0 or shutil.which("pg_ctlcluster") is None:
        return
    listed = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=False
    ).stdout.split()
    if len(listed) < 2:
        return
    version, name = listed[0], listed[1]
    subprocess.run(["pg_ctlcluster", version, name, "start"], capture_output=True, check=False)
    create_role(os.environ.get("USER") or "root")


def create_role(user: str) -> None:
    """A superuser role for ``user`` (peer authentication over the local socket)."""
    sql = (
        f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{user}') "
        f'THEN CREATE ROLE "{user}" SUPERUSER LOGIN; END IF; END$$;'
    )
    subprocess.run(
        ["su", "postgres", "-c", "psql -q -v ON_ERROR_STOP=1"],
        input=sql,
        capture_output=True,
        text=True,
        check=False,
    )


def server_problem() -> str | None:
    """None when a server is there (started if need be), else why there is none."""
    url = base_url()
    problem = _answers(url)
    if problem is None or "SAMVERKAN_TEST_PG" in os.environ:
        return problem
    # One test process starts it; the others wait on the lock and find it running.
    lock = Path(tempfile.gettempdir()) / "samverkan-test-pg.lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        problem = _answers(url)
        if problem is not None:
            _start_local_cluster()
            problem = _answers(url)
    return problem


def database_url(name: str) -> str:
    """A URL for database ``name`` on the same server as :func:`base_url`."""
    from sqlalchemy.engine import make_url

    return make_url(base_url()).set(database=name).render_as_string(hide_password=False)


def recreate(name: str) -> str:
    import psycopg

    with psycopg.connect(base_url(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
        # Tests only: a commit need not wait for the disk (the code under test still asks).
        connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    return database_url(name)


def drop(name: str) -> None:
    import psycopg

    with psycopg.connect(base_url(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


TABLES = (
    "tag", "note_revision", "note", "meeting_event", "attendance", "phase", "meeting",
    "person", "code", "organisation", "project", "tombstone", "sync_peer", "sync_identity",
)  # fmt: skip


def empty(url: str) -> None:
    """Every row gone, the schema kept: a fresh database at head. DELETE, not TRUNCATE:
    a test's few hundred rows go faster than TRUNCATE's new files and their fsyncs."""
    import psycopg

    with psycopg.connect(url) as connection:
        for table in TABLES:
            connection.execute(f"DELETE FROM {table}")


def refuse_connections(url: str, refuse: bool) -> None:
    """The server as a laptop sees it when the network goes: no connection to the
    database gets through (the open ones are cut, new ones refused), or they do again."""
    import psycopg

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(not refuse).lower()}')
        if refuse:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
