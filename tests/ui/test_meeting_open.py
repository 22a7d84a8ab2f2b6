"""Opening a long meeting: the newest notes of the phase first, the rest after, nothing lost."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from tests.ui.test_meeting import settle
from tests.ui.test_meeting_live import until
from textual.pilot import Pilot
from textual.widgets import Input

from samverkan.domain.clock import ManualClock
from samverkan.services import NoteDraft, Services
from samverkan.ui.app import make_app
from samverkan.ui.meeting import screen as meeting_screen
from samverkan.ui.meeting.live import MeetingLive
from samverkan.ui.meeting.screen import MeetingScreen
from samverkan.ui.widgets.note_stream import NoteStream


def hold_the_rest(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, list[Any]]:
    """A meeting screen shows its newest 3 notes first; its read of all the notes waits
    until the returned event is set. Every read is recorded in the returned list."""
    monkeypatch.setattr(meeting_screen, "FIRST_NOTES", 3)
    release = threading.Event()
    looks: list[Any] = []
    original = MeetingLive.live_changes

    def live_changes(self: MeetingLive, cursor: Any, first: int | None = None) -> Any:
        if cursor is None and first is None:
            release.wait(20)
        found = original(self, cursor, first)
        looks.append(found)
        return found

    monkeypatch.setattr(MeetingLive, "live_changes", live_changes)
    return release, looks


async def first_notes_shown(pilot: Pilot[None], meeting_id: str) -> MeetingScreen:
    """The meeting screen pushed, once it shows its first notes."""
    screen = MeetingScreen(meeting_id)
    pilot.app.push_screen(screen)
    await until(pilot, lambda: screen.meeting is not None, "the first notes shown")
    assert pilot.app.screen is screen
    return screen


async def type_while_loading(pilot: Pilot[None], text: str) -> None:
    """A note typed and committed while the rest is held back (``settle`` would wait
    for every worker, the held one too)."""
    screen = pilot.app.screen
    assert isinstance(screen, MeetingScreen)
    note_input = screen.query_one("#note-input", Input)
    note_input.focus()
    note_input.value = text
    await pilot.press("enter")
    writes = screen.writes
    assert writes is not None
    await until(pilot, lambda: any(n.text == text for n in screen.notes.values()), "typed")
    await until(pilot, writes.idle, "the note committed")


async def test_the_phase_shows_first_and_the_rest_follows_with_what_was_typed(
    imported: Services, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    earlier = []
    for n in range(4):
        clock.advance(1)
        earlier.append(imported.notes.add(mid, NoteDraft(f"Tidigare fas {n}")).id)
    imported.meetings.go_to_phase(mid, 1)
    now = []
    for n in range(6):
        clock.advance(1)
        now.append(imported.notes.add(mid, NoteDraft(f"Denna fas {n}")).id)
    # The rest waits until the test has typed a note into the half-loaded screen.
    typed, looks = hold_the_rest(monkeypatch)
    app = make_app(imported, clock, poll_seconds=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await first_notes_shown(pilot, mid)
        stream = screen.query_one("#notes", NoteStream)
        assert [n.id for n in stream.notes] == now[-3:]
        assert screen._live_cursor is None  # no polling before the rest is in
        clock.advance(1)
        await type_while_loading(pilot, "Skrivet medan resten laddas")
        typed.set()
        await until(pilot, lambda: screen._live_cursor is not None, "the rest loaded")
        await settle(pilot)
        texts = [n.text for n in stream.notes]
        assert texts == [f"Denna fas {n}" for n in range(6)] + ["Skrivet medan resten laddas"]
        assert set(earlier) <= set(screen.notes) and len(screen.notes) == 11
        assert screen.query_one("#note-input", Input).has_focus
        # Polling runs from the rest's cursor: another connection's note arrives.
        clock.advance(1)
        later = imported.notes.add(mid, NoteDraft("Från en annan skärm")).id
        began = time.monotonic()
        await until(pilot, lambda: later in screen.notes, "a note written elsewhere")
        assert time.monotonic() - began < 10
    assert [look.complete for look in looks[:2]] == [False, True]


async def test_a_note_deleted_elsewhere_while_the_rest_loads_does_not_come_back(
    imported: Services, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    ids = []
    for n in range(6):
        clock.advance(1)
        ids.append(imported.notes.add(mid, NoteDraft(f"Anteckning {n}")).id)
    deleted, _looks = hold_the_rest(monkeypatch)
    app = make_app(imported, clock, poll_seconds=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await first_notes_shown(pilot, mid)
        assert ids[-1] in screen.notes
        imported.notes.delete(ids[-1])  # on another laptop, between the two reads
        clock.advance(1)
        await type_while_loading(pilot, "Skrivet här under tiden")
        deleted.set()
        await until(pilot, lambda: screen._live_cursor is not None, "the rest loaded")
        await settle(pilot)
        texts = [n.text for n in screen.query_one("#notes", NoteStream).notes]
        assert texts == [f"Anteckning {n}" for n in range(5)] + ["Skrivet här under tiden"]
