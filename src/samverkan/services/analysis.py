"""Read a project's whole series for the analysis: a handful of plain selects, no ORM.

The reference database has 100 meetings, 100,000 notes and 200,000 tags, and the
analysis screen must open within a second, so every query selects only the
columns it needs, joins through the meeting to stay inside the project, and the
rows become the plain dataclasses of :mod:`samverkan.domain.analysis` at once. The
two big reads (notes and tags) are in :mod:`.analysis_reads`. Everything runs on a
:class:`~samverkan.store.reading.Reader`, so ``report`` and the exports read a file
without importing SQLAlchemy's ORM, and the same SQL serves a server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from samverkan.domain.clock import ClockEvent, EventKind
from samverkan.domain.errors import UserError
from samverkan.domain.model import (
    CodeView,
    MeetingStatus,
    NoteKind,
    OrganisationView,
    PhaseKind,
)
from samverkan.domain.series import MeetingInfo, PhaseInfo, Series, paused_gc
from samverkan.i18n import _
from samverkan.store.reading import Reader, reading
from samverkan.store.values import day, utc

from .analysis_reads import read_notes, read_tags
from .meeting_reads import CODE_COLUMNS, code_of

if TYPE_CHECKING:
    from samverkan.store.engine import Database


@dataclass(frozen=True)
class ProjectCodebook:
    short: str
    lang: str
    codes: tuple[CodeView, ...]  # in use, codebook order


class AnalysisService:
    """The reads of the analysis on the app's open database (see the module functions)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def series(self, project_id: str, *, every_note: bool = False) -> Series:
        with reading(self._db) as reader:
            return read_series(reader, project_id, every_note=every_note)

    def record(self, project_id: str) -> tuple[tuple[str, str], ...]:
        with reading(self._db) as reader:
            return read_record(reader, project_id)

    def codebook(self, project_id: str) -> ProjectCodebook:
        with reading(self._db) as reader:
            return read_codebook(reader, project_id)


def project_id(reader: Reader, short: str) -> str:
    """The id of the project called ``short``."""
    found = reader.one("SELECT id FROM project WHERE short = ?", (short,))
    if found is None:
        raise UserError(
            _("there is no project {short}; run 'samverkan list' to see the projects").format(
                short=short
            )
        )
    return str(found[0])


def read_series(
    reader: Reader, project_id: str, *, every_note: bool = False, tagged: bool = True
) -> Series:
    """Everything the analysis, the report and the exports need, in one read transaction.

    ``every_note`` keeps the untagged notes in ``remarks`` too (the tag export
    lists them); the analysis needs only the tagged ones, decisions and actions.
    Without ``tagged`` the remarks are the decisions and action items alone: the
    tagged notes are only counted (``Series.tally``, with the remarks the report
    quotes), which is all the report needs; over 500 meetings that is 440,000
    remarks not built.
    """
    with paused_gc():
        project = reader.one("SELECT short, name, lang FROM project WHERE id = ?", (project_id,))
        if project is None:
            raise UserError(_("the project no longer exists in this database"))
        meetings = _meetings(reader, project_id)
        all_codes = _codes(reader, project_id)
        tags = read_tags(reader, project_id, [c.id for c, _retired in all_codes])
        codes = tuple(c for c, retired in all_codes if not retired or c.id in tags.codes)
        notes = read_notes(reader, project_id, tags, codes, every_note=every_note, tagged=tagged)
        short, name, lang = project
        return Series(
            project_id=project_id,
            short=short,
            name=name,
            lang=lang,
            organisations=_organisations(reader, project_id),
            codes=codes,
            meetings=meetings,
            phases=_phases(reader, project_id),
            remarks=notes.remarks,
            note_counts=notes.counts,
            coders=notes.coders,
            events=_events(reader, project_id),
            retired=frozenset(c.id for c, retired in all_codes if retired),
            observations=notes.observations,
            people=_people(reader, project_id),
            tally=notes.tally,
            every_tagged=tagged or every_note,
        )


