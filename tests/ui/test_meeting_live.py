"""The live room: what other processes write shows on the facilitator's screen."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

import pytest
from tests.cli_runner import as_argument
from tests.ui.test_meeting import open_running_meeting, settle, type_note
from textual.pilot import Pilot
from textual.widgets import Input, Static

from samverkan.domain.clock import ManualClock
from samverkan.domain.model import MeetingStatus, NoteKind
from samverkan.services import NoteDraft, Services, open_services
from samverkan.services.observations import ObservationService
from samverkan.store.location import DatabaseLocation
from samverkan.ui.app import make_app
from samverkan.ui.meeting.screen import MeetingScreen
from samverkan.ui.widgets.note_stream import NoteStream

DEADLINE = 10.0  # generous: the budget is 1 s, the machine may be loaded


async def until(pilot: Pilot[None], condition: object, what: str) -> float:
    """Poll the screen until ``condition()`` holds; the seconds it took."""
    start = time.monotonic()
    while not condition():  # type: ignore[operator]
        if time.monotonic() - start > DEADLINE:
            raise AssertionError(f"not within {DEADLINE} s: {what}")
        await pilot.pause(0.02)
    return time.monotonic() - start


def side_text(screen: MeetingScreen) -> str:
    return str(screen.query_one("#side-extra", Static).render())


# Two facilitators' windows on one file, or two laptops on one team database.
@pytest.mark.parametrize("db_location", ["sqlite", "postgresql"], indirect=True)
async def test_other_connections_tags_observations_edits_and_phase_show_live(
    imported: Services, clock: ManualClock, db_location: DatabaseLocation
) -> None:
    app = make_app(imported, clock, poll_seconds=0.05)
    other = open_services(db_location, clock, author="Cecilia")
    observations = ObservationService(other.database, other.clock)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            mid = await open_running_meeting(pilot, imported, "grupp-1/3")
            screen = app.screen
            assert isinstance(screen, MeetingScreen)
            for text in ("Första", "Andra", "Tredje"):
                await type_note(pilot, text)
            stream = screen.query_one("#notes", NoteStream)
            stream.focus()
            stream.move_to(1)
            await pilot.pause()
            note_input = screen.query_one("#note-input", Input)
            screen.action_to_input()
            note_input.value = "halvskriven"
            note_input.cursor_position = 4
            selected = stream.highlighted_note
            assert selected is not None and selected.text == "Andra"
            meeting = imported.projects.meeting(mid)
            org = meeting.organisations[1]
            code = meeting.codes[0]
            # Another process: a new note, an edit, a tag and an observer's observation.
            other.notes.add(mid, NoteDraft("Från ett annat fönster"))
            first = next(n for n in screen.notes.values() if n.text == "Första")
            other.notes.edit(first.id, text="Första, rättad")
            other.tags.toggle(selected.id, code.id, "Cecilia")
            observations.add_observation(
                mid, NoteDraft("Alla lyssnar", organisation_id=org.id), "Cecilia"
            )
            await until(
                pilot,
                lambda: (
                    any(n.text == "Alla lyssnar" for n in screen.notes.values())
                    and screen.notes[first.id].text == "Första, rättad"
                    and screen.notes[selected.id].tags
                ),
                "the other process's note, edit, tag and observation",
            )
            await pilot.pause()
            # Nothing moved: the selection, the note line and its cursor.
            assert stream.highlighted_note is not None
            assert stream.highlighted_note.id == selected.id
            assert note_input.value == "halvskriven" and note_input.cursor_position == 4
            assert screen.counts.overall(org.id) == 1
            # A phase change and closing made elsewhere reach the screen too.
            other.meetings.go_to_phase(mid, 1)
            await until(
                pilot,
                lambda: screen.state.phase_id == meeting.phases[1].id,
                "the phase another window moved to",
            )
            other.meetings.close(mid)
            await until(
                pilot,
                lambda: (
                    screen.meeting is not None
                    and screen.meeting.summary.status == MeetingStatus.CLOSED
                ),
                "closing from another window",
            )
            await settle(pilot)
            assert note_input.disabled
    finally:
        observations.close()
        other.close()


# Another process: imports first, then on each line of stdin tags or observes.
OBSERVER = """
import sys, time
from samverkan.services import NoteDraft, open_services
from samverkan.services.observations import ObservationService
from samverkan.store.location import parse_location
services = open_services(parse_location(sys.argv[1]), author="Cecilia")
observations = ObservationService(services.database, services.clock)
meeting = services.projects.meeting(sys.argv[2])
print("ready", flush=True)
for line in sys.stdin:
    what, _, arg = line.strip().partition(" ")
    if what == "tag":
        note_id, code_id = arg.split()
        services.tags.toggle(note_id, code_id, "Cecilia")
    else:
        org_id, text = arg.split(" ", 1)
        observations.add_observation(
            sys.argv[2], NoteDraft(text, organisation_id=org_id), "Cecilia"
        )
    print("done", time.time(), flush=True)
observations.close()
services.close()
"""


@pytest.mark.slow
@pytest.mark.parametrize("db_location", ["sqlite", "postgresql"], indirect=True)
async def test_another_process_tags_and_observations_reach_the_tally_and_counts(
    imported: Services, clock: ManualClock, db_location: DatabaseLocation
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", OBSERVER, as_argument(db_location), meeting_id_of(imported)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    stdin, stdout = process.stdin, process.stdout
    try:
        app = make_app(imported, clock)  # the real poll interval
        async with app.run_test(size=(80, 24)) as pilot:
            mid = await open_running_meeting(pilot, imported, "grupp-1/3")
            screen = app.screen
            assert isinstance(screen, MeetingScreen)
            await type_note(pilot, "Vi delar lokaler sedan i våras")
            await type_note(pilot, "Det saknas en gemensam rutin")
            meeting = imported.projects.meeting(mid)
            while screen.meeting is not None and (
                screen.meeting.phase(screen.state.phase_id) is None
                or screen.meeting.phase(screen.state.phase_id).kind != "observation"  # type: ignore[union-attr]
            ):
                await pilot.press("ctrl+n")
                await settle(pilot)
            assert "No tags yet" in side_text(screen) or "Inga" in side_text(screen)
            assert (await asyncio.to_thread(stdout.readline)).strip() == "ready"
            org = meeting.organisations[2]
            notes = [n for n in screen.notes.values() if n.kind == NoteKind.NOTE]
            seen = []
            for note, code in zip(notes, meeting.codes[:2], strict=True):
                stdin.write(f"tag {note.id} {code.id}\n")
                stdin.flush()
                seen.append(code.label)
            stdin.write(f"observe {org.id} Alla fick komma till tals\n")
            stdin.flush()
            for _ in range(3):
                await asyncio.to_thread(stdout.readline)
            took = await until(
                pilot,
                lambda: (
                    all(label in side_text(screen) for label in seen)
                    and screen.counts.overall(org.id) == 1
                ),
                "the other process's tags in the tally and its observation in the counts",
            )
            print(f"other process → facilitator's tally and counts: {took:.3f} s")
    finally:
        stdin.close()
        process.wait(timeout=30)


def meeting_id_of(services: Services) -> str:
    return services.projects.resolve_ref("grupp-1/3")
