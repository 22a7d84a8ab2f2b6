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


@pytest.fixture
def services(db_path: Path, clock: ManualClock) -> Iterator[Services]:
    opened = open_services(db_path, clock=clock, author="Göran Westin")
    yield opened
    opened.close()


@pytest.fixture
def imported(services: Services) -> Services:
    """Services on a database with both sample projects imported."""
    services.importer.import_paths([GRUPP_1, FORETAG])
    return services


def env_without_home() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")}
