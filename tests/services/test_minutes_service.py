"""MinutesService.load: everything the minutes show, from one read transaction."""

from __future__ import annotations

import pytest
from tests.recorded_meeting import record_meeting

from samverkan.domain.clock import ManualClock
from samverkan.domain.errors import UserError
from samverkan.domain.model import NoteKind
from samverkan.services import Services
from samverkan.services.minutes import MinutesService


def test_load_gives_what_the_other_services_give(imported: Services, clock: ManualClock) -> None:
    meeting_id = record_meeting(imported, clock)
    data = MinutesService(imported.database).load(meeting_id)
    assert data.meeting == imported.projects.meeting(meeting_id)
    # The same notes (deleted ones left out); NoteService breaks ties of equal
    # times by random id, the minutes by the order of writing.
    by_id = {n.id: n for n in imported.notes.notes(meeting_id)}
    assert {n.id: n for n in data.notes} == by_id
    assert [n.text for n in data.notes][1:4] == [
        "AF:s hemliga synpunkt | <b>",  # these three share one instant
        "Mallen tas fram",
        "Ta fram mall",
    ]
    assert "raderad anteckning" not in {n.text for n in data.notes}
    assert any(n.tags for n in data.notes)
    assert list(data.events) == imported.meetings.events(meeting_id)


def test_load_carries_open_actions_and_finds_the_next_meeting(
    imported: Services, clock: ManualClock
) -> None:
    meeting_id = record_meeting(imported, clock)
    data = MinutesService(imported.database).load(meeting_id)
    project_id = data.meeting.project.id
    open_before = imported.notes.open_actions(project_id, data.meeting.summary.number)
    assert [e.note for e in data.earlier_actions] == open_before
    assert [(e.meeting_number, e.note.text) for e in data.earlier_actions] == [
        (1, "Skicka statistiken")
    ]
    assert all(e.note.kind is NoteKind.ACTION for e in data.earlier_actions)
    assert data.next_meeting is not None and data.next_meeting.number == 3
    assert data.next_meeting.host_name == "Strömsunds kommun"


def test_the_last_meeting_has_no_next(imported: Services) -> None:
    last = imported.projects.resolve_ref("grupp-1/5")
    assert MinutesService(imported.database).load(last).next_meeting is None


def test_an_unknown_meeting_is_a_user_error(imported: Services) -> None:
    with pytest.raises(UserError):
        MinutesService(imported.database).load("no-such-meeting")
