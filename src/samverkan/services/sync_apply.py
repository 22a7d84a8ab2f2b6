"""Reading one side's state of a project or meeting, and merging the other side's into it.

A snapshot holds what is cheap to compare (ids, versions, small rows); a
payload holds the full rows one side sends; :func:`apply_meeting` merges a
payload into the receiving database inside that database's one write
transaction, reading the receiver's current rows in that same transaction, so
a facilitator writing meanwhile loses nothing and a kill at any instant leaves
either all of it or none of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from samverkan.services import sync_merge as rules
from samverkan.services import sync_tombstones as tombs
from samverkan.store.sync_rows import (
    Row,
    bytewise,
    fetch,
    fetch_by_ids,
    fetch_in_meeting,
    insert_rows,
    rows_of,
    sort_key,
    table,
    update_rows,
)

# ------------------------------------------------------------------ projects


@dataclass
class ProjectRows:
    project: Row | None
    organisations: list[Row]
    people: list[Row]
    codes: list[Row]
    tombstones: list[Row] = field(default_factory=list)


def read_project(session: Session, project_id: str) -> ProjectRows:
    found = fetch(session, "project", table("project").c.id == project_id)
    organisations = fetch(session, "organisation", table("organisation").c.project_id == project_id)
    people = fetch_by_ids(
        session, "person", [o["id"] for o in organisations], key="organisation_id"
    )
    codes = fetch(session, "code", table("code").c.project_id == project_id)
    tombstones = fetch(session, "tombstone", table("tombstone").c.project_id == project_id)
    return ProjectRows(found[0] if found else None, organisations, people, codes, tombstones)


def project_differs(a: ProjectRows, b: ProjectRows) -> bool:
    def ids(rows: list[Row]) -> dict[str, str]:
        return {r["id"]: sort_key(r) for r in rows}

    return (
        a.project != b.project
        or ids(a.organisations) != ids(b.organisations)
        or ids(a.people) != ids(b.people)
        or ids(a.codes) != ids(b.codes)
        or ids(a.tombstones) != ids(b.tombstones)
    )


def apply_project(
    session: Session,
    incoming: ProjectRows,
    buried: Set[str] = frozenset(),
    kept: Sequence[Row] = (),
) -> int:
    """Merge the other side's project, organisations, people, codes and tombstones;
    remove the rows of ``buried`` (deleted on some side, in use on none), and write
    the tombstones ``kept`` revived (rows in use on some side); rows changed."""
    if incoming.project is None:
        return 0
    local = read_project(session, incoming.project["id"])
    arriving = list(tombs.merged(incoming.tombstones, kept).values())
    changed = _merge_stamped_rows(session, "tombstone", local.tombstones, arriving)
    project = incoming.project
    organisations, people, codes = (
        [r for r in rows if r["id"] not in buried]
        for rows in (incoming.organisations, incoming.people, incoming.codes)
    )
    if local.project is None:
        insert_rows(session, "project", [project])
        changed += 1
        wins: bool | None = True
    elif project != local.project:
        wins = rules.newer(project, local.project)
        if wins:
            _update_all(session, "project", [project])
            changed += 1
    else:
        wins = None  # the same project row: each child row decides by its content
    for name, mine, theirs in (
        ("organisation", local.organisations, organisations),
        ("person", local.people, people),
        ("code", local.codes, codes),
    ):
        changed += _merge_plain(session, name, mine, theirs, wins)
    tombstones = list(tombs.merged(local.tombstones, arriving).values())
    return changed + tombs.bury(session, tombstones, set(buried))


def _merge_plain(
    session: Session, name: str, local: list[Row], incoming: list[Row], wins: bool | None
) -> int:
    """Rows without a time of change follow their project's newer version."""
    by_id = {r["id"]: r for r in local}
    inserts, updates = [], []
    for row in incoming:
        mine = by_id.get(row["id"])
        if mine is None:
            inserts.append(row)
        elif mine != row and (wins if wins is not None else rules.by_content(row, mine)):
            updates.append(row)
    insert_rows(session, name, inserts)
    _update_all(session, name, updates)
    return len(inserts) + len(updates)


def _update_all(session: Session, name: str, rows: list[Row]) -> None:
    if rows:
        update_rows(session, name, rows, [k for k in rows[0] if k != "id"])


