"""Read projects and meetings: the home screen, ``list`` and every screen's header."""

from __future__ import annotations

from sqlmodel import select

from samverkan.domain.errors import UserError
from samverkan.domain.model import MeetingView, ProjectSummary
from samverkan.i18n import _
from samverkan.services.listing import list_projects
from samverkan.services.meeting_reads import read_meeting_view, resolve_ref
from samverkan.store import tables as t
from samverkan.store.engine import Database
from samverkan.store.reading import reading


class ProjectService:
    def __init__(self, database: Database) -> None:
        self._db = database

    def list_projects(self) -> list[ProjectSummary]:
        return list_projects(self._db)

    def resolve_ref(self, ref: str) -> str:
        """The meeting id for ``SHORT/NUMBER``; a clear error when there is none."""
        with reading(self._db) as reader:
            return resolve_ref(reader, ref)

    def project_id(self, short: str) -> str:
        with self._db.read() as session:
            row = session.exec(select(t.Project).where(t.Project.short == short)).first()
            if row is None:
                raise UserError(
                    _(
                        "there is no project {short}; run 'samverkan list' to see the projects"
                    ).format(short=short)
                )
            return row.id

    def project(self, project_id: str) -> ProjectSummary:
        for project in list_projects(self._db):
            if project.id == project_id:
                return project
        raise UserError(_("the project no longer exists in this database"))

    def meeting(self, meeting_id: str) -> MeetingView:
        """Everything a meeting screen (or the minutes) needs."""
        with reading(self._db) as reader:
            return read_meeting_view(reader, meeting_id)
