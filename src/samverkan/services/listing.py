"""The projects and meetings, readable before the rest of the services are loaded."""

from __future__ import annotations

from pathlib import Path

from samverkan.domain.model import ProjectSummary
from samverkan.store.summaries import read_projects


def list_projects(path: Path) -> list[ProjectSummary]:
    """Projects with their organisations and meetings, sorted by short name."""
    return read_projects(path)
