"""SQLModel tables: one per entity of DESIGN.md's vocabulary.

Keys are UUID strings. Rows that travel between databases (meetings, phases,
notes, tags, codes) get ids derived from their natural key where one exists,
so merging an observer's file never duplicates them. Nothing is ever deleted
by the user: notes carry ``deleted`` and their history lives in
``note_revision``; tags carry ``active``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from samverkan.store.types import JSONList, UTCDateTime


def _fk(target: str, *, nullable: bool = False, index: bool = True) -> Any:
    return Field(
        default=None if nullable else ...,
        foreign_key=target,
        index=index,
        nullable=nullable,
        ondelete="CASCADE" if not nullable else "SET NULL",
    )


def _seq(*, index: bool = False) -> Any:
    """A number of the change sequence: set by the database's triggers, never by us."""
    return Field(
        default=None,
        sa_type=BigInteger,
        nullable=True,
        index=index,
        sa_column_kwargs={"info": {"set_by_database": True}},
    )


def _when(*, nullable: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable)


class Project(SQLModel, table=True):
    __tablename__ = "project"

    id: str = Field(primary_key=True)
    short: str = Field(unique=True)
    name: str
    lang: str = "sv"
    description: str = ""
    facilitator: str = ""
    observers: list[str] = Field(default_factory=list, sa_type=JSONList)
    steering_group: list[str] = Field(default_factory=list, sa_type=JSONList)
    # What the participants' minutes show of the observation: all, group or none.
    minutes_observation: str = Field(default="group", sa_column_kwargs={"server_default": "group"})
    source_path: str = ""
    codebook_path: str = ""
    created_at: dt.datetime = _when()
    updated_at: dt.datetime = _when()


class Organisation(SQLModel, table=True):
    __tablename__ = "organisation"
    __table_args__ = (UniqueConstraint("project_id", "short"),)

    id: str = Field(primary_key=True)
    project_id: str = _fk("project.id")
    short: str
    name: str
    kind: str = "other"
    position: int = 0


class Person(SQLModel, table=True):
    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: str = Field(primary_key=True)
    organisation_id: str = _fk("organisation.id")
    name: str


class Code(SQLModel, table=True):
    __tablename__ = "code"
    __table_args__ = (UniqueConstraint("project_id", "slug"),)

    id: str = Field(primary_key=True)
    project_id: str = _fk("project.id")
    slug: str
    label: str
    description: str = ""
    dimension: str
    polarity: str
    hotkey: str = ""
    position: int = 0
    # A code dropped from the codebook file stays for the tags that use it.
    retired: bool = False


class Meeting(SQLModel, table=True):
    __tablename__ = "meeting"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: str = Field(primary_key=True)
    project_id: str = _fk("project.id")
    number: int
    title: str
    date: dt.date | None = None
    start: str | None = None
    place: str = ""
    host_organisation_id: str | None = _fk("organisation.id", nullable=True)
    intro: str = ""
    status: str = "planned"
    source_path: str = ""
    started_at: dt.datetime | None = _when(nullable=True)
    closed_at: dt.datetime | None = _when(nullable=True)
    updated_at: dt.datetime = _when()


class Phase(SQLModel, table=True):
    __tablename__ = "phase"

    id: str = Field(primary_key=True)
    meeting_id: str = _fk("meeting.id")
    position: int
    kind: str
    title: str
    planned_minutes: int | None = None
    prompts: list[str] = Field(default_factory=list, sa_type=JSONList)
    script: str = ""
    # Positions in ``prompts`` the meeting has covered, in the order they were covered.
    covered: list[int] = Field(default_factory=list, sa_type=JSONList)
    started_at: dt.datetime | None = _when(nullable=True)
    ended_at: dt.datetime | None = _when(nullable=True)


class Attendance(SQLModel, table=True):
    """One organisation's, or one person's, presence at a meeting."""

    __tablename__ = "attendance"

    id: str = Field(primary_key=True)
    meeting_id: str = _fk("meeting.id")
    organisation_id: str = _fk("organisation.id")
    person_id: str | None = _fk("person.id", nullable=True)
    present: bool = True
    updated_at: dt.datetime = _when()


class MeetingEvent(SQLModel, table=True):
    """The meeting's clock as a log: start, pause, resume, phase, floor, close, reopen.

    Elapsed times are derived from this log, so a crashed or killed app resumes
    with its clocks right.
    """

    __tablename__ = "meeting_event"
    __table_args__ = (Index("ix_meeting_event_meeting_at", "meeting_id", "at"),)

    id: str = Field(primary_key=True)
    meeting_id: str = _fk("meeting.id", index=False)
    at: dt.datetime = _when()
    kind: str
    phase_id: str | None = _fk("phase.id", nullable=True, index=False)
    organisation_id: str | None = _fk("organisation.id", nullable=True, index=False)
    added_seq: int | None = _seq()  # ties in ``at`` (a start and its first phase)
    change_seq: int | None = _seq(index=True)


