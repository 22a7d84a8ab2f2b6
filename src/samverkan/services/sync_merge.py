"""The merge rules of sync, as pure functions of rows.

Every rule is a join: commutative, associative and idempotent, so databases
that sync in any order, any number of times, end with the same content.

- Rows that never change once written (clock events, note revisions, people)
  are a union by id.
- Rows that change in place and carry a time of change (project, meeting,
  attendance, tag) keep the version changed last; equal times fall back on a
  total order of the content, so both sides pick the same one.
- A note is the cache of its revisions: the union of both sides' revisions,
  numbered in the order of their times, the newest shown. When one side
  deleted a note the other edited meanwhile, a "keep" revision with an id
  derived from the two restores the edit, the same on every database.
- A phase's actual times follow from the meeting's clock events.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from samverkan.domain.model import stable_id
from samverkan.store.sync_rows import Row, sort_key
from samverkan.store.tables import REVISED_FIELDS

# A note's fields that its revisions snapshot (as NoteService writes them).
TRACKED = REVISED_FIELDS
# Phase fields that come from the agenda file (the rest are the run's times).
AGENDA_FIELDS = ("position", "kind", "title", "planned_minutes", "prompts", "script")


def version(row: Row, stamp: str = "updated_at") -> tuple[Any, str]:
    return (row[stamp], sort_key(row))


def newer(incoming: Row, local: Row, stamp: str = "updated_at") -> bool:
    """Whether ``incoming`` wins over ``local`` (last change wins, content breaks ties)."""
    if incoming[stamp] != local[stamp]:
        return bool(incoming[stamp] > local[stamp])
    return sort_key(incoming) > sort_key(local)


def by_content(incoming: Row, local: Row) -> bool:
    """For rows without a time of change: the same choice on both sides."""
    return sort_key(incoming) > sort_key(local)


# ------------------------------------------------------------------ notes


def revision_order(revision: Row) -> tuple[datetime, int, str]:
    # The number breaks ties in time: one laptop's revisions in one instant
    # (a test's clock, a coarse system clock) keep the order they were made in.
    return (revision["at"], revision["revision"], revision["id"])


@dataclass(frozen=True)
class NoteClash:
    """Both sides changed a note since they last met."""

    note_id: str
    deleted_vs_edited: bool
    keep: Row | None  # the revision that restores the edit, when the delete is newer


def clash(note_id: str, local: Iterable[Row], incoming: Iterable[Row]) -> NoteClash | None:
    """Compare two sides' revisions of one note; None when one side has them all."""
    here = {r["id"]: r for r in local}
    there = {r["id"]: r for r in incoming}
    only_here = [r for key, r in here.items() if key not in there]
    only_there = [r for key, r in there.items() if key not in here]
    if not only_here or not only_there:
        return None
    newest_here = max(only_here, key=revision_order)
    newest_there = max(only_there, key=revision_order)
    if bool(newest_here["deleted"]) == bool(newest_there["deleted"]):
        return NoteClash(note_id, False, None)
    deleted, edited = (
        (newest_here, newest_there) if newest_here["deleted"] else (newest_there, newest_here)
    )
    keep = None
    if revision_order(deleted) > revision_order(edited):
        keep = keep_revision(deleted, edited)
    return NoteClash(note_id, True, keep)


def keep_revision(deleted: Row, edited: Row) -> Row:
    """The revision that brings an edit back over a concurrent delete.

    Its id and content derive from the two revisions alone, so every database
    that meets the pair makes the very same row and it travels as one.
    """
    return {
        **edited,
        "id": stable_id("sync-keep", deleted["id"], edited["id"]),
        "action": "keep",
        "at": max(deleted["at"], edited["at"]) + timedelta(microseconds=1),
        "deleted": False,
        "revision": 0,  # numbered with the others
    }


def numbered(revisions: Iterable[Row]) -> list[Row]:
    """The revisions in order of time (ties by id), numbered 1, 2, 3 ..."""
    ordered = sorted(revisions, key=revision_order)
    return [{**r, "revision": index} for index, r in enumerate(ordered, start=1)]


def note_from(base: Row, revisions: Sequence[Row]) -> Row:
    """The note row its numbered revisions imply: the newest shown.

    ``done_at`` is the time of the oldest revision in the unbroken run of
    "done" ones at the end; ``updated_at`` the time of the newest.
    """
    newest = revisions[-1]
    note = {**base, **{name: newest[name] for name in TRACKED}}
    note["revision"] = newest["revision"]
    note["updated_at"] = max(base["created_at"], newest["at"])
    done_at = None
    if newest["done"]:
        for revision in reversed(revisions):
            if not revision["done"]:
                break
            done_at = revision["at"]
    note["done_at"] = done_at if newest["done"] else None
    return note


# ------------------------------------------------------------------ meetings


def started_elsewhere(local_events: Iterable[Row], incoming_events: Iterable[Row]) -> bool:
    """A meeting started on both sides independently: each has a start the other lacks."""
    here = {e["id"] for e in local_events if e["kind"] == "start"}
    there = {e["id"] for e in incoming_events if e["kind"] == "start"}
    return bool(here - there) and bool(there - here)


_EVENT_ORDER = {
    "start": 0,
    "resume": 1,
    "phase": 2,
    "floor": 3,
    "pause": 4,
    "close": 5,
    "reopen": 6,
}


def phase_times(
    events: Iterable[Row], phase_ids: Iterable[str]
) -> dict[str, tuple[datetime | None, datetime | None]]:
    """Each phase's actual start and end, replayed from the clock's events as
    :class:`MeetingService` sets them: entering starts a phase (the first time)
    and clears its end, leaving it or closing the meeting ends it."""
    times: dict[str, list[datetime | None]] = {pid: [None, None] for pid in phase_ids}
    current: str | None = None
    for event in sorted(events, key=lambda e: (e["at"], _EVENT_ORDER.get(e["kind"], 9), e["id"])):
        if event["kind"] == "phase" and event["phase_id"] is not None:
            if current is not None and current in times:
                times[current][1] = event["at"]
            entered = times.setdefault(event["phase_id"], [None, None])
            entered[0] = entered[0] or event["at"]
            entered[1] = None
            current = event["phase_id"]
        elif event["kind"] == "close" and current is not None and current in times:
            times[current][1] = event["at"]
    return {pid: (start, end) for pid, (start, end) in times.items()}


def has_phase_events(events: Iterable[Row]) -> bool:
    return any(e["kind"] == "phase" for e in events)