def read_record(reader: Reader, project_id: str) -> tuple[tuple[str, str], ...]:
    """(meeting id, note id) of the facilitator's notes, not deleted, by meeting and time.

    The units of the agreement data; the observers' own notes are left out.
    """
    rows = reader.rows(
        "SELECT note.meeting_id, note.id FROM note "
        "JOIN meeting ON meeting.id = note.meeting_id "
        "WHERE meeting.project_id = ? AND NOT note.deleted AND note.kind != ? "
        "ORDER BY meeting.number, note.created_at, note.added_seq",
        (project_id, NoteKind.OBSERVATION.value),
    )
    return tuple((mid, nid) for mid, nid in rows)


def read_codebook(reader: Reader, project_id: str) -> ProjectCodebook:
    """The codes the project uses now (retired ones left out), for the codebook export."""
    project = reader.one("SELECT short, lang FROM project WHERE id = ?", (project_id,))
    if project is None:
        raise UserError(_("the project no longer exists in this database"))
    codes = tuple(code for code, retired in _codes(reader, project_id) if not retired)
    return ProjectCodebook(project[0], project[1], codes)


def _organisations(reader: Reader, project_id: str) -> tuple[OrganisationView, ...]:
    rows = reader.rows(
        "SELECT id, short, name, kind, position FROM organisation WHERE project_id = ? "
        "ORDER BY position, short",
        (project_id,),
    )
    return tuple(OrganisationView(*row) for row in rows)


def _people(reader: Reader, project_id: str) -> dict[str, str]:
    rows = reader.rows(
        "SELECT person.id, person.name FROM person "
        "JOIN organisation ON organisation.id = person.organisation_id "
        "WHERE organisation.project_id = ?",
        (project_id,),
    )
    return {pid: name for pid, name in rows}


def _codes(reader: Reader, project_id: str) -> list[tuple[CodeView, bool]]:
    """The codebook in order, each code with whether it is retired (dropped from the file)."""
    rows = reader.rows(
        f"SELECT {CODE_COLUMNS}, retired FROM code WHERE project_id = ? "
        "ORDER BY retired, position, slug",
        (project_id,),
    )
    return [(code_of(row), bool(row[8])) for row in rows]


def _meetings(reader: Reader, project_id: str) -> tuple[MeetingInfo, ...]:
    rows = reader.rows(
        "SELECT id, number, title, date, host_organisation_id, status FROM meeting "
        "WHERE project_id = ? ORDER BY number",
        (project_id,),
    )
    return tuple(
        MeetingInfo(mid, number, title, day(when), host, MeetingStatus(status))
        for mid, number, title, when, host, status in rows
    )


def _phases(reader: Reader, project_id: str) -> dict[str, PhaseInfo]:
    rows = reader.rows(
        "SELECT phase.id, phase.meeting_id, phase.position, phase.kind, phase.title FROM phase "
        "JOIN meeting ON meeting.id = phase.meeting_id WHERE meeting.project_id = ?",
        (project_id,),
    )
    return {
        pid: PhaseInfo(pid, mid, position, PhaseKind(kind), title)
        for pid, mid, position, kind, title in rows
    }


def _events(reader: Reader, project_id: str) -> dict[str, tuple[ClockEvent, ...]]:
    rows = reader.rows(
        "SELECT meeting_event.meeting_id, meeting_event.at, meeting_event.kind, "
        "meeting_event.phase_id, meeting_event.organisation_id FROM meeting_event "
        "JOIN meeting ON meeting.id = meeting_event.meeting_id WHERE meeting.project_id = ? "
        # added_seq breaks ties: a start and its first phase share one instant.
        "ORDER BY meeting_event.meeting_id, meeting_event.at, meeting_event.added_seq",
        (project_id,),
    )
    found: dict[str, list[ClockEvent]] = {}
    for mid, at, kind, phase_id, org_id in rows:
        found.setdefault(mid, []).append(ClockEvent(utc(at), EventKind(kind), phase_id, org_id))
    return {mid: tuple(events) for mid, events in found.items()}
