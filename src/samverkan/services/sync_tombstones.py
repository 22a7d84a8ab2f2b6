"""Deletions travel: a row deleted on one side stays deleted on the other.

Tombstones (see :mod:`samverkan.store.sync_tombstones`) merge like tags, the
last change winning. A row named by an active tombstone is then removed on
both sides, unless it is in use on either (a note or clock event in the
phase or meeting, a tag with the code, a note, attendance or meeting naming
the organisation or person): then the other side's work wins, as an edit
wins over a delete of a note. The row is kept on both, and its tombstone
revived as inactive with a time derived from the tombstone alone, so every
database that meets it makes the same row and reports it once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from samverkan.services import sync_merge as rules
from samverkan.store.sync_rows import Row, chunks, table

# Where each kind of row is used: (table, column) pairs that name it.
USED_BY: dict[str, tuple[tuple[str, str], ...]] = {
    "meeting": (("note", "meeting_id"), ("meeting_event", "meeting_id")),
    "phase": (("note", "phase_id"), ("meeting_event", "phase_id")),
    "attendance": (),
    "organisation": (
        ("note", "organisation_id"),
        ("note", "owner_organisation_id"),
        ("attendance", "organisation_id"),
        ("meeting", "host_organisation_id"),
        ("meeting_event", "organisation_id"),
        ("person", "organisation_id"),
    ),
    "person": (("note", "person_id"), ("note", "owner_person_id"), ("attendance", "person_id")),
    "code": (("tag", "code_id"),),
}
# Children removed with a meeting (it has no notes or clock events when removed).
_MEETING_CHILDREN = ("attendance", "phase", "meeting_event")


def merged(a: Iterable[Row], b: Iterable[Row]) -> dict[str, Row]:
    """Both sides' tombstones, the newer of each pair."""
    found: dict[str, Row] = {}
    for row in [*a, *b]:
        mine = found.get(row["id"])
        if mine is None or rules.newer(row, mine):
            found[row["id"]] = row
    return found


def standing(session: Session, tombstones: Sequence[Row]) -> tuple[set[str], set[str]]:
    """Of the active tombstones' rows: those that exist here, and those in use here."""
    by_kind: dict[str, set[str]] = {}
    for row in tombstones:
        if row["active"] and row["kind"] in USED_BY:
            by_kind.setdefault(row["kind"], set()).add(row["id"])
    buried = set().union(*by_kind.values()) if by_kind else set()
    exist: set[str] = set()
    used: set[str] = set()
    # People first: an organisation is in use through a person who stays.
    for kind in sorted(by_kind, key=lambda k: k != "person"):
        ids = by_kind[kind]
        here = _existing(session, kind, "id", "id", ids)
        exist |= here
        for name, column in USED_BY[kind]:
            if name == "person" and kind == "organisation":
                # People that are going too do not hold their organisation.
                people = _rows_naming(session, "person", "organisation_id", here)
                used |= {org for p, org in people.items() if p not in buried or p in used}
                continue
            used |= _existing(session, name, column, column, here)
        if kind == "phase":
            phase = table("phase")
            for chunk in chunks(sorted(here)):
                query = select(phase.c.id).where(
                    phase.c.id.in_(chunk), phase.c.started_at.is_not(None)
                )
                used.update(session.connection().execute(query).scalars().all())
    return exist, used & exist


def _existing(session: Session, name: str, column: str, out: str, ids: set[str]) -> set[str]:
    """Values of ``out`` in rows of ``name`` whose ``column`` is one of ``ids``."""
    tbl = table(name)
    found: set[str] = set()
    for chunk in chunks(sorted(ids)):
        query = select(tbl.c[out]).where(tbl.c[column].in_(chunk)).distinct()
        found.update(v for v in session.connection().execute(query).scalars().all() if v)
    return found


def _rows_naming(session: Session, name: str, column: str, ids: set[str]) -> dict[str, str]:
    """id -> ``column`` of the rows of ``name`` that name one of ``ids``."""
    tbl = table(name)
    found: dict[str, str] = {}
    for chunk in chunks(sorted(ids)):
        query = select(tbl.c.id, tbl.c[column]).where(tbl.c[column].in_(chunk))
        found.update((row_id, value) for row_id, value in session.connection().execute(query).all())
    return found


def revived(tombstone: Row) -> Row:
    """The tombstone of a row kept because it is in use: inactive, one microsecond on."""
    return {
        **tombstone,
        "active": False,
        "updated_at": tombstone["updated_at"] + timedelta(microseconds=1),
    }


def bury(session: Session, tombstones: Iterable[Row], ids: set[str]) -> int:
    """Remove the rows of ``ids`` (named by active tombstones) that are not in use here."""
    wanted = [t for t in tombstones if t["id"] in ids and t["active"]]
    exist, used = standing(session, wanted)
    doomed = exist - used
    if not doomed:
        return 0
    kinds = {t["id"]: t["kind"] for t in wanted}
    # Children first: people before organisations, a meeting's rows before it.
    for kind in ("attendance", "phase", "person", "code", "meeting", "organisation"):
        mine = sorted(i for i in doomed if kinds[i] == kind)
        for chunk in chunks(mine):
            if kind == "meeting":
                for child in _MEETING_CHILDREN:
                    tbl = table(child)
                    session.execute(delete(tbl).where(tbl.c.meeting_id.in_(chunk)))
            if kind == "organisation":
                person = table("person")
                session.execute(delete(person).where(person.c.organisation_id.in_(chunk)))
            tbl = table(kind)
            session.execute(delete(tbl).where(tbl.c.id.in_(chunk)))
    return len(doomed)
