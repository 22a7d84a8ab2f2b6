"""The room's ctrl keys keep their order with the letters (issue 10 on issue 9's key path).

Bytes go through the real terminal parser while the app's event loop is blocked,
as in test_typing_ahead.py: the keys that act on the selected note while browsing
(ctrl+t, ctrl+x), the room's keys (ctrl+y, ctrl+l, ctrl+n) and the notes typed
around them must each act where they were typed. A key remapped in the settings
acts under its new key, there too.
"""

from __future__ import annotations

import time

from tests.ui.test_meeting import open_running_meeting, settle
from tests.ui.test_typing_ahead import UP, Terminal, stored, until
from textual.widgets import DataTable

from samverkan.config import Settings, save_settings
from samverkan.domain.clock import ManualClock
from samverkan.domain.model import NoteKind
from samverkan.services import Services
from samverkan.ui.app import SamverkanApp, make_app
from samverkan.ui.meeting.note_input import NoteInput
from samverkan.ui.meeting.screen import MeetingScreen

CTRL_T, CTRL_X, CTRL_Y, CTRL_L, CTRL_D, CTRL_O = "\x14", "\x18", "\x19", "\x0c", "\x04", "\x0f"


def kinds(services: Services, mid: str) -> list[tuple[str, NoteKind, bool]]:
    return [(n.text, n.kind, n.done) for n in services.notes.notes(mid)]


async def test_browse_keys_in_a_burst_with_the_loop_blocked(
    app: SamverkanApp, imported: Services
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        terminal = Terminal(app)
        # An action item, ticked from browsing, then a note typed straight on; ctrl+l
        # between notes changes the view and types nothing.
        terminal.write("a: boka lokal\r" + UP + CTRL_X + "efter\r" + CTRL_L + "sist\r")
        time.sleep(1.0)  # the app stalls: every key above waits in the queue
        await until(pilot, lambda: len(stored(imported, mid)) >= 3)
        await settle(pilot)
        assert kinds(imported, mid) == [
            ("boka lokal", NoteKind.ACTION, True),
            ("efter", NoteKind.NOTE, False),
            ("sist", NoteKind.NOTE, False),
        ]
        screen = app.screen
        assert isinstance(screen, MeetingScreen) and screen.all_phases
        assert screen.query_one("#note-input", NoteInput).value == ""


async def test_one_key_questions_in_a_burst_lose_nothing(
    app: SamverkanApp, imported: Services
) -> None:
    """ctrl+t (kind), ctrl+o (speaker) and their one-key answers, typed on at once while the
    app stalls: the answers are read in the note line, the letters after them are typed."""
    async with app.run_test(size=(100, 30)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        second = imported.projects.meeting(mid).organisations[1]
        terminal = Terminal(app)
        terminal.write(
            "Obs: gratis\r"
            + UP
            + CTRL_T
            + "b"  # browsing: the selected note becomes a decision
            + "nästa\r"  # a letter: writing again
            + CTRL_T
            + "f"  # the next note is a question
            + "varför?\r"
            + CTRL_O
            + "2"  # the second organisation speaks
            + "vi svarar\r"
            + CTRL_T
            + "Vi glömde svara\r"  # no kind has the key V: the question goes, V is typed
        )
        time.sleep(1.0)
        await until(pilot, lambda: len(stored(imported, mid)) >= 4)
        await settle(pilot)
        await until(pilot, lambda: kinds(imported, mid)[0][1] == NoteKind.DECISION)
        assert kinds(imported, mid) == [
            ("Obs: gratis", NoteKind.DECISION, False),
            ("nästa", NoteKind.NOTE, False),
            ("varför?", NoteKind.QUESTION, False),
            ("vi svarar", NoteKind.NOTE, False),
            ("Vi glömde svara", NoteKind.NOTE, False),
        ]
        assert imported.notes.notes(mid)[3].organisation_id == second.id
        assert isinstance(app.screen, MeetingScreen)


async def test_covered_question_key_between_notes(app: SamverkanApp, imported: Services) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        meeting = imported.projects.meeting(mid)
        discussion = next(p for p in meeting.phases if len(p.prompts) >= 2)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        while screen.state.phase_id != discussion.id:
            await pilot.press("ctrl+n")
            await settle(pilot)
        terminal = Terminal(app)
        terminal.write("fråga ett klar\r" + CTRL_Y + "fråga två\r" + CTRL_Y + "slut\r")
        time.sleep(1.0)
        await until(pilot, lambda: len(stored(imported, mid)) >= 3)
        await settle(pilot)

        def covered() -> tuple[int, ...]:
            phase = imported.projects.meeting(mid).phase(discussion.id)
            assert phase is not None
            return phase.covered

        await until(pilot, lambda: covered() == (0, 1))
        assert stored(imported, mid) == ["fråga ett klar", "fråga två", "slut"]


async def test_a_browse_key_remapped_in_the_settings(
    imported: Services, clock: ManualClock
) -> None:
    save_settings(Settings(keys={"delete-note": "ctrl+d", "close": "f9"}))
    app = make_app(imported, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        terminal = Terminal(app)
        terminal.write("behåll\rta bort\r" + UP + CTRL_D)
        await until(pilot, lambda: len(stored(imported, mid)) == 1)
        await settle(pilot)
        assert stored(imported, mid) == ["behåll"]
        await pilot.press("f1")
        await until(pilot, lambda: bool(app.screen.query("#help-keys")))
        table = app.screen.query_one("#help-keys", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert any(row[0] == "^d" and row[1] == "Delete note" for row in rows)
        assert any(row[0] == "f9" and row[1] == "Close meeting" for row in rows)
        assert any(row[0] == "^t" and row[1] == "Change kind" for row in rows)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MeetingScreen))
        # The help text names the keys as remapped too.
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert "`ctrl+d` deletes it" in screen.help_text()


async def test_a_phase_change_lands_between_the_notes_typed_around_it(
    app: SamverkanApp, imported: Services
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        phases = imported.projects.meeting(mid).phases
        terminal = Terminal(app)
        terminal.write("i första\r" + "\x0e" + "i andra\r")  # ctrl+n between two notes
        time.sleep(1.0)
        await until(pilot, lambda: len(stored(imported, mid)) >= 2)
        await settle(pilot)
        notes = imported.notes.notes(mid)
        assert [n.phase_id for n in notes] == [phases[0].id, phases[1].id]
