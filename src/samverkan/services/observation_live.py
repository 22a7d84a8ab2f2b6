"""Following a meeting live: what changed since the last look, cheaply.

An open observer screen asks twice a second. A dedicated read-only
connection asks SQLite's ``PRAGMA data_version`` (which moves only when
another connection commits) before any query runs, so an idle meeting costs
one pragma. When something did change, new rows are found by rowid (exact,
in commit order) and changed rows by ``updated_at`` with an overlap: a writer
takes its timestamp before it waits for the write lock, so a row can commit
after a newer one with an older time. Rows in the overlap already delivered
are remembered in the cursor and skipped.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, literal_column, or_, text
from sqlalchemy import select as core_select
from sqlmodel import Session, SQLModel, col, select

from samverkan.domain.model import MeetingStatus, NoteKind, NoteView, TagView
from samverkan.store import tables as t
from samverkan.store.engine import BUSY_TIMEOUT_MS

_NOTE = SQLModel.metadata.tables["note"]
_TAG = SQLModel.metadata.tables["tag"]
_CODE = SQLModel.metadata.tables["code"]
OVERLAP = timedelta(milliseconds=BUSY_TIMEOUT_MS) + timedelta(seconds=5)


@dataclass(frozen=True)
class ChangeCursor:
    """Where the last ``changes_since`` left off. Opaque to the UI."""

    data_version: int | None
    note_rowid: int
    tag_rowid: int
    since: datetime | None  # highest ``updated_at`` seen on the meeting's notes and tags
    # Rows near ``since`` already delivered: id -> (updated_at, revision or active).
    recent: Mapping[str, tuple[datetime, int]]


@dataclass(frozen=True)
class Changes:
    notes: tuple[NoteView, ...]  # new or changed (content or tags), with all their tags
    removed: tuple[str, ...]  # ids of notes deleted since
    tags: tuple[tuple[str, TagView, bool], ...]  # (note id, tag, active) rows that changed
    phase_id: str | None  # the meeting's current phase
    status: MeetingStatus
    cursor: ChangeCursor

    @property
    def empty(self) -> bool:
        return not (self.notes or self.removed or self.tags)


class DataVersion:
    """``PRAGMA data_version`` of one dedicated connection: moves when others commit."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._closed = False

    def read(self) -> int | None:
        with self._lock:
            if self._closed:
                return None
            try:
                if self._connection is None:
                    # as_uri() percent-encodes: a folder named "a?b#c%" must still work.
                    uri = f"{self._path.resolve().as_uri()}?mode=ro"
                    self._connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
                row = self._connection.execute("PRAGMA data_version").fetchone()
                return int(row[0])
            except sqlite3.Error:
                return None  # no shortcut then: every poll reads

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._connection is not None:
                self._connection.close()
                self._connection = None


def current_phase(session: Session, meeting_id: str) -> str | None:
    return session.exec(
        select(t.MeetingEvent.phase_id)
        .where(t.MeetingEvent.meeting_id == meeting_id, t.MeetingEvent.kind == "phase")
        .order_by(col(t.MeetingEvent.at).desc(), literal_column("meeting_event.rowid").desc())
        .limit(1)
    ).first()


def read_changes(
    session: Session,
    meeting_id: str,
    cursor: ChangeCursor | None,
    version: int | None,
    phase: str | None,
    status: MeetingStatus,
) -> Changes:
    connection = session.connection()
    note_rowid = connection.execute(text("SELECT max(rowid) FROM note")).scalar() or 0
    tag_rowid = connection.execute(text("SELECT max(rowid) FROM tag")).scalar() or 0
    notes_q = core_select(_NOTE.c.id, _NOTE.c.updated_at, _NOTE.c.revision).where(
        _NOTE.c.meeting_id == meeting_id
    )
    tags_q = (
        core_select(
            _TAG.c.id,
            _TAG.c.note_id,
            _TAG.c.code_id,
            _CODE.c.slug,
            _TAG.c.observer,
            _TAG.c.active,
            _TAG.c.updated_at,
        )
        .join(_NOTE, _NOTE.c.id == _TAG.c.note_id)
        .join(_CODE, _CODE.c.id == _TAG.c.code_id)
        .where(_NOTE.c.meeting_id == meeting_id)
    )
    if cursor is None:
        # Everything, once; only the rows near the high-water mark are remembered.
        since = _high_water(session, meeting_id)
        floor = since - OVERLAP if since else None
        new_notes = new_tags = literal_column("0") == 1
        recent: Mapping[str, tuple[datetime, int]] = {}
    else:
        since, recent = cursor.since, cursor.recent
        floor = since - OVERLAP if since else None
        # New rows by rowid (exact, in commit order), changed rows by time (with the overlap).
        new_notes = literal_column("note.rowid") > cursor.note_rowid
        new_tags = literal_column("tag.rowid") > cursor.tag_rowid
    if floor is not None:
        notes_q = notes_q.where(or_(new_notes, _NOTE.c.updated_at > floor))
        tags_q = tags_q.where(or_(new_tags, _TAG.c.updated_at > floor))
    elif cursor is not None:
        notes_q, tags_q = notes_q.where(new_notes), tags_q.where(new_tags)
    seen: dict[str, tuple[datetime, int]] = {}
    changed: list[str] = []
    for note_id, updated, revision in connection.execute(notes_q):
        seen[note_id] = (updated, revision)
        if recent.get(note_id) != seen[note_id]:
            changed.append(note_id)
    tags: list[tuple[str, TagView, bool]] = []
    for tid, note_id, code_id, slug, observer, active, updated in connection.execute(tags_q):
        seen[tid] = (updated, int(active))
        if recent.get(tid) != seen[tid]:
            tags.append((note_id, TagView(code_id, slug, observer), bool(active)))
            changed.append(note_id)
    if cursor is None:
        notes, removed = _load(session, [], meeting_id)
        tags = []
    else:
        notes, removed = _load(session, list(dict.fromkeys(changed)))
    stamps = [version[0] for version in seen.values()] + ([since] if since else [])
    top = max(stamps) if stamps else None
    # Keep only what can still come back through the overlap window.
    merged = {**recent, **seen}
    keep = {k: v for k, v in merged.items() if top is None or v[0] > top - OVERLAP}
    new_cursor = ChangeCursor(version, note_rowid, tag_rowid, top, keep)
    return Changes(tuple(notes), tuple(removed), tuple(tags), phase, status, new_cursor)


