"""pytest-benchmark versions of the hot paths, on a small generated database.

Skipped by default (``--benchmark-skip`` is in pyproject's addopts); run with

    .venv/bin/pytest tests/bench --benchmark-only

The budgets are checked by ``python -m bench.run`` on the full reference
database; these give pytest-benchmark's statistics and comparisons between runs
(``--benchmark-autosave``, ``--benchmark-compare``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from bench import run
from samverkan.services import Services, open_services

Small = tuple[Path, dict[str, Any]]


@pytest.fixture
def scratch(small_db: Small, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    path, info = small_db
    copy = run.Context(db=path, info=info, out=tmp_path).scratch("bench")
    return copy, info


@pytest.fixture
def services(small_db: Small) -> Iterator[Services]:
    path, _info = small_db
    opened = open_services(path)
    yield opened
    opened.close()


def test_note_insert_service(benchmark: BenchmarkFixture, scratch: Small) -> None:
    path, info = scratch
    inserter = run.ServiceInserter(path, info["big_meeting_id"])
    try:
        benchmark.pedantic(inserter, rounds=300, iterations=1, warmup_rounds=10)
    finally:
        inserter.close()


def test_note_insert_raw_sqlite3(benchmark: BenchmarkFixture, scratch: Small) -> None:
    path, info = scratch
    inserter = run.RawInserter(path, info["big_meeting_id"])
    try:
        benchmark.pedantic(inserter, rounds=300, iterations=1, warmup_rounds=10)
    finally:
        inserter.close()


def test_list_projects(benchmark: BenchmarkFixture, services: Services) -> None:
    projects = benchmark(services.projects.list_projects)
    assert projects


def test_notes_of_the_big_meeting(
    benchmark: BenchmarkFixture, services: Services, small_db: Small
) -> None:
    _path, info = small_db
    notes = benchmark(services.notes.notes, info["big_meeting_id"])
    assert len(notes) == info["big_meeting_notes"]
