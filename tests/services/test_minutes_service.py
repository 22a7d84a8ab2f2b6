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


def test_across_two_meetings_done_and_carried_items_and_who_observed(
    imported: Services, clock: ManualClock
) -> None:
    """Meeting 2's minutes: an item of meeting 1 ticked done in between, one carried on
    with a new due date, and the observers who tagged (names differing in case are one)."""
    from datetime import date

    from samverkan.domain.minutes import render_minutes
    from samverkan.i18n import use_language
    from samverkan.services import NoteDraft
    from samverkan.services.importing import code_id, organisation_id

    m1, m2 = (imported.projects.resolve_ref(f"grupp-1/{n}") for n in (1, 2))
    af = organisation_id("grupp-1", "AF")
    imported.meetings.start(m1)
    clock.advance(60)
    done = imported.notes.add(m1, NoteDraft("Boka lokal", NoteKind.ACTION, af,
                                            owner_organisation_id=af))  # fmt: skip
    carried = imported.notes.add(
        m1, NoteDraft("Skicka mallen", NoteKind.ACTION, af, due=date(2018, 4, 1))
    )
    imported.tags.set(done.id, code_id("grupp-1", "gemensamt-synsatt"), "Cecilia", True)
    imported.meetings.close(m1)
    clock.advance(3600 * 24 * 30)
    imported.notes.set_done(done.id, True)  # between the meetings
    imported.notes.reschedule(carried.id, date(2018, 6, 1))
    imported.meetings.start(m2)
    clock.advance(60)
    note = imported.notes.add(m2, NoteDraft("Vi har samma bild", NoteKind.NOTE, af))
    imported.tags.set(note.id, code_id("grupp-1", "gemensamt-synsatt"), "cecilia", True)
    imported.tags.set(note.id, code_id("grupp-1", "personfaktorer"), "Anders", True)
    data = MinutesService(imported.database).load(m2)
    assert data.observers == ("Anders", "Cecilia")  # "cecilia" is Cecilia, as first written
    assert [(e.meeting_number, e.note.text) for e in data.done_since] == [(1, "Boka lokal")]
    assert [(e.note.text, e.first_due) for e in data.earlier_actions] == [
        ("Skicka mallen", date(2018, 4, 1))
    ]
    with use_language("en"):
        text = render_minutes(data)
    assert "| Boka lokal | Arbetsförmedlingen | – | 1 |" in text
    assert (
        "| Skicka mallen | no owner named | 2018-06-01 (carried on; first due 2018-04-01)" in text
    )
    # Meeting 1's own minutes list neither: the item was open when it closed.
    first = MinutesService(imported.database).load(m1)
    assert first.done_since == () and first.observers == ("Cecilia",)
