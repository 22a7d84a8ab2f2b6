"""The projects and meetings, readable before the rest of the services are loaded."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from samverkan.domain.overview import ProjectSummary
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


def list_projects_ahead(path: Path) -> Callable[[], list[ProjectSummary]]:
    """Start reading the listing of the file at ``path`` in a thread now; the function
    returned waits for it and gives it (or raises what the reading raised).

    The app starts this before it imports Textual: SQLite counts the notes without
    holding the GIL, so on a second core the listing is ready when the home screen
    is mounted instead of costing its ~10 ms (100,000 notes) before the first frame.
    """
    result: list[list[ProjectSummary]] = []
    failure: list[BaseException] = []

    def read() -> None:
        try:
            result.append(read_projects(path))
        except BaseException as exc:  # handed to the caller of the returned function
            failure.append(exc)

    thread = threading.Thread(target=read, name="samverkan-listing", daemon=True)
    thread.start()

    def wait() -> list[ProjectSummary]:
        thread.join()
        if failure:
            raise failure[0]
        return result[0]

    return wait
