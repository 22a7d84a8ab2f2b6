"""Shared fixtures: every test gets its own SAMVERKAN_HOME, database and clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import samverkan
from samverkan.domain.clock import ManualClock
from samverkan.i18n import set_language
from samverkan.services import Services, open_services
from samverkan.store.location import DatabaseLocation, ServerURL

SAMPLES = Path(samverkan.__file__).parent / "sample_agendas"
GRUPP_1 = SAMPLES / "kommun-af-grupp-1"
FORETAG = SAMPLES / "foretag"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """No test may touch the real user's data, config or language."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SAMVERKAN_HOME", str(home))
    for var in ("SAMVERKAN_DB", "SAMVERKAN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    set_language("en")
    return home


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2018, 6, 14, 7, 30, tzinfo=UTC))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "samverkan.db"


# The store, services and CLI tests run on both engines through one fixture,
# ``db_location``: a file, or a database on a PostgreSQL server (see tests/engines.py).
ENGINES = ("sqlite", "postgresql")
BOTH_ENGINES_UNDER = ("tests/store/", "tests/services/", "tests/cli/")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_engines: run on PostgreSQL too, though the test also uses db_path"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Both engines under store/, services/ and cli/; elsewhere (the UI) the file alone,
    with the test ids unchanged (snapshot names hang on them)."""
    if "db_location" not in metafunc.fixturenames:
        return
    where = str(metafunc.definition.path).replace("\\", "/")
    if any(f"/{part}" in where for part in BOTH_ENGINES_UNDER):
        metafunc.parametrize("db_location", ENGINES, indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL variant only where it means something: under store/, services/ and
    cli/, for tests that do not also reach for the file itself (``db_path``)."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        engine = callspec.params.get("db_location") if callspec is not None else None
        if engine == "postgresql":
            where = item.nodeid.replace("\\", "/")
            fixtures = getattr(item, "fixturenames", ())
            generic = "db_path" not in fixtures or item.get_closest_marker("both_engines")
            # A test may also ask for both engines itself (parametrize db_location).
            explicit = any(m.args[:1] == ("db_location",) for m in item.iter_markers("parametrize"))
            if not explicit and (not where.startswith(BOTH_ENGINES_UNDER) or not generic):
                dropped.append(item)
                continue
        kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def pg_database(worker_id: str) -> Iterator[str]:
    """This test process's own database on the server, migrated once."""
    from tests import engines

    problem = engines.server_problem()
    if problem is not None:
        message = f"no PostgreSQL server for the team-database tests ({problem})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    name = f"samverkan_test_{worker_id}_{os.getpid()}"
    url = engines.recreate(name)
    from samverkan.store.location import ServerURL
    from samverkan.store.opening import open_database

    open_database(ServerURL(url)).dispose()
    yield url
    engines.drop(name)


@pytest.fixture
def db_location(request: pytest.FixtureRequest, tmp_path: Path) -> DatabaseLocation:
    """Where the test's database is: the file ``db_path``, or an emptied server database."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return tmp_path / "samverkan.db"  # the same file as db_path
    from tests import engines

    url: str = request.getfixturevalue("pg_database")
    engines.empty(url)
    return ServerURL(url)


@pytest.fixture
def services(db_location: DatabaseLocation, clock: ManualClock) -> Iterator[Services]:
    opened = open_services(db_location, clock=clock, author="Göran Westin")
    yield opened
    opened.close()


@pytest.fixture
def imported(services: Services) -> Services:
    """Services on a database with both sample projects imported."""
    services.importer.import_paths([GRUPP_1, FORETAG])
    return services


def env_without_home() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")}