class Note(SQLModel, table=True):
    __tablename__ = "note"
    __table_args__ = (
        Index("ix_note_meeting_created", "meeting_id", "created_at"),
        # Covers the note counts per meeting (home screen, `list`).
        Index("ix_note_meeting_deleted", "meeting_id", "deleted"),
        # What changed lately, for a screen following the meeting live.
        Index("ix_note_updated", "updated_at"),
    )

    id: str = Field(primary_key=True)
    meeting_id: str = _fk("meeting.id", index=False)
    phase_id: str | None = _fk("phase.id", nullable=True, index=False)
    organisation_id: str | None = _fk("organisation.id", nullable=True, index=False)
    person_id: str | None = _fk("person.id", nullable=True, index=False)
    author: str = ""
    kind: str = "note"
    text: str
    created_at: dt.datetime = _when()
    offset_seconds: float = 0.0
    owner_organisation_id: str | None = _fk("organisation.id", nullable=True, index=False)
    owner_person_id: str | None = _fk("person.id", nullable=True, index=False)
    due: dt.date | None = None
    done: bool = False
    done_at: dt.datetime | None = _when(nullable=True)
    deleted: bool = False
    revision: int = 1
    updated_at: dt.datetime = _when()
    added_seq: int | None = _seq()  # ties in ``created_at``: the order of writing
    change_seq: int | None = _seq(index=True)  # what changed since


class NoteRevision(SQLModel, table=True):
    """Every state a note has had; edits, deletes and undos add rows, never remove them."""

    __tablename__ = "note_revision"
    __table_args__ = (UniqueConstraint("note_id", "revision"),)

    id: str = Field(primary_key=True)
    note_id: str = _fk("note.id", index=False)
    revision: int
    action: str
    at: dt.datetime = _when()
    author: str = ""
    kind: str
    text: str
    organisation_id: str | None = None
    owner_organisation_id: str | None = None
    owner_person_id: str | None = None
    due: dt.date | None = None
    done: bool = False
    deleted: bool = False


# The note's fields each revision snapshots (what an edit may change and an undo restores).
REVISED_FIELDS = (
    "kind",
    "text",
    "organisation_id",
    "owner_organisation_id",
    "owner_person_id",
    "due",
    "done",
    "deleted",
)


class Tag(SQLModel, table=True):
    """One observer's code on one note; toggling off keeps the row, inactive."""

    __tablename__ = "tag"
    __table_args__ = (
        UniqueConstraint("note_id", "code_id", "observer"),
        Index("ix_tag_code", "code_id"),
        Index("ix_tag_updated", "updated_at"),
    )

    id: str = Field(primary_key=True)
    note_id: str = _fk("note.id", index=False)
    code_id: str = _fk("code.id", index=False)
    observer: str
    active: bool = True
    created_at: dt.datetime = _when()
    updated_at: dt.datetime = _when()
    added_seq: int | None = _seq()
    change_seq: int | None = _seq(index=True)


class Invitation(SQLModel, table=True):
    """One observer invited to follow a meeting in a browser (``samverkan serve``).

    Only a hash of the token is kept: the link itself is shown once, when it
    is made. ``seen_at`` is the server's heartbeat while the observer is
    connected, so another process can tell who is there.
    """

    __tablename__ = "invitation"

    id: str = Field(primary_key=True)
    meeting_id: str = _fk("meeting.id")
    observer: str
    token_hash: str = Field(unique=True)
    created_at: dt.datetime = _when()
    revoked_at: dt.datetime | None = _when(nullable=True)
    used_at: dt.datetime | None = _when(nullable=True)
    seen_at: dt.datetime | None = _when(nullable=True)


class Tombstone(SQLModel, table=True):
    """A row deleted on purpose (a phase dropped from a planned agenda, ``import
    --prune``), so that ``samverkan sync`` does not bring it back from the other side.

    It travels with its project like any other row and merges as a tag does (the
    last change wins): a row created again under the same id makes it inactive.
    No foreign keys: the row it names is gone.
    """

    __tablename__ = "tombstone"

    id: str = Field(primary_key=True)  # the deleted row's id
    kind: str  # the deleted row's table
    project_id: str = Field(index=True)
    meeting_id: str | None = Field(default=None, nullable=True)
    active: bool = True
    updated_at: dt.datetime = _when()


class SyncPeer(SQLModel, table=True):
    """How far this database and another were the same, per project, after the last
    complete sync between them: each side's change sequence then. Stays here."""

    __tablename__ = "sync_peer"

    peer_id: str = Field(primary_key=True)  # the other database's SyncIdentity
    project_id: str = Field(primary_key=True)
    here_seq: int = Field(sa_type=BigInteger)
    peer_seq: int = Field(sa_type=BigInteger)
    synced_at: dt.datetime = _when()


class SyncIdentity(SQLModel, table=True):
    """This database's own id for sync (one row, made at its first sync)."""

    __tablename__ = "sync_identity"

    id: str = Field(primary_key=True)