# ------------------------------------------------------------------ meetings


@dataclass
class MeetingSnapshot:
    meeting: Row | None
    phases: dict[str, Row]
    attendance: dict[str, Row]
    events: dict[str, Row]
    revisions: dict[str, frozenset[str]]  # note id -> its revisions' ids
    tags: dict[str, tuple[Any, ...]]  # tag id -> (active, created_at, updated_at, observer)


def read_snapshot(session: Session, meeting_id: str) -> MeetingSnapshot:
    found = fetch(session, "meeting", table("meeting").c.id == meeting_id)
    note = table("note")
    revision = table("note_revision")
    revisions: dict[str, set[str]] = {
        note_id: set()
        for note_id in session.connection()
        .execute(select(note.c.id).where(note.c.meeting_id == meeting_id))
        .scalars()
        .all()
    }
    query = (
        select(revision.c.note_id, revision.c.id)
        .join_from(revision, note, note.c.id == revision.c.note_id)
        .where(note.c.meeting_id == meeting_id)
    )
    for note_id, revision_id in session.connection().execute(query).all():
        revisions.setdefault(note_id, set()).add(revision_id)
    return MeetingSnapshot(
        meeting=found[0] if found else None,
        phases=_by_id(fetch_in_meeting(session, "phase", meeting_id)),
        attendance=_by_id(fetch_in_meeting(session, "attendance", meeting_id)),
        events=_by_id(fetch_in_meeting(session, "meeting_event", meeting_id)),
        revisions={k: frozenset(v) for k, v in revisions.items()},
        tags=_tag_versions(session, meeting_id),
    )


def _tag_versions(session: Session, meeting_id: str) -> dict[str, tuple[Any, ...]]:
    """Each tag's version: its id is its note, code and observer (casefolded), so what
    can differ between two sides is whether it is on, since when, and the name's case."""
    tag, note = table("tag"), table("note")
    query = (
        select(tag.c.id, tag.c.active, tag.c.created_at, tag.c.updated_at, tag.c.observer)
        .join_from(tag, note, note.c.id == tag.c.note_id)
        .where(note.c.meeting_id == meeting_id)
    )
    return {row[0]: tuple(row[1:]) for row in session.connection().execute(query).all()}


def _by_id(rows: list[Row]) -> dict[str, Row]:
    return {r["id"]: r for r in rows}


@dataclass
class Plan:
    """What one side would send the other for one meeting (ids; full rows come later)."""

    meeting: bool = False
    phases: list[str] = field(default_factory=list)
    attendance: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    new_notes: list[str] = field(default_factory=list)
    changed_notes: list[str] = field(default_factory=list)
    # Notes the receiver has more of: sent so the receiver renumbers and derives them too.
    settle_notes: list[str] = field(default_factory=list)
    revisions: int = 0
    tags: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.meeting
            or self.phases
            or self.attendance
            or self.events
            or self.new_notes
            or self.changed_notes
            or self.settle_notes
            or self.tags
        )

    @property
    def notes(self) -> list[str]:
        return self.new_notes + self.changed_notes + self.settle_notes


def plan(sender: MeetingSnapshot, receiver: MeetingSnapshot) -> Plan:
    result = Plan()
    if sender.meeting is None:
        return result
    result.meeting = sender.meeting != receiver.meeting
    result.phases = [k for k, r in sender.phases.items() if receiver.phases.get(k) != r]
    result.attendance = [k for k, r in sender.attendance.items() if receiver.attendance.get(k) != r]
    result.events = [k for k in sender.events if k not in receiver.events]
    for note_id, mine in sender.revisions.items():
        theirs = receiver.revisions.get(note_id)
        if theirs is None:
            result.new_notes.append(note_id)
            result.revisions += len(mine)
        elif mine != theirs:
            missing = len(mine - theirs)
            if missing:
                result.changed_notes.append(note_id)
                result.revisions += missing
            else:
                result.settle_notes.append(note_id)
    result.tags = [k for k, r in sender.tags.items() if receiver.tags.get(k) != r]
    return result


@dataclass
class Payload:
    meeting: Row
    phases: list[Row]
    attendance: list[Row]
    events: list[Row]
    notes: list[Row]
    revisions: dict[str, list[Row]]
    tags: list[Row]


