"""Benchmark tests: make the repository's ``bench`` package importable, share a small db."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import reference_db  # noqa: E402

# Small enough to build in well under a second, big enough for every kind of row.
SMALL = reference_db.Size(projects=3, meetings=6, notes=2000, tags=3000, observers=2, seed=1)


@pytest.fixture(scope="session")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A small reference database built once per session; tests must not write to it."""
    path = tmp_path_factory.mktemp("reference") / "small.db"
    info = reference_db.build(path, SMALL)
    return path, info
