"""The facilitator's flows, by keyboard, asserted on the database."""

from __future__ import annotations

from datetime import date

from tests.ui.conftest import meeting_id
from textual.pilot import Pilot
from textual.widgets import Input

from samverkan.domain.clock import ManualClock
from samverkan.domain.model import MeetingStatus, NoteKind
from samverkan.services import Services
from samverkan.ui.app import SamverkanApp
from samverkan.ui.meeting.screen import MeetingScreen
from samverkan.ui.meeting.setup import MeetingSetupScreen


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every queued write has committed and been painted."""
    app = pilot.app
    for _ in range(300):
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        writes = getattr(screen, "writes", None)
        if writes is None or writes.idle():
            await pilot.pause()
            return
    raise AssertionError("writes did not finish")


async def type_note(pilot: Pilot[None], text: str) -> None:
    note_input = pilot.app.screen.query_one("#note-input", Input)
    note_input.focus()
    note_input.value = text
    await pilot.press("enter")
    await settle(pilot)


async def open_running_meeting(pilot: Pilot[None], services: Services, ref: str) -> str:
    mid = meeting_id(services, ref)
    pilot.app.push_screen(MeetingSetupScreen(mid))
    await settle(pilot)
    await pilot.press("space")  # first organisation present
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MeetingScreen)
    return mid


async def test_setup_attendance_and_start(app: SamverkanApp, imported: Services) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        mid = meeting_id(imported, "grupp-1/3")
        app.push_screen(MeetingSetupScreen(mid))
        await settle(pilot)
        await pilot.press("down", "space")  # a person of the first organisation
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one(Input).value = "Ny Person"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
    meeting = imported.projects.meeting(mid)
    assert meeting.summary.status == MeetingStatus.RUNNING
    present = [a for a in meeting.attendance if a.present]
    org = meeting.organisations[0]
    assert any(a.organisation_id == org.id and a.person_id is None for a in present)
    assert any(a.person_id is not None for a in present)
    assert any(p.name == "Ny Person" and p.organisation_id == org.id for p in meeting.people)
    assert meeting.phases[0].started_at is not None


async def test_notes_speaker_kinds_and_actions(
    app: SamverkanApp, imported: Services, clock: ManualClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        clock.advance(65)
        await type_note(pilot, "@SKE Vi har startat ett jobbspår med tre arbetsgivare")
        clock.advance(5)
        await type_note(pilot, "b: Vi provar en gemensam kartläggning")
        clock.advance(5)
        await type_note(pilot, "a: Ta fram en mall @AF senast 2018-10-01")
        clock.advance(5)
        await pilot.press("ctrl+t", "c")
        await type_note(pilot, "Det sitter i väggarna")
        clock.advance(5)
        await pilot.press("ctrl+o", "2")  # the second organisation
        await type_note(pilot, "Vi har inte kommit lika långt")
    notes = imported.notes.notes(mid)
    meeting = imported.projects.meeting(mid)
    orgs = {o.short: o for o in meeting.organisations}
    assert [n.kind for n in notes] == [
        NoteKind.NOTE,
        NoteKind.DECISION,
        NoteKind.ACTION,
        NoteKind.QUOTE,
        NoteKind.NOTE,
    ]
    assert notes[0].text == "Vi har startat ett jobbspår med tre arbetsgivare"
    # Decisions and action items are the whole group's unless they start with @ORG.
    ske = orgs["SKE"].id
    assert [n.organisation_id for n in notes[:4]] == [ske, None, None, ske]
    assert notes[4].organisation_id == meeting.organisations[1].id
    action = notes[2]
    assert action.text == "Ta fram en mall"
    assert action.owner_organisation_id == orgs["AF"].id and action.due == date(2018, 10, 1)
    assert all(n.phase_id == meeting.phases[0].id for n in notes)
    assert notes[0].offset_seconds == 65
    assert all(n.author == meeting.project.facilitator for n in notes)


async def test_phases_pause_and_floor(
    app: SamverkanApp, imported: Services, clock: ManualClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        await pilot.press("f3")  # second organisation has the floor
        await settle(pilot)
        clock.advance(120)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_note(pilot, "En anteckning i fas två")
        clock.advance(30)
        await pilot.press("ctrl+s")  # pause
        await settle(pilot)
        clock.advance(600)
        await pilot.press("ctrl+s")  # resume
        await settle(pilot)
        clock.advance(10)
        await pilot.press("ctrl+r")
        await settle(pilot)
    meeting = imported.projects.meeting(mid)
    state = imported.meetings.clock(mid, clock())
    first, second = meeting.phases[0], meeting.phases[1]
    assert state.phase_id == first.id
    assert state.phase_elapsed(first.id) == 120
    assert state.phase_elapsed(second.id) == 40  # the pause does not count
    assert state.total == 160
    org = meeting.organisations[1]
    # The floor model: a new phase frees the floor and the speaker.
    assert state.floor is None and state.floor_total(org.id) == 120
    assert second.started_at is not None and second.ended_at is not None
    note = imported.notes.notes(mid)[0]
    assert note.phase_id == second.id and note.organisation_id is None


async def test_edit_delete_and_undo(app: SamverkanApp, imported: Services) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        await type_note(pilot, "Första versionen")
        await pilot.press("up", "enter")
        assert app.screen.query_one("#note-input", Input).value == "Första versionen"
        await type_note(pilot, "Andra versionen")
        note = imported.notes.notes(mid)[0]
        assert note.text == "Andra versionen" and note.revision == 2
        await pilot.press("up", "delete")
        await settle(pilot)
        assert imported.notes.notes(mid) == []
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [n.text for n in imported.notes.notes(mid)] == ["Andra versionen"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [n.text for n in imported.notes.notes(mid)] == ["Första versionen"]
    history = imported.notes.history(note.id)
    assert [h.action for h in history] == ["create", "edit", "delete", "undo", "undo"]


async def test_close_makes_read_only_and_reopen(app: SamverkanApp, imported: Services) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        await type_note(pilot, "b: Vi ses i Umeå")
        await pilot.press("ctrl+j")
        await pilot.pause()
        await pilot.press("y", "enter")  # typed on: no letter, nor Enter, closes it
        await settle(pilot)
        assert imported.projects.meeting(mid).summary.status == MeetingStatus.RUNNING
        await pilot.press("ctrl+j")
        await pilot.pause()
        await pilot.press("tab", "enter")  # "Close meeting", chosen on purpose
        await settle(pilot)
        assert imported.projects.meeting(mid).summary.status == MeetingStatus.CLOSED
        assert app.screen.query_one("#note-input", Input).disabled
        await pilot.press("ctrl+j")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert imported.projects.meeting(mid).summary.status == MeetingStatus.RUNNING


async def test_a_failing_disk_keeps_the_note_waiting_and_the_line_free(
    app: SamverkanApp, imported: Services, monkeypatch: object
) -> None:
    """An I/O error is not the end of a note: it waits, visibly, kept in the recovery
    file, and the line is free for the next note; nothing is merged."""
    import pytest
    from textual.widgets import Static

    from samverkan.services.recovery import read_records

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    async with app.run_test(size=(100, 24)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        screen = app.screen
        assert isinstance(screen, MeetingScreen) and screen.writes is not None
        monkeypatch.setattr(screen.writes, "FIRST_DELAY", 0.01)
        monkeypatch.setattr(screen.writes, "MAX_DELAY", 0.05)
        real_add = imported.notes.add
        failing = {"on": True}

        def flaky(*args: object, **kwargs: object) -> object:
            if failing["on"]:
                raise OSError("disk I/O error")
            return real_add(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(imported.notes, "add", flaky)
        note_input = screen.query_one("#note-input", Input)
        for text in ("Det här får inte försvinna", "Inte det här heller"):
            note_input.value = text
            await pilot.press("enter")
            await pilot.pause()
            assert note_input.value == ""  # the line is free, nothing merged into it
        await pilot.press("n", "y")
        for _ in range(100):
            await pilot.pause(0.02)
            if "2 notes waiting" in str(screen.query_one("#write-status", Static).render()):
                break
        assert "2 notes waiting for the database" in str(
            screen.query_one("#write-status", Static).render()
        )
        kept = read_records(app.recovery_file())
        assert [r["note"]["text"] for r in kept] == [
            "Det här får inte försvinna",
            "Inte det här heller",
        ]
        assert note_input.value == "ny"
        failing["on"] = False
        await settle(pilot)
        assert not app.recovery_file().exists()
    texts = [n.text for n in imported.notes.notes(mid)]
    assert texts == ["Det här får inte försvinna", "Inte det här heller"]


async def test_a_busy_database_never_stalls_the_input(
    app: SamverkanApp, imported: Services, db_path: object
) -> None:
    """Another process holds the write lock: Enter returns at once, the note lands later."""
    import sqlite3
    import time
    from pathlib import Path

    assert isinstance(db_path, Path)
    async with app.run_test(size=(80, 24)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        blocker = sqlite3.connect(db_path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            note_input = app.screen.query_one("#note-input", Input)
            note_input.value = "Skrivet medan någon annan skriver"
            started = time.perf_counter()
            await pilot.press("enter")
            assert time.perf_counter() - started < 1.0
            assert note_input.value == ""
            await pilot.press("x", "y")  # still typing
            assert note_input.value == "xy"
            assert imported.notes.notes(mid) == []
        finally:
            blocker.execute("COMMIT")
            blocker.close()
        await settle(pilot)
        assert [n.text for n in imported.notes.notes(mid)] == ["Skrivet medan någon annan skriver"]


async def test_clicking_an_organisation_gives_it_the_floor(
    app: SamverkanApp, imported: Services, clock: ManualClock
) -> None:
    from samverkan.ui.widgets.participation import ParticipationPanel

    async with app.run_test(size=(100, 30)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        panel = app.screen.query_one(ParticipationPanel)
        await pilot.click(ParticipationPanel, offset=(3, 3))  # the third organisation's line
        await settle(pilot)
        clock.advance(30)
    meeting = imported.projects.meeting(mid)
    state = imported.meetings.clock(mid, clock())
    assert panel is not None
    assert state.floor == meeting.organisations[2].id
    assert state.floor_total(meeting.organisations[2].id) == 30


async def test_earlier_action_items_ticked_done_or_carried_on(tmp_path: object) -> None:
    from datetime import UTC, datetime
    from pathlib import Path

    from textual.widgets import OptionList

    from samverkan.services import open_services
    from samverkan.services.demo import build_demo
    from samverkan.ui.app import make_app

    assert isinstance(tmp_path, Path)
    path = tmp_path / "demo.db"
    build_demo(path)
    clock = ManualClock(datetime(2018, 9, 13, 8, 0, tzinfo=UTC))
    services = open_services(path, clock=clock)
    try:
        mid = services.projects.resolve_ref("grupp-1/3")
        meeting = services.projects.meeting(mid)
        before = services.notes.open_actions(meeting.project.id, 3)
        assert len(before) >= 2
        app = make_app(services, clock)
        async with app.run_test(size=(100, 30)) as pilot:
            app.push_screen(MeetingSetupScreen(mid))
            await settle(pilot)
            app.screen.query_one("#actions", OptionList).focus()
            await pilot.press("x")  # the first one is done
            await settle(pilot)
            await pilot.press("down", "c")
            await pilot.pause()
            app.screen.query_one(Input).value = "2018-10-31"
            await pilot.press("enter")
            await settle(pilot)
        after = {n.id: n for n in services.notes.open_actions(meeting.project.id, 3)}
        assert before[0].id not in after
        assert after[before[1].id].due == date(2018, 10, 31)
        assert [h.action for h in services.notes.history(before[0].id)][-1] == "done"
    finally:
        services.close()


async def test_starting_with_nobody_present_asks_first(
    app: SamverkanApp, imported: Services
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        mid = meeting_id(imported, "grupp-1/4")
        app.push_screen(MeetingSetupScreen(mid))
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("n")  # mark attendance first
        await settle(pilot)
        assert imported.projects.meeting(mid).summary.status == MeetingStatus.PLANNED
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
    assert imported.projects.meeting(mid).summary.status == MeetingStatus.RUNNING


async def test_a_note_typed_right_after_next_phase_lands_in_the_new_phase(
    app: SamverkanApp, imported: Services, db_path: object
) -> None:
    """Both wait behind another program's write; the note still gets the new phase."""
    import sqlite3
    from pathlib import Path

    assert isinstance(db_path, Path)
    async with app.run_test(size=(80, 24)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        note_input = app.screen.query_one("#note-input", Input)
        blocker = sqlite3.connect(db_path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("ctrl+n")  # queued: the screen still shows the first phase
            note_input.value = "Skrivet direkt efter fasbytet"
            await pilot.press("enter")
        finally:
            blocker.execute("COMMIT")
            blocker.close()
        await settle(pilot)
        shown = app.screen.query_one("#notes").notes  # type: ignore[attr-defined]
    meeting = imported.projects.meeting(mid)
    [note] = imported.notes.notes(mid)
    assert note.phase_id == meeting.phases[1].id
    assert [n.id for n in shown] == [note.id]  # and it is visible in that phase