def read_payload(session: Session, meeting_id: str, wanted: Plan, receivers: Row | None) -> Payload:
    """The rows of ``wanted``; when this side lacks the meeting, the receiver's own
    meeting row stands in (the receiver then only settles its own rows)."""
    found = fetch(session, "meeting", table("meeting").c.id == meeting_id)
    meeting = found[0] if found else receivers
    assert meeting is not None
    notes = fetch_in_meeting(session, "note", meeting_id, wanted.notes)
    revisions: dict[str, list[Row]] = defaultdict(list)
    for row in fetch_in_meeting(session, "note_revision", meeting_id, wanted.notes, key="note_id"):
        revisions[row["note_id"]].append(row)
    return Payload(
        meeting=meeting,
        phases=fetch_in_meeting(session, "phase", meeting_id, wanted.phases),
        attendance=fetch_in_meeting(session, "attendance", meeting_id, wanted.attendance),
        events=fetch_in_meeting(session, "meeting_event", meeting_id, wanted.events),
        # In the order they were written there, so they keep it here.
        notes=sorted(notes, key=lambda n: (n["created_at"], n["id"])),
        revisions=dict(revisions),
        tags=fetch_in_meeting(session, "tag", meeting_id, wanted.tags),
    )


@dataclass
class Applied:
    """What merging one payload changed in the receiving database."""

    meeting: bool = False
    phases: int = 0
    attendance: int = 0
    events: int = 0
    notes_added: int = 0
    notes_changed: int = 0
    revisions: int = 0
    tags: int = 0
    clashes: list[rules.NoteClash] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # note id -> text shown, for reports


def apply_meeting(session: Session, payload: Payload, settle: Sequence[str] = ()) -> Applied:
    """Merge ``payload`` into this database; ``settle``: notes this side sent, whose
    numbers and shown state it derives again by the same rules as the receiver."""
    done = Applied()
    meeting_id = payload.meeting["id"]
    local = fetch(session, "meeting", table("meeting").c.id == meeting_id)
    if not local:
        insert_rows(session, "meeting", [payload.meeting])
        done.meeting, agenda_wins = True, True
    elif payload.meeting != local[0]:
        agenda_wins = rules.newer(payload.meeting, local[0])
        if agenda_wins:
            _update_all(session, "meeting", [payload.meeting])
            done.meeting = True
    else:
        agenda_wins = None
    done.phases = _merge_phases(session, meeting_id, payload.phases, agenda_wins)
    done.attendance = _merge_stamped(session, "attendance", meeting_id, payload.attendance)
    known = {
        r["id"]
        for r in fetch_in_meeting(
            session, "meeting_event", meeting_id, [e["id"] for e in payload.events]
        )
    }
    events = [e for e in payload.events if e["id"] not in known]
    insert_rows(session, "meeting_event", sorted(events, key=lambda e: (e["at"], e["id"])))
    done.events = len(events)
    _merge_notes(session, payload, settle, done)
    done.tags = _merge_stamped(session, "tag", meeting_id, payload.tags)
    done.phases += _settle_phase_times(session, meeting_id)
    return done


def _merge_phases(
    session: Session, meeting_id: str, incoming: list[Row], agenda_wins: bool | None
) -> int:
    local = _by_id(fetch(session, "phase", table("phase").c.meeting_id == meeting_id))
    inserts, updates = [], []
    for row in incoming:
        mine = local.get(row["id"])
        if mine is None:
            inserts.append(row)
            continue
        agenda = {k: row[k] for k in rules.AGENDA_FIELDS}
        if any(mine[k] != v for k, v in agenda.items()):
            take = agenda_wins if agenda_wins is not None else rules.by_content(row, mine)
            if take:
                updates.append({**mine, **agenda})
    insert_rows(session, "phase", inserts)
    if updates:
        update_rows(session, "phase", updates, list(rules.AGENDA_FIELDS))
    return len(inserts) + len(updates)


