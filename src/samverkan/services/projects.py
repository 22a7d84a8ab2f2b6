"""Read projects and meetings: the home screen, ``list`` and every screen's header."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from samverkan.domain.errors import UserError
from samverkan.domain.model import (
    AttendanceView,
    MeetingStatus,
    MeetingSummary,
    MeetingView,
    MinutesObservation,
    ProjectSummary,
)
from samverkan.i18n import _
from samverkan.services.listing import list_projects
from samverkan.store import tables as t
from samverkan.store.converters import code_view, organisation_view, person_view, phase_view
from samverkan.store.engine import Database


def _project_summary(
    session: Session, row: t.Project, meetings: tuple[MeetingSummary, ...] = ()
) -> ProjectSummary:
    orgs = session.exec(
        select(t.Organisation)
        .where(t.Organisation.project_id == row.id)
        .order_by(col(t.Organisation.position))
    ).all()
    return ProjectSummary(
        id=row.id,
        short=row.short,
        name=row.name,
        lang=row.lang,
        description=row.description,
        facilitator=row.facilitator,
        observers=tuple(row.observers),
        steering_group=tuple(row.steering_group),
        organisations=tuple(organisation_view(o) for o in orgs),
        meetings=meetings,
        minutes_observation=MinutesObservation(row.minutes_observation),
    )


def meeting_summary(
    project: t.Project, row: t.Meeting, orgs: dict[str, t.Organisation], notes: int
) -> MeetingSummary:
    host = orgs.get(row.host_organisation_id or "")
    return MeetingSummary(
        id=row.id,
        project_short=project.short,
        number=row.number,
        title=row.title,
        date=row.date,
        start=row.start,
        place=row.place,
        host_short=host.short if host else "",
        host_name=host.name if host else "",
        status=MeetingStatus(row.status),
        notes=notes,
    )


def _note_counts(session: Session, meeting_id: str | None = None) -> dict[str, int]:
    query = (
        select(t.Note.meeting_id, func.count())
        .where(col(t.Note.deleted).is_(False))
        .group_by(col(t.Note.meeting_id))
    )
    if meeting_id is not None:
        query = query.where(t.Note.meeting_id == meeting_id)
    return {meeting: count for meeting, count in session.exec(query)}


class ProjectService:
    def __init__(self, database: Database) -> None:
        self._db = database

    def list_projects(self) -> list[ProjectSummary]:
        return list_projects(self._db)

    def resolve_ref(self, ref: str) -> str:
        """The meeting id for ``SHORT/NUMBER``; a clear error when there is none."""
        short, _sep, number = ref.strip().rpartition("/")
        if not short or not number.isdigit():
            raise UserError(
                _(
                    "{ref!r} is not a meeting reference; write it as PROJECT/NUMBER, e.g. grupp-1/2"
                ).format(ref=ref)
            )
        with self._db.read() as session:
            meeting = session.exec(
                select(t.Meeting)
                .join(t.Project, col(t.Project.id) == col(t.Meeting.project_id))
                .where(t.Project.short == short, t.Meeting.number == int(number))
            ).first()
            if meeting is None:
                raise UserError(
                    _("there is no meeting {ref}; run 'samverkan list' to see the meetings").format(
                        ref=ref
                    )
                )
            return meeting.id

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
        with self._db.read() as session:
            return meeting_view(session, meeting_id)


def meeting_view(session: Session, meeting_id: str) -> MeetingView:
    """Everything a meeting screen (or the minutes) needs, read within ``session``."""
    row = session.get(t.Meeting, meeting_id)
    if row is None:
        raise UserError(_("the meeting no longer exists in this database"))
    project = session.get(t.Project, row.project_id)
    assert project is not None  # guaranteed by the foreign key
    orgs = {
        o.id: o
        for o in session.exec(select(t.Organisation).where(t.Organisation.project_id == project.id))
    }
    phases = session.exec(
        select(t.Phase).where(t.Phase.meeting_id == row.id).order_by(col(t.Phase.position))
    ).all()
    people = session.exec(
        select(t.Person)
        .where(col(t.Person.organisation_id).in_(list(orgs)))
        .order_by(col(t.Person.name))
    ).all()
    attendance = session.exec(
        select(t.Attendance)
        .where(t.Attendance.meeting_id == row.id)
        .order_by(col(t.Attendance.organisation_id), col(t.Attendance.person_id))
    ).all()
    codes = session.exec(
        select(t.Code)
        .where(t.Code.project_id == project.id, col(t.Code.retired).is_(False))
        .order_by(col(t.Code.position))
    ).all()
    return MeetingView(
        summary=meeting_summary(project, row, orgs, _note_counts(session, row.id).get(row.id, 0)),
        project=_project_summary(session, project),
        intro=row.intro,
        phases=tuple(phase_view(p) for p in phases),
        people=tuple(person_view(p) for p in people),
        attendance=tuple(
            AttendanceView(a.organisation_id, a.person_id, a.present) for a in attendance
        ),
        codes=tuple(code_view(c) for c in codes),
        started_at=row.started_at,
        closed_at=row.closed_at,
    )
