"""Resolving a meeting started on two laptops: move this database's run to a new meeting.

Everything of the run moves, nothing is dropped: the clock events, notes (with
their revisions and tags, which hang on the notes), attendance and the phases
with their actual times go to a new meeting with the next free number on
either side; the original meeting then leaves this database, so the next
sync brings the other side's run of it back in its place. The new meeting's
id derives from the original and this run's start, so doing the same on a
copy of this database (an observer who synced with this laptop) gives the
same meeting, not a third one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from samverkan.domain.errors import UserError
from samverkan.domain.model import stable_id
from samverkan.i18n import _
from samverkan.store.sync_rows import Row, fetch, insert_rows, table, update_rows


def split_run(session: Session, meeting_id: str, ref: str, number: int, now: datetime) -> str:
    """Move the run of ``meeting_id`` to a new meeting numbered ``number``; its id."""
    found = fetch(session, "meeting", table("meeting").c.id == meeting_id)
    if not found:
        raise UserError(_("the meeting no longer exists in this database"))
    meeting = found[0]
    events = fetch(session, "meeting_event", table("meeting_event").c.meeting_id == meeting_id)
    starts = sorted((e["at"], e["id"]) for e in events if e["kind"] == "start")
    if not starts:
        raise UserError(
            _("meeting {ref} has not been started here; there is no run to move").format(ref=ref)
        )
    new_id = stable_id("meeting-split", meeting_id, starts[0][1])
    insert_rows(
        session, "meeting", [{**meeting, "id": new_id, "number": number, "updated_at": now}]
    )
    phases = fetch(session, "phase", table("phase").c.meeting_id == meeting_id)
    moved_phase = {p["id"]: stable_id("phase", new_id, str(p["position"])) for p in phases}
    insert_rows(
        session,
        "phase",
        [{**p, "id": moved_phase[p["id"]], "meeting_id": new_id} for p in phases],
    )

    def moved(rows: list[Row]) -> list[Row]:
        return [
            {**r, "meeting_id": new_id, "phase_id": moved_phase.get(r["phase_id"], r["phase_id"])}
            for r in rows
        ]

    update_rows(session, "meeting_event", moved(events), ["meeting_id", "phase_id"])
    notes = fetch(session, "note", table("note").c.meeting_id == meeting_id)
    update_rows(session, "note", moved(notes), ["meeting_id", "phase_id"])
    attendance = fetch(session, "attendance", table("attendance").c.meeting_id == meeting_id)
    insert_rows(
        session,
        "attendance",
        [
            {
                **a,
                "id": stable_id("attendance", new_id, a["organisation_id"], a["person_id"] or ""),
                "meeting_id": new_id,
            }
            for a in attendance
        ],
    )
    for name in ("attendance", "phase", "meeting"):
        tbl = table(name)
        key = tbl.c.id if name == "meeting" else tbl.c.meeting_id
        session.execute(delete(tbl).where(key == meeting_id))
    return new_id
