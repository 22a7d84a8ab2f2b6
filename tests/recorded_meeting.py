"""A small recorded lärprojekt meeting, shared by the export CLI and minutes screen tests."""

from __future__ import annotations

from datetime import date

from samverkan.domain.clock import ManualClock
from samverkan.domain.model import NoteKind
from samverkan.services import NoteDraft, Services

REF = "grupp-1/2"


def record_meeting(services: Services, clock: ManualClock) -> str:
    """Meeting 1 closed with an open and a done action item; meeting 2 recorded and closed.

    Returns meeting 2's id. Meeting 2 has a note full of Markdown syntax, a
    tagged remark of AF's, a group decision, an action item of FAL's and a
    deleted note.
    """
    first = services.projects.meeting(services.projects.resolve_ref("grupp-1/1"))
    orgs = {o.short: o.id for o in first.organisations}
    services.meetings.start(first.id)
    services.notes.add(
        first.id,
        NoteDraft(
            "Skicka statistiken", NoteKind.ACTION, orgs["AF"], owner_organisation_id=orgs["AF"]
        ),
    )
    done = services.notes.add(first.id, NoteDraft("Boka lokal", NoteKind.ACTION, orgs["FAL"]))
    services.notes.set_done(done.id, True)
    services.meetings.close(first.id)

    meeting = services.projects.meeting(services.projects.resolve_ref(REF))
    phases = meeting.phases
    services.meetings.start(meeting.id)
    services.meetings.set_attendance(meeting.id, orgs["FAL"], None, True)
    clock.advance(90)
    services.notes.add(
        meeting.id,
        NoteDraft(
            "# Inte en rubrik\n- inte en lista", organisation_id=orgs["FAL"], phase_id=phases[0].id
        ),
    )
    clock.advance(60)
    services.meetings.go_to_phase(meeting.id, 1)
    tagged = services.notes.add(
        meeting.id,
        NoteDraft("AF:s hemliga synpunkt | <b>", organisation_id=orgs["AF"], phase_id=phases[1].id),
    )
    code = next(c for c in meeting.codes if c.slug == "bristande-tillit")
    services.tags.toggle(tagged.id, code.id, "Cecilia Norberg")
    services.notes.add(
        meeting.id, NoteDraft("Mallen tas fram", NoteKind.DECISION, phase_id=phases[1].id)
    )
    services.notes.add(
        meeting.id,
        NoteDraft(
            "Ta fram mall", NoteKind.ACTION, orgs["FAL"], phase_id=phases[1].id,
            owner_organisation_id=orgs["FAL"], due=date(2018, 6, 1),
        ),
    )  # fmt: skip
    gone = services.notes.add(meeting.id, NoteDraft("raderad anteckning", phase_id=phases[1].id))
    services.notes.delete(gone.id)
    clock.advance(600)
    services.meetings.close(meeting.id)
    return meeting.id
