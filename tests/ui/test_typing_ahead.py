"""Keys typed ahead of the app reach the note they were typed into, in order (issue 9).

The keys go through Textual's own terminal parser (XTermParser), as a terminal's
bytes do, and are posted to the app as its driver posts them; the app's event
loop is blocked meanwhile, as a busy laptop blocks it. Every note must then be
stored exactly once, exactly as typed: the keys before its Enter and after the
previous one.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

from tests.ui.test_meeting import open_running_meeting, settle
from textual.pilot import Pilot

from samverkan.services import Services
from samverkan.ui.app import SamverkanApp
from samverkan.ui.dialogs.confirm import ConfirmDialog
from samverkan.ui.meeting.note_input import NoteInput
from samverkan.ui.meeting.screen import MeetingScreen
from samverkan.ui.terminal_keys import EscThenLetterParser

UP = "\x1b[A"
ESC = "\x1b"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


class Terminal:
    """Bytes in, key events out to the app: what samverkan's driver does, from a thread."""

    def __init__(self, app: SamverkanApp) -> None:
        self.app = app
        self.loop = asyncio.get_running_loop()
        self.parser = EscThenLetterParser()

    def write(self, data: str) -> None:
        for message in self.parser.feed(data):
            self.loop.call_soon_threadsafe(self.app.post_message, message)

    def pause(self) -> None:
        """A lone Esc is Esc once ESCDELAY has passed without another byte."""
        time.sleep(0.15)
        for message in self.parser.tick():
            self.loop.call_soon_threadsafe(self.app.post_message, message)


def typist(terminal: Terminal, text: str, seconds_per_key: float) -> threading.Thread:
    def run() -> None:
        for character in text:
            terminal.write(character)
            time.sleep(seconds_per_key)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


async def until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


def stored(services: Services, mid: str) -> list[str]:
    return [n.text for n in services.notes.notes(mid)]


async def test_a_typist_ahead_of_a_stalled_app(app: SamverkanApp, imported: Services) -> None:
    """Typing on while the event loop is blocked for 1 s: every note exactly as typed."""
    notes = [f"n{n:02d} möte ok" for n in range(1, 7)]
    async with app.run_test(size=(100, 30)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        terminal = Terminal(app)
        thread = typist(terminal, "".join(f"{note}\r" for note in notes), 0.02)
        time.sleep(0.3)
        time.sleep(1.0)  # the app stalls (a busy laptop): keys pile up
        await until(pilot, lambda: not thread.is_alive())
        thread.join()
        await until(pilot, lambda: len(stored(imported, mid)) >= len(notes))
        await settle(pilot)
        assert stored(imported, mid) == notes
        assert app.screen.query_one("#note-input", NoteInput).value == ""


async def test_a_burst_of_30_notes_in_one_write(app: SamverkanApp, imported: Services) -> None:
    notes = [f"burst {n:02d} åäö, komma; citat ”x”" for n in range(30)]
    async with app.run_test(size=(100, 30)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        terminal = Terminal(app)
        terminal.write("".join(f"{note}\r" for note in notes) + "svans")
        await until(pilot, lambda: len(stored(imported, mid)) >= len(notes))
        await settle(pilot)
        assert stored(imported, mid) == notes
        # What was typed behind the last Enter stays in the line.
        assert app.screen.query_one("#note-input", NoteInput).value == "svans"


async def test_keys_right_after_enter_edit_and_esc(app: SamverkanApp, imported: Services) -> None:
    """In one write: notes, ↑ Enter (edit) with typing straight after, Esc + letter
    (read as Alt+letter), Esc while editing: each key acts where it was typed."""
    async with app.run_test(size=(100, 30)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        terminal = Terminal(app)
        terminal.write(
            "first\r"
            "second\r"
            + UP  # into the notes: "second" is selected
            + "\r"  # edit it; the keys right after are typed into the edit
            + " plus\r"
            + UP  # browsing again
            + ESC
            + "third\r"  # Esc+letters in one read: Esc (back to writing), then "third"
            + UP
            + "dx"  # letters while browsing are typed, never commands (d deletes nothing)
            + "\r"
        )
        await until(pilot, lambda: len(stored(imported, mid)) >= 4)
        await settle(pilot)
        assert stored(imported, mid) == ["first", "second plus", "third", "dx"]
        history = imported.notes.history(imported.notes.notes(mid)[1].id)
        assert [h.action for h in history] == ["create", "edit"]

        terminal.write(UP + "\r" + ESC + "fourth\r")  # edit "dx", then Esc+f: edit cancelled
        await until(pilot, lambda: len(stored(imported, mid)) >= 5)
        await settle(pilot)
        assert stored(imported, mid) == ["first", "second plus", "third", "dx", "fourth"]


async def test_a_pasted_text_is_kept_whole(app: SamverkanApp, imported: Services) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        terminal = Terminal(app)
        terminal.write(PASTE_START + "rad ett\nrad två\r\nrad tre\n" + PASTE_END + "\r")
        await until(pilot, lambda: len(stored(imported, mid)) >= 1)
        await settle(pilot)
        assert stored(imported, mid) == ["rad ett\nrad två\nrad tre"]


async def test_esc_asks_before_leaving_a_running_meeting(
    app: SamverkanApp, imported: Services
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        terminal = Terminal(app)
        terminal.write(ESC)
        terminal.pause()
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        terminal.write("ja")  # typing on: no letter answers the question
        await pilot.pause(0.2)
        assert isinstance(app.screen, ConfirmDialog)
        terminal.write("\r")  # the safe answer has the focus: stay
        await until(pilot, lambda: isinstance(app.screen, MeetingScreen))
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        assert stored(imported, mid) == []


async def test_esc_never_drops_a_typed_line_unasked(app: SamverkanApp, imported: Services) -> None:
    """Esc with words in the line asks, and staying keeps the words."""
    from samverkan.ui.home.screen import HomeScreen

    async with app.run_test(size=(100, 30)) as pilot:
        await open_running_meeting(pilot, imported, "grupp-1/3")
        terminal = Terminal(app)
        terminal.write("halvfärdig")
        await until(
            pilot, lambda: app.screen.query_one("#note-input", NoteInput).value == "halvfärdig"
        )
        terminal.write(ESC)
        terminal.pause()
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("escape")  # no: stay
        await until(pilot, lambda: isinstance(app.screen, MeetingScreen))
        assert app.screen.query_one("#note-input", NoteInput).value == "halvfärdig"
        assert not isinstance(app.screen, HomeScreen)