def _high_water(session: Session, meeting_id: str) -> datetime | None:
    connection = session.connection()
    notes = connection.execute(
        core_select(func.max(_NOTE.c.updated_at)).where(_NOTE.c.meeting_id == meeting_id)
    ).scalar()
    tags = connection.execute(
        core_select(func.max(_TAG.c.updated_at))
        .join(_NOTE, _NOTE.c.id == _TAG.c.note_id)
        .where(_NOTE.c.meeting_id == meeting_id)
    ).scalar()
    stamps = [stamp for stamp in (notes, tags) if stamp is not None]
    return max(stamps) if stamps else None


_NOTE_COLUMNS = (
    "id", "meeting_id", "phase_id", "organisation_id", "person_id", "author", "kind", "text",
    "created_at", "offset_seconds", "owner_organisation_id", "owner_person_id", "due", "done",
    "revision", "deleted",
)  # fmt: skip
_KINDS = {str(kind): kind for kind in NoteKind}


def _load(
    session: Session, note_ids: list[str], meeting_id: str | None = None
) -> tuple[list[NoteView], list[str]]:
    """Notes (with their active tags) by id, or every note of ``meeting_id``.

    Core rows straight into views: building 5,000 ORM objects would cost
    more than the whole rest of opening the observer's screen.
    """
    connection = session.connection()
    columns = [_NOTE.c[name] for name in _NOTE_COLUMNS]
    if meeting_id is not None:
        queries = [core_select(*columns).where(_NOTE.c.meeting_id == meeting_id)]
        tags = tags_of(session, None, meeting_id=meeting_id)
    elif note_ids:
        queries = [
            core_select(*columns).where(_NOTE.c.id.in_(note_ids[start : start + 500]))
            for start in range(0, len(note_ids), 500)
        ]
        tags = tags_of(session, note_ids)
    else:
        return [], []
    notes: list[NoteView] = []
    removed: list[str] = []
    for query in queries:
        for row in connection.execute(query):
            values = dict(zip(_NOTE_COLUMNS, row, strict=True))
            if values["deleted"]:
                removed.append(values["id"])
                continue
            values["kind"] = _KINDS[values["kind"]]
            values["done"] = bool(values["done"])
            notes.append(NoteView(**values, tags=tags.get(values["id"], ())))
    notes.sort(key=lambda n: (n.created_at, n.id))
    return notes, removed


def tags_of(
    session: Session, note_ids: list[str] | None, *, meeting_id: str | None = None
) -> dict[str, tuple[TagView, ...]]:
    """Active tags of the notes, in codebook order: by ids, or of a whole meeting."""
    base = (
        core_select(_TAG.c.note_id, _TAG.c.code_id, _CODE.c.slug, _TAG.c.observer)
        .join(_CODE, _CODE.c.id == _TAG.c.code_id)
        .where(_TAG.c.active.is_(True))
        .order_by(_CODE.c.position, _TAG.c.observer)
    )
    if meeting_id is not None:
        queries = [
            base.join(_NOTE, _NOTE.c.id == _TAG.c.note_id).where(_NOTE.c.meeting_id == meeting_id)
        ]
    else:
        ids = note_ids or []
        queries = [
            base.where(_TAG.c.note_id.in_(ids[start : start + 500]))
            for start in range(0, len(ids), 500)
        ]
    found: dict[str, list[TagView]] = {}
    connection = session.connection()
    for query in queries:
        for note_id, code_id, slug, observer in connection.execute(query):
            found.setdefault(note_id, []).append(TagView(code_id, slug, observer))
    return {key: tuple(value) for key, value in found.items()}
