"""The projects and meetings, readable before the rest of the services are loaded."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from samverkan.domain.model import ProjectSummary
from samverkan.store.summaries import read_projects

if TYPE_CHECKING:
    from samverkan.store.engine import Database


def list_projects(where: Path | Database) -> list[ProjectSummary]:
    """Projects with their organisations and meetings, sorted by short name."""
    if isinstance(where, Path):
        return read_projects(where)
    path = getattr(where, "path", None)
    if isinstance(path, Path):
        return read_projects(path)  # a file: the light reader
    from samverkan.store.summaries import read_projects_of

    with where.engine.connect() as connection:
        return read_projects_of(connection)
