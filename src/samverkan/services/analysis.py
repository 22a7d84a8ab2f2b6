"""Read a project's whole series for the analysis: a handful of Core selects, no ORM rows.

The reference database has 100 meetings, 100,000 notes and 200,000 tags, and the
analysis screen must open within a second, so every query selects only the
columns it needs, joins through the meeting to stay inside the project, and the
rows become the plain dataclasses of :mod:`samverkan.domain.analysis` at once. The
two big reads (notes and tags) are in :mod:`.analysis_reads`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select

from samverkan.domain.clock import ClockEvent, EventKind
from samverkan.domain.errors import UserError
from samverkan.domain.model import (
    CodeView,
    MeetingStatus,
    NoteKind,
    OrganisationView,
    PhaseKind,
    Polarity,
)
from samverkan.domain.series import MeetingInfo, PhaseInfo, Series, paused_gc
from samverkan.i18n import _
from samverkan.store import tables as t
from samverkan.store.engine import Database

from .analysis_reads import (
    note_counts,
    notes_of,
    observation_counts,
    observation_ids,
    remarks_of,
    sort_tags,
    tags_of,
)


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


PROJECT = _table(t.Project)
ORGANISATION = _table(t.Organisation)
PERSON = _table(t.Person)
CODE = _table(t.Code)
MEETING = _table(t.Meeting)
PHASE = _table(t.Phase)
EVENT = _table(t.MeetingEvent)
NOTE = _table(t.Note)
TAG = _table(t.Tag)


@dataclass(frozen=True)
class ProjectCodebook:
    short: str
    lang: str
    codes: tuple[CodeView, ...]  # in use, codebook order


class AnalysisService:
    def __init__(self, database: Database) -> None:
        self._db = database

    def series(self, project_id: str, *, every_note: bool = False) -> Series:
        """Everything the analysis, the report and the exports need, in one read transaction.

        ``every_note`` keeps the untagged notes in ``remarks`` too (the tag export
        lists them); the analysis needs only the tagged ones, decisions and actions.
        """
        with paused_gc(), self._db.read() as orm_session:
            # Core rows straight from the connection: no ORM identity map to fill.
            conn = orm_session.connection()
            project = conn.execute(
                select(PROJECT.c.short, PROJECT.c.name, PROJECT.c.lang).where(
                    PROJECT.c.id == project_id
                )
            ).first()
            if project is None:
                raise UserError(_("the project no longer exists in this database"))
            meetings = _meetings(conn, project_id)
            all_codes = _codes(conn, project_id)
            notes = notes_of(conn, project_id)
            note_meeting = {row[1]: row[2] for row in notes}
            tags, coders = tags_of(
                conn, [c.id for c, _retired in all_codes], note_meeting, observation_ids(notes)
            )
            codes = tuple(c for c, retired in all_codes if not retired or c.id in tags.codes)
            sort_tags(tags.by_note, codes)
            return Series(
                project_id=project_id,
                short=project.short,
                name=project.name,
                lang=project.lang,
                organisations=_organisations(conn, project_id),
                codes=codes,
                meetings=meetings,
                phases=_phases(conn, project_id),
                remarks=remarks_of(notes, tags.by_note, every_note=every_note),
                note_counts=note_counts(notes),
                coders=coders,
                events=_events(conn, project_id),
                retired=frozenset(c.id for c, retired in all_codes if retired),
                observations=observation_counts(notes),
                people=_people(conn, project_id),
            )

    def record(self, project_id: str) -> tuple[tuple[str, str], ...]:
        """(meeting id, note id) of the facilitator's notes, not deleted, by meeting and time.

        The units of the agreement data; the observers' own notes are left out.
        """
        with self._db.read() as orm_session:
            conn = orm_session.connection()
            rows = conn.execute(
                select(NOTE.c.meeting_id, NOTE.c.id)
                .join(MEETING, MEETING.c.id == NOTE.c.meeting_id)
                .where(
                    _in_project(project_id),
                    NOTE.c.deleted.is_(False),
                    NOTE.c.kind != NoteKind.OBSERVATION.value,
                )
                .order_by(MEETING.c.number, NOTE.c.created_at, NOTE.c.added_seq)
            )
            return tuple((mid, nid) for mid, nid in rows)

    def codebook(self, project_id: str) -> ProjectCodebook:
        """The codes the project uses now (retired ones left out), for the codebook export."""
        with self._db.read() as orm_session:
            conn = orm_session.connection()
            project = conn.execute(
                select(PROJECT.c.short, PROJECT.c.lang).where(PROJECT.c.id == project_id)
            ).first()
            if project is None:
                raise UserError(_("the project no longer exists in this database"))
            codes = tuple(code for code, retired in _codes(conn, project_id) if not retired)
            return ProjectCodebook(project.short, project.lang, codes)


def _in_project(project_id: str) -> Any:
    return MEETING.c.project_id == project_id


def _organisations(conn: Connection, project_id: str) -> tuple[OrganisationView, ...]:
    rows = conn.execute(
        select(
            ORGANISATION.c.id,
            ORGANISATION.c.short,
            ORGANISATION.c.name,
            ORGANISATION.c.kind,
            ORGANISATION.c.position,
        )
        .where(ORGANISATION.c.project_id == project_id)
        .order_by(ORGANISATION.c.position, ORGANISATION.c.short)
    )
    return tuple(OrganisationView(*row) for row in rows)


def _people(conn: Connection, project_id: str) -> dict[str, str]:
    rows = conn.execute(
        select(PERSON.c.id, PERSON.c.name)
        .join(ORGANISATION, ORGANISATION.c.id == PERSON.c.organisation_id)
        .where(ORGANISATION.c.project_id == project_id)
    )
    return {pid: name for pid, name in rows}


def _codes(conn: Connection, project_id: str) -> list[tuple[CodeView, bool]]:
    """The codebook in order, each code with whether it is retired (dropped from the file)."""
    rows = conn.execute(
        select(
            CODE.c.id,
            CODE.c.slug,
            CODE.c.label,
            CODE.c.description,
            CODE.c.dimension,
            CODE.c.polarity,
            CODE.c.hotkey,
            CODE.c.position,
            CODE.c.retired,
        )
        .where(CODE.c.project_id == project_id)
        .order_by(CODE.c.retired, CODE.c.position, CODE.c.slug)
    )
    return [
        (
            CodeView(
                cid, slug, label, description, dimension, Polarity(polarity), hotkey, position
            ),
            bool(retired),
        )
        for cid, slug, label, description, dimension, polarity, hotkey, position, retired in rows
    ]


def _meetings(conn: Connection, project_id: str) -> tuple[MeetingInfo, ...]:
    rows = conn.execute(
        select(
            MEETING.c.id,
            MEETING.c.number,
            MEETING.c.title,
            MEETING.c.date,
            MEETING.c.host_organisation_id,
            MEETING.c.status,
        )
        .where(_in_project(project_id))
        .order_by(MEETING.c.number)
    )
    return tuple(
        MeetingInfo(mid, number, title, day, host, MeetingStatus(status))
        for mid, number, title, day, host, status in rows
    )


def _phases(conn: Connection, project_id: str) -> dict[str, PhaseInfo]:
    rows = conn.execute(
        select(PHASE.c.id, PHASE.c.meeting_id, PHASE.c.position, PHASE.c.kind, PHASE.c.title)
        .join(MEETING, MEETING.c.id == PHASE.c.meeting_id)
        .where(_in_project(project_id))
    )
    return {
        pid: PhaseInfo(pid, mid, position, PhaseKind(kind), title)
        for pid, mid, position, kind, title in rows
    }


def _events(conn: Connection, project_id: str) -> dict[str, tuple[ClockEvent, ...]]:
    rows = conn.execute(
        select(
            EVENT.c.meeting_id,
            EVENT.c.at,
            EVENT.c.kind,
            EVENT.c.phase_id,
            EVENT.c.organisation_id,
        )
        .join(MEETING, MEETING.c.id == EVENT.c.meeting_id)
        .where(_in_project(project_id))
        # added_seq breaks ties: a start and its first phase share one instant.
        .order_by(EVENT.c.meeting_id, EVENT.c.at, EVENT.c.added_seq)
    )
    found: dict[str, list[ClockEvent]] = {}
    for mid, at, kind, phase_id, org_id in rows:
        found.setdefault(mid, []).append(ClockEvent(at, EventKind(kind), phase_id, org_id))
    return {mid: tuple(events) for mid, events in found.items()}