def _settle_phase_times(session: Session, meeting_id: str) -> int:
    """Actual phase times from the (merged) clock log, when the meeting has run."""
    events = fetch(session, "meeting_event", table("meeting_event").c.meeting_id == meeting_id)
    if not rules.has_phase_events(events):
        return 0
    phases = fetch(session, "phase", table("phase").c.meeting_id == meeting_id)
    times = rules.phase_times(events, [p["id"] for p in phases])
    updates = []
    for phase in phases:
        started, ended = times[phase["id"]]
        if (phase["started_at"], phase["ended_at"]) != (started, ended):
            updates.append({**phase, "started_at": started, "ended_at": ended})
    if updates:
        update_rows(session, "phase", updates, ["started_at", "ended_at"])
    return len(updates)


def _merge_stamped(session: Session, name: str, meeting_id: str, incoming: list[Row]) -> int:
    local = fetch_in_meeting(session, name, meeting_id, [r["id"] for r in incoming])
    return _merge_stamped_rows(session, name, local, incoming)


def _merge_stamped_rows(session: Session, name: str, found: list[Row], incoming: list[Row]) -> int:
    """Rows with a time of change: the newer of each pair (``found``: the local ones)."""
    local = _by_id(found)
    inserts, updates = [], []
    for row in incoming:
        mine = local.get(row["id"])
        if mine is None:
            inserts.append(row)
        elif mine != row and rules.newer(row, mine):
            updates.append(row)
    insert_rows(session, name, inserts)
    _update_all(session, name, updates)
    return len(inserts) + len(updates)


def _merge_notes(session: Session, payload: Payload, settle: Sequence[str], done: Applied) -> None:
    ids = [n["id"] for n in payload.notes]
    ids += sorted(set(settle) - set(ids))
    if not ids:
        return
    meeting_id = payload.meeting["id"]
    local_notes = _by_id(fetch_in_meeting(session, "note", meeting_id, ids))
    incoming_notes = {n["id"]: n for n in payload.notes}
    local_revisions: dict[str, list[Row]] = defaultdict(list)
    for row in fetch_in_meeting(session, "note_revision", meeting_id, ids, key="note_id"):
        local_revisions[row["note_id"]].append(row)
    note_inserts: list[Row] = []
    note_updates: list[Row] = []
    revision_inserts: list[Row] = []
    renumbered: list[Row] = []
    for note_id in ids:
        mine = local_revisions.get(note_id, [])
        theirs = payload.revisions.get(note_id, [])
        incoming = incoming_notes.get(note_id) or local_notes.get(note_id)
        if incoming is None or not (mine or theirs):
            continue
        local_note = local_notes.get(note_id)
        if local_note is None and not mine:
            # New here: taken as written there, so both sides hold the very same rows.
            note_inserts.append(incoming)
            revision_inserts.extend(theirs)
            done.notes_added += 1
            done.revisions += len(theirs)
            continue
        found = rules.clash(note_id, mine, theirs)
        union: dict[str, Row] = {r["id"]: r for r in theirs}
        union.update({r["id"]: r for r in mine})
        if found is not None:
            done.clashes.append(found)
            if found.keep is not None and found.keep["id"] not in union:
                union[found.keep["id"]] = found.keep
        ordered = rules.numbered(union.values())
        old_numbers = {r["id"]: r["revision"] for r in mine}
        added = [r for r in ordered if r["id"] not in old_numbers]
        revision_inserts.extend(added)
        renumbered.extend(
            r for r in ordered if old_numbers.get(r["id"], r["revision"]) != r["revision"]
        )
        if local_note is None or (incoming is not local_note and rules.newer(incoming, local_note)):
            base = incoming
        else:
            base = local_note
        note = rules.note_from(base, ordered)
        done.texts[note_id] = note["text"]
        if local_note is None:
            note_inserts.append(note)
            done.notes_added += 1
        else:
            if added:
                done.notes_changed += 1
            if note != local_note:
                note_updates.append(note)
        done.revisions += len(added)
    insert_rows(session, "note", note_inserts)
    # Numbers are unique per note: move the renumbered out of the way first.
    update_rows(
        session,
        "note_revision",
        [{**r, "revision": -r["revision"]} for r in renumbered],
        ["revision"],
    )
    insert_rows(session, "note_revision", revision_inserts)
    update_rows(session, "note_revision", renumbered, ["revision"])
    _update_all(session, "note", note_updates)


