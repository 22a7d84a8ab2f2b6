"""The services object: one per database, shared by the CLI and the app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from samverkan.domain.clock import system_clock
from samverkan.services.meetings import MeetingService
from samverkan.services.notes import NoteDraft, NoteService
from samverkan.services.projects import ProjectService
from samverkan.services.tags import TagService
from samverkan.store.backup import backup_to
from samverkan.store.engine import Database, DatabaseBusy
from samverkan.store.location import DatabaseLocation
from samverkan.store.opening import open_database

if TYPE_CHECKING:
    from samverkan.services.importing import ImportService

__all__ = ["DatabaseBusy", "NoteDraft", "Services", "open_services"]


class Services:
    def __init__(
        self,
        database: Database,
        clock: Callable[[], datetime] = system_clock,
        author: str = "",
    ) -> None:
        self.database = database
        self.clock = clock
        self.projects = ProjectService(database)
        self.meetings = MeetingService(database, clock)
        self.notes = NoteService(database, clock, author)
        self.tags = TagService(database, clock)

    @cached_property
    def importer(self) -> ImportService:
        # Imported on first use: parsing pulls in markdown-it and YAML, which
        # reading commands (list, export) never need.
        from samverkan.services import importing

        return importing.ImportService(self.database, self.clock)

    @property
    def path(self) -> Path:
        """The file (SQLite); a server database has none: see :attr:`location`."""
        path = getattr(self.database, "path", None)
        if not isinstance(path, Path):
            raise AttributeError("a server database has no file path")
        return path

    @property
    def location(self) -> DatabaseLocation:
        return self.database.location  # type: ignore[return-value]

    def backup(self, target: Path, *, force: bool = True) -> Path:
        """A consistent copy; never over the database, over another file only with ``force``."""
        return backup_to(self.database, target, force=force)

    def close(self) -> None:
        self.database.dispose()


def open_services(
    path: DatabaseLocation, clock: Callable[[], datetime] = system_clock, author: str = ""
) -> Services:
    return Services(open_database(path), clock, author)
