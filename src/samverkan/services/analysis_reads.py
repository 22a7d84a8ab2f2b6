"""The two big reads of the analysis: a project's notes and its tags, on the DBAPI cursor.

They run on the DBAPI connection under the SQLAlchemy connection, inside the same
read transaction: SQLAlchemy's result rows cost several microseconds each, and these
are 100,000 notes and 200,000 tags on the reference database. Values are converted
here instead (:mod:`samverkan.store.values`: SQLite keeps times as UTC ISO text,
dates as ISO text, booleans as 0/1; a server gives typed values).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect

from samverkan.domain.model import CodeView, NoteKind
from samverkan.domain.observers import first_spellings, has_variants
from samverkan.domain.series import Remark
from samverkan.store.engine import full_scan_hint
from samverkan.store.raw_insert import driver_sql
from samverkan.store.values import day, utc

_KINDS = {kind.value: kind for kind in NoteKind}
# Notes the analysis keeps whole even when nobody tagged them.
_KEPT_KINDS = (NoteKind.DECISION.value, NoteKind.ACTION.value)

TagsByNote = dict[str, list[tuple[str, str]]]
NoteRow = tuple[Any, ...]

_NOTES_SQL = """
    SELECT meeting.number, note.id, note.meeting_id, note.phase_id, note.organisation_id,
           note.author, note.kind, note.text, note.created_at, note.offset_seconds,
           note.owner_organisation_id, note.due, note.done, note.owner_person_id
    FROM note
    JOIN meeting ON meeting.id = note.meeting_id
    WHERE meeting.project_id = ? AND NOT note.deleted
"""
# A project's codes are its own, so its tags are those with its code ids. When the
# project holds a good part of the file, one sequential pass over the table beats the
# code index (which ends in a random read per tag): 0.17 s against 0.39 s for 200,000
# tags; for a tenth of the file the index wins (0.06 s against 0.19 s).
_TAGS_SQL = """
    SELECT note_id, code_id, observer, active FROM tag {hint} WHERE code_id IN ({codes})
"""
_SCAN_SHARE = 3  # scan when the project has more than a third of the notes


@dataclass
class Tags:
    by_note: TagsByNote  # active tags, (code id, observer)
    codes: set[str]  # codes some active tag uses


def _driver(conn: Connection) -> Any:
    """The DBAPI connection under ``conn``, inside the transaction ``conn`` began."""
    return conn.connection.driver_connection


def notes_of(conn: Connection, project_id: str) -> list[NoteRow]:
    return list(_driver(conn).execute(driver_sql(_NOTES_SQL, conn.dialect), (project_id,)))


def tags_of(
    conn: Connection,
    code_ids: list[str],
    note_meeting: dict[str, str],
    observations: frozenset[str] = frozenset(),
) -> tuple[Tags, dict[str, frozenset[str]]]:
    """Active tags per note (unsorted), and who coded each meeting's record.

    Tags of deleted notes are left out. An observer who tagged and then untagged still
    coded the meeting: the rows stay, inactive, and say so. Tags on observers' own
    notes (``observations``) count, but do not make a coder of the facilitator's
    record. Spellings of one observer's name that differ in case become the first
    one written.
    """
    found = Tags({}, set())
    coders: dict[str, set[str]] = {}
    if not code_ids:
        return found, {}
    driver = _driver(conn)
    hint = full_scan_hint(conn, len(note_meeting) * _SCAN_SHARE)
    sql = _TAGS_SQL.format(hint=hint, codes=", ".join("?" * len(code_ids)))
    sql = driver_sql(sql, conn.dialect)
    by_note = found.by_note
    spelled: set[str] = set()
    for note_id, code_id, observer, active in driver.execute(sql, code_ids):
        meeting_id = note_meeting.get(note_id)
        if meeting_id is None:
            continue
        if note_id not in observations:
            names = coders.get(meeting_id)
            if names is None:
                coders[meeting_id] = names = set()
            names.add(observer)
        spelled.add(observer)
        if active:
            note_tags = by_note.get(note_id)
            if note_tags is None:
                by_note[note_id] = note_tags = []
            note_tags.append((code_id, observer))
            found.codes.add(code_id)
    if has_variants(spelled):
        _one_spelling(driver, conn.dialect, spelled, by_note, coders)
    return found, {m: frozenset(names) for m, names in coders.items()}


def _one_spelling(
    driver: Any,
    dialect: Dialect,
    spelled: set[str],
    by_note: TagsByNote,
    coders: dict[str, set[str]],
) -> None:
    """Rewrite every spelling of an observer's name as the one first written (rare)."""
    names = sorted(spelled)
    marks = ", ".join("?" * len(names))
    sql = f"SELECT observer, min(created_at) FROM tag WHERE observer IN ({marks}) GROUP BY observer"
    first = dict(driver.execute(driver_sql(sql, dialect), names))
    canonical = first_spellings(first)
    for note_tags in by_note.values():
        note_tags[:] = list(dict.fromkeys((code, canonical[o]) for code, o in note_tags))
    for meeting_id, observers in coders.items():
        coders[meeting_id] = {canonical[o] for o in observers}


def sort_tags(tags: TagsByNote, codes: tuple[CodeView, ...]) -> None:
    """Each note's tags in codebook order, then by observer."""
    position = {code.id: index for index, code in enumerate(codes)}
    last = len(position)
    for found in tags.values():
        if len(found) > 1:
            found.sort(key=lambda tag: (position.get(tag[0], last), tag[1]))


def remarks_of(
    notes: list[NoteRow], tags: TagsByNote, *, every_note: bool = False
) -> tuple[Remark, ...]:
    """Tagged notes, decisions and action items (or every note), by meeting number, then time."""
    kept = [row for row in notes if every_note or row[1] in tags or row[6] in _KEPT_KINDS]
    # Stored times are UTC ISO text of one width, so text order is time order.
    kept.sort(key=lambda row: (row[0], row[8], row[1]))
    empty: tuple[tuple[str, str], ...] = ()
    return tuple(
        Remark(
            nid,
            mid,
            phase_id,
            org_id,
            author or "",
            _KINDS[kind],
            body,
            _utc(created_at),
            float(offset or 0.0),
            tuple(tags[nid]) if nid in tags else empty,
            owner,
            day(due),
            bool(done),
            owner_person,
        )
        for (
            _number,
            nid,
            mid,
            phase_id,
            org_id,
            author,
            kind,
            body,
            created_at,
            offset,
            owner,
            due,
            done,
            owner_person,
        ) in kept
    )


_utc = utc


def note_counts(notes: list[NoteRow]) -> dict[tuple[str, str | None], int]:
    """(meeting, organisation) -> notes, tagged or not."""
    return dict(Counter((row[2], row[4]) for row in notes))


def observation_ids(notes: list[NoteRow]) -> frozenset[str]:
    """The observers' own notes: not part of the facilitator's record."""
    return frozenset(row[1] for row in notes if row[6] == NoteKind.OBSERVATION.value)


def observation_counts(notes: list[NoteRow]) -> dict[str, int]:
    """Meeting -> observers' own notes (not deleted), tagged or not."""
    return dict(Counter(row[2] for row in notes if row[6] == NoteKind.OBSERVATION.value))
