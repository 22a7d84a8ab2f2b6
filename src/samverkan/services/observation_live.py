"""Following a meeting live: what changed since the last look, cheaply.

An open observer screen asks ten times a second. A dedicated read-only
connection asks SQLite's ``PRAGMA data_version`` (which moves only when
another connection commits) before any query runs, so an idle file costs one
pragma. When something did change, the read is incremental, so a poll costs
what changed, never what the meeting holds: new rows are found by rowid
(exact, in commit order) and changed rows through the ``updated_at`` indexes
with an overlap: a writer takes its timestamp before it waits for the write
lock, so a row can commit after a newer one with an older time. Rows in the
overlap already delivered are remembered in the cursor and skipped.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import literal_column, text
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
    # What the last read found; still true while ``data_version`` has not moved.
    phase_id: str | None = None
    status: MeetingStatus = MeetingStatus.PLANNED


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


# Incremental reads. Each poll touches only rows added (by rowid) or changed (by
# ``updated_at``, indexed) since the cursor, then keeps the meeting's own: the
# unary ``+`` stops SQLite from walking the meeting's index instead, which would
# make every poll cost as much as the meeting is long.
_NEW_NOTES = "SELECT id, updated_at, revision FROM note WHERE rowid > :rowid AND +meeting_id = :m"
_CHANGED_NOTES = (
    "SELECT id, updated_at, revision FROM note WHERE updated_at > :floor AND +meeting_id = :m"
)
_TAG_ROWS = (
    "SELECT tag.id, tag.note_id, tag.code_id, code.slug, tag.observer, tag.active, tag.updated_at"
    " FROM tag JOIN note ON note.id = tag.note_id JOIN code ON code.id = tag.code_id"
    " WHERE {where} AND +note.meeting_id = :m"
)
_NEW_TAGS = _TAG_ROWS.format(where="tag.rowid > :rowid")
_CHANGED_TAGS = _TAG_ROWS.format(where="tag.updated_at > :floor")


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
    # The file's high-water mark (two index lookups), not the meeting's: a meeting
    # followed while another one is written must not rescan that one's growing past.
    top = _high_water(connection)
    recent: Mapping[str, tuple[datetime, int]] = {} if cursor is None else cursor.recent
    note_rows: list[Any] = []
    tag_rows: list[Any] = []
    if cursor is not None:
        # New rows by rowid (exact, in commit order) ...
        where = {"m": meeting_id, "rowid": cursor.note_rowid}
        note_rows += connection.execute(text(_NEW_NOTES), where)
        where = {"m": meeting_id, "rowid": cursor.tag_rowid}
        tag_rows += connection.execute(text(_NEW_TAGS), where)
    since = cursor.since if cursor is not None else top
    if since is not None:
        # ... changed rows by time, with the overlap (only remembered on the first read).
        where = {"m": meeting_id, "floor": _stamp(since - OVERLAP)}
        note_rows += connection.execute(text(_CHANGED_NOTES), where)
        tag_rows += connection.execute(text(_CHANGED_TAGS), where)
    seen: dict[str, tuple[datetime, int]] = {}
    changed: list[str] = []
    for note_id, updated, revision in note_rows:
        seen[note_id] = (_when(updated), revision)
        if recent.get(note_id) != seen[note_id]:
            changed.append(note_id)
    tags: list[tuple[str, TagView, bool]] = []
    for tid, note_id, code_id, slug, observer, active, updated in tag_rows:
        if tid in seen:
            continue  # both new and recently changed: once is enough
        seen[tid] = (_when(updated), int(active))
        if recent.get(tid) != seen[tid]:
            tags.append((note_id, TagView(code_id, slug, observer), bool(active)))
            changed.append(note_id)
    if cursor is None:
        notes, removed = _load(session, [], meeting_id)
        tags = []
    else:
        notes, removed = _load(session, list(dict.fromkeys(changed)))
    stamps = [stamp for stamp in (top, since) if stamp is not None]
    top = max(stamps) if stamps else None
    # Keep only what can still come back through the overlap window.
    merged = {**recent, **seen}
    keep = {k: v for k, v in merged.items() if top is None or v[0] > top - OVERLAP}
    new_cursor = ChangeCursor(version, note_rowid, tag_rowid, top, keep, phase, status)
    return Changes(tuple(notes), tuple(removed), tuple(tags), phase, status, new_cursor)


def _high_water(connection: Any) -> datetime | None:
    stamps = [
        connection.execute(text(f"SELECT max(updated_at) FROM {table}")).scalar()
        for table in ("note", "tag")
    ]
    found = [_when(stamp) for stamp in stamps if stamp is not None]
    return max(found) if found else None


def _stamp(when: datetime) -> str:
    """A time as :class:`~samverkan.store.types.UTCDateTime` stores it, for SQL text."""
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def _when(stored: str | datetime) -> datetime:
    parsed = stored if isinstance(stored, datetime) else datetime.fromisoformat(stored)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


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
