"""One meeting as its screens and its minutes show it, read with plain SQL on a Reader.

``export`` of a 10,000-note meeting must finish within a second, start-up included,
and importing SQLAlchemy's ORM alone is 0.35 s of that; so the meeting view (its
project, phases, people, attendance and codes) is read on a
:class:`~samverkan.store.reading.Reader`, which reads a current file with sqlite3
alone. The app reads it the same way inside its open database (``reading``).
"""

from __future__ import annotations

from typing import Any

from samverkan.domain.errors import UserError
from samverkan.domain.model import (
    AttendanceView,
    CodeView,
    MeetingSummary,
    MeetingView,
    MinutesObservation,
    NoteKind,
    NoteView,
    OrganisationView,
    PersonView,
    PhaseKind,
    PhaseView,
    Polarity,
    ProjectSummary,
    TagView,
)
from samverkan.i18n import _
from samverkan.store.reading import Reader
from samverkan.store.summaries import loads_list, meeting_summary_of, project_summary_of
from samverkan.store.values import day, utc

# Every column a NoteView holds, in its order (see note_view below).
NOTE_COLUMNS = (
    "note.id, note.meeting_id, note.phase_id, note.organisation_id, note.person_id, "
    "note.author, note.kind, note.text, note.created_at, note.offset_seconds, "
    "note.owner_organisation_id, note.owner_person_id, note.due, note.done, note.revision, "
    "note.deleted"
)
_KINDS = {kind.value: kind for kind in NoteKind}
MEETING_COLUMNS = (
    "meeting.id, meeting.project_id, meeting.number, meeting.title, meeting.date, "
    "meeting.start, meeting.place, meeting.host_organisation_id, meeting.status"
)


def note_view(row: Any, tags: tuple[TagView, ...] = ()) -> NoteView:
    """A row of :data:`NOTE_COLUMNS` as a note."""
    (nid, mid, phase_id, org_id, person_id, author, kind, text, created_at, offset, owner,
     owner_person, due, done, revision, deleted) = row  # fmt: skip
    return NoteView(
        id=nid,
        meeting_id=mid,
        phase_id=phase_id,
        organisation_id=org_id,
        person_id=person_id,
        author=author,
        kind=_KINDS[kind],
        text=text,
        created_at=utc(created_at),
        offset_seconds=offset,
        owner_organisation_id=owner,
        owner_person_id=owner_person,
        due=day(due),
        done=bool(done),
        revision=revision,
        tags=tags,
        deleted=bool(deleted),
    )


def resolve_ref(reader: Reader, ref: str) -> str:
    """The meeting id for ``SHORT/NUMBER``; a clear error when there is none."""
    short, _sep, number = ref.strip().rpartition("/")
    if not short or not number.isdigit():
        raise UserError(
            _(
                "{ref!r} is not a meeting reference; write it as PROJECT/NUMBER, e.g. grupp-1/2"
            ).format(ref=ref)
        )
    found = reader.one(
        "SELECT meeting.id FROM meeting JOIN project ON project.id = meeting.project_id "
        "WHERE project.short = ? AND meeting.number = ?",
        (short, int(number)),
    )
    if found is None:
        raise UserError(
            _("there is no meeting {ref}; run 'samverkan list' to see the meetings").format(ref=ref)
        )
    return str(found[0])


def read_meeting_view(reader: Reader, meeting_id: str) -> MeetingView:
    """Everything a meeting screen (or the minutes) needs."""
    row = reader.one(
        f"SELECT {MEETING_COLUMNS}, meeting.intro, meeting.started_at, meeting.closed_at "
        "FROM meeting WHERE id = ?",
        (meeting_id,),
    )
    if row is None:
        raise UserError(_("the meeting no longer exists in this database"))
    project = read_project_summary(reader, row[1])
    notes = reader.one(
        "SELECT count(*) FROM note WHERE meeting_id = ? AND NOT deleted", (meeting_id,)
    )[0]
    phases = reader.rows(
        "SELECT id, position, kind, title, planned_minutes, prompts, script, started_at, "
        "ended_at, covered FROM phase WHERE meeting_id = ? ORDER BY position",
        (meeting_id,),
    )
    people = reader.rows(
        "SELECT person.id, person.name, person.organisation_id FROM person "
        "JOIN organisation ON organisation.id = person.organisation_id "
        "WHERE organisation.project_id = ? ORDER BY person.name",
        (project.id,),
    )
    attendance = reader.rows(
        "SELECT organisation_id, person_id, present FROM attendance WHERE meeting_id = ? "
        "ORDER BY organisation_id, person_id",
        (meeting_id,),
    )
    return MeetingView(
        summary=meeting_summary(project, row[:9], notes),
        project=project,
        intro=row[9],
        phases=tuple(_phase_view(*phase) for phase in phases),
        people=tuple(PersonView(pid, name, org) for pid, name, org in people),
        attendance=tuple(
            AttendanceView(org, person, bool(present)) for org, person, present in attendance
        ),
        codes=read_codes(reader, project.id),
        started_at=_when(row[10]),
        closed_at=_when(row[11]),
    )


def meeting_summary(project: ProjectSummary, row: Any, notes: int) -> MeetingSummary:
    """A row of :data:`MEETING_COLUMNS` of ``project`` as a summary."""
    hosts = {o.id: (o.short, o.name) for o in project.organisations}
    return meeting_summary_of(row, project.short, hosts, notes)


def read_project_summary(reader: Reader, project_id: str) -> ProjectSummary:
    row = reader.one(
        "SELECT id, short, name, lang, description, facilitator, observers, steering_group, "
        "minutes_observation FROM project WHERE id = ?",
        (project_id,),
    )
    if row is None:
        raise UserError(_("the project no longer exists in this database"))
    orgs = reader.rows(
        "SELECT id, short, name, kind, position FROM organisation WHERE project_id = ? "
        "ORDER BY position",
        (project_id,),
    )
    organisations = tuple(OrganisationView(*org) for org in orgs)
    return project_summary_of(row[:8], organisations, (), MinutesObservation(row[8]))


# A code's columns in CodeView's order.
CODE_COLUMNS = "id, slug, label, description, dimension, polarity, hotkey, position"


def code_of(row: Any) -> CodeView:
    """A row starting with :data:`CODE_COLUMNS` as a code."""
    cid, slug, label, description, dimension, polarity, hotkey, position = row[:8]
    return CodeView(cid, slug, label, description, dimension, Polarity(polarity), hotkey, position)


def read_codes(reader: Reader, project_id: str) -> tuple[CodeView, ...]:
    """The project's codes in use (not retired), in codebook order."""
    rows = reader.rows(
        f"SELECT {CODE_COLUMNS} FROM code WHERE project_id = ? AND NOT retired ORDER BY position",
        (project_id,),
    )
    return tuple(code_of(row) for row in rows)


def _phase_view(
    pid: str,
    position: int,
    kind: str,
    title: str,
    planned: int | None,
    prompts: str | None,
    script: str,
    started_at: Any,
    ended_at: Any,
    covered: str | None,
) -> PhaseView:
    import json

    positions = json.loads(covered) if covered else []
    if not isinstance(positions, list):
        positions = []
    return PhaseView(
        id=pid,
        position=position,
        kind=PhaseKind(kind),
        title=title,
        planned_minutes=planned,
        prompts=loads_list(prompts),
        script=script,
        started_at=_when(started_at),
        ended_at=_when(ended_at),
        covered=tuple(i for i in positions if isinstance(i, int)),
    )


def _when(stored: Any) -> Any:
    return None if stored is None else utc(stored)
