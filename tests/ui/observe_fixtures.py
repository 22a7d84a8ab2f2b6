"""The meeting the observer tests watch, and helpers to open the observer screen."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from textual.pilot import Pilot

from samverkan.domain.clock import ManualClock
from samverkan.domain.model import MeetingView, NoteView
from samverkan.services import NoteDraft, Services
from samverkan.ui.app import SamverkanApp
from samverkan.ui.observe.screen import ObserveScreen

SIZE = (120, 36)


@dataclass
class Meeting:
    id: str
    view: MeetingView
    notes: list[NoteView]

    def code(self, slug: str) -> str:
        return next(c.id for c in self.view.codes if c.slug == slug)

    def org(self, short: str) -> str:
        return next(o.id for o in self.view.organisations if o.short == short)


@pytest.fixture
def meeting(imported: Services, clock: ManualClock) -> Meeting:
    """grupp-1/1 running in its discussion phase with five remarks by the facilitator."""
    meeting_id = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(meeting_id)
    imported.meetings.go_to_phase(meeting_id, 3)
    view = imported.projects.meeting(meeting_id)
    phase = imported.meetings.clock(meeting_id).phase_id
    orgs = {o.short: o.id for o in view.organisations}
    notes = []
    for short, text in [
        ("SKE", "Vi ringer arbetsgivarna varje vecka"),
        ("AF", "Vi har en koordinator mot kommunen"),
        ("FAL", "Det är svårt att nå de unga"),
        ("UME", "Vi sitter ihop med AF två dagar i veckan"),
        (None, "Alla vill ha kortare beslutsvägar"),
    ]:
        clock.advance(45)
        org = orgs[short] if short else None
        notes.append(
            imported.notes.add(meeting_id, NoteDraft(text, organisation_id=org, phase_id=phase))
        )
    return Meeting(meeting_id, view, notes)


async def settle(app: SamverkanApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def opened(app: SamverkanApp, pilot: Pilot[None], meeting: Meeting) -> ObserveScreen:
    screen = ObserveScreen(meeting.id, "Cecilia")
    app.push_screen(screen)
    await settle(app, pilot)
    assert screen.meeting is not None
    return screen