def meeting_ids(session: Session, project_id: str) -> dict[str, Any]:
    """The project's meetings: id -> (number, title)."""
    meeting = table("meeting")
    query = meeting.select().with_only_columns(meeting.c.id, meeting.c.number, meeting.c.title)
    return {
        mid: (number, title)
        for mid, number, title in session.execute(query.where(meeting.c.project_id == project_id))
    }


def meeting_marks(session: Session, project_id: str) -> dict[str, tuple[Any, ...]]:
    """A cheap summary of each meeting's rows, from a few grouped queries.

    Two databases whose summaries of a meeting are equal hold the same meeting
    (counts, newest times, sums of revision numbers, smallest and largest ids),
    so a sync that finds nothing new reads these and no rows. Any difference,
    even one these would miss only by a coincidence of microseconds and
    random ids, sends the meeting through the full comparison.
    """
    meeting, note = table("meeting"), table("note")
    revision, tag, event = table("note_revision"), table("tag"), table("meeting_event")
    ids = select(meeting.c.id).where(meeting.c.project_id == project_id)
    marks: dict[str, list[Any]] = {}

    def gather(query: Any, key_column: Any, width: int) -> None:
        found = {row[0]: tuple(row[1:]) for row in session.execute(query.group_by(key_column))}
        for meeting_id in list(marks):
            marks[meeting_id].append(found.get(meeting_id, (None,) * width))

    for meeting_id in session.connection().execute(ids).scalars().all():
        marks[meeting_id] = []
    in_project = note.c.meeting_id.in_(ids)
    gather(
        select(
            note.c.meeting_id,
            func.count(),
            func.max(note.c.updated_at),
            func.sum(note.c.revision),
            func.min(bytewise(session, note.c.id)),
            func.max(bytewise(session, note.c.id)),
        ).where(in_project),
        note.c.meeting_id,
        5,
    )
    gather(
        select(
            note.c.meeting_id,
            func.count(),
            func.max(revision.c.at),
            func.min(bytewise(session, revision.c.id)),
            func.max(bytewise(session, revision.c.id)),
        )
        .join_from(revision, note, note.c.id == revision.c.note_id)
        .where(in_project),
        note.c.meeting_id,
        4,
    )
    gather(
        select(
            note.c.meeting_id,
            func.count(),
            func.sum(case((tag.c.active, 1), else_=0)),
            func.max(tag.c.updated_at),
            func.min(bytewise(session, tag.c.id)),
            func.max(bytewise(session, tag.c.id)),
        )
        .join_from(tag, note, note.c.id == tag.c.note_id)
        .where(in_project),
        note.c.meeting_id,
        5,
    )
    gather(
        select(
            event.c.meeting_id,
            func.count(),
            func.max(event.c.at),
            func.min(bytewise(session, event.c.id)),
            func.max(bytewise(session, event.c.id)),
        ).where(event.c.meeting_id.in_(ids)),
        event.c.meeting_id,
        4,
    )
    small = small_marks(session, project_id)
    return {meeting_id: (*small[meeting_id], *values) for meeting_id, values in marks.items()}


def columns_of(name: str) -> list[Any]:
    from samverkan.store.sync_rows import columns

    return columns(name)


def small_marks(session: Session, project_id: str) -> dict[str, tuple[Any, ...]]:
    """Each meeting's own row, phases and attendance, as sortable text: the rows the
    change sequence does not number, few enough to read whole on every sync."""
    meeting = table("meeting")
    ids = select(meeting.c.id).where(meeting.c.project_id == project_id)
    marks: dict[str, list[Any]] = {
        row["id"]: [sort_key(row)]
        for row in rows_of(
            session, select(*columns_of("meeting")).where(meeting.c.project_id == project_id)
        )
    }
    for name in ("phase", "attendance"):
        tbl = table(name)
        found: dict[str, list[str]] = defaultdict(list)
        for row in rows_of(session, select(*columns_of(name)).where(tbl.c.meeting_id.in_(ids))):
            found[row["meeting_id"]].append(sort_key(row))
        for meeting_id, values in marks.items():
            values.append(tuple(sorted(found.get(meeting_id, []))))
    return {meeting_id: tuple(values) for meeting_id, values in marks.items()}
