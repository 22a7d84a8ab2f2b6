"""Enter while another of our processes writes (an observer's tag: a few ms): the
note line waits a moment for its turn and commits there and then. Queueing it
instead meant creating and syncing the recovery file and handing the note to the
writer thread, 8–17 ms, on one Enter in 25 with three observers tagging. A write
that takes longer than the moment (an import, a sync) still never stalls the line."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.ui.test_meeting import open_running_meeting, settle
from tests.ui.test_typing_ahead import until
from textual.pilot import Pilot
from textual.widgets import Input

from samverkan.services import Services
from samverkan.store.turns import WriteTurns
from samverkan.ui.app import SamverkanApp
from samverkan.ui.meeting import composer
from samverkan.ui.meeting.screen import MeetingScreen


def _queued(screen: MeetingScreen, monkeypatch: pytest.MonkeyPatch) -> list[Callable[[], Any]]:
    """The jobs that go through the screen's write queue."""
    assert screen.writes is not None
    submitted: list[Callable[[], Any]] = []
    submit = screen.writes.submit

    def spy(run: Callable[[], Any], *args: Any, **kwargs: Any) -> None:
        submitted.append(run)
        submit(run, *args, **kwargs)

    monkeypatch.setattr(screen.writes, "submit", spy)
    return submitted


def _release_later(turn: AbstractContextManager[None], seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, lambda: turn.__exit__(None, None, None))
    timer.start()
    return timer


@dataclass
class _Room:
    pilot: Pilot[None]
    meeting: str
    queued: list[Callable[[], Any]]
    note_input: Input
    observer: WriteTurns


@asynccontextmanager
async def _meeting_beside_an_observer(
    app: SamverkanApp, imported: Services, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[_Room]:
    """grupp-1/3 running, its write queue spied on, and the turns of another
    process of ours (as far as flock can tell) to hold while Enter is pressed."""
    observer = WriteTurns(db_path)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            mid = await open_running_meeting(pilot, imported, "grupp-1/3")
            assert isinstance(app.screen, MeetingScreen)
            queued = _queued(app.screen, monkeypatch)
            note_input = app.screen.query_one("#note-input", Input)
            yield _Room(pilot, mid, queued, note_input, observer)
    finally:
        observer.close()


async def test_enter_waits_a_moment_for_another_writers_turn_instead_of_queueing(
    app: SamverkanApp, imported: Services, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # However late a loaded machine runs the release, the wait outlasts it.
    monkeypatch.setattr(composer, "ENTER_WAIT", 30.0)
    async with _meeting_beside_an_observer(app, imported, db_path, monkeypatch) as room:
        turn = room.observer.turn()
        turn.__enter__()
        timer = _release_later(turn, 0.2)
        room.note_input.value = "Medan en tagg skrivs"
        await room.pilot.press("enter")
        await until(room.pilot, lambda: room.note_input.value == "")
        timer.join()
        # Committed by the key's own handler: nothing queued, nothing kept aside.
        assert [n.text for n in imported.notes.notes(room.meeting)] == ["Medan en tagg skrivs"]
        assert room.queued == []
        assert not app.recovery_file().exists()


async def test_a_turn_held_longer_than_the_moment_queues_the_note_and_the_line_goes_on(
    app: SamverkanApp, imported: Services, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(composer, "ENTER_WAIT", 0.05)
    async with _meeting_beside_an_observer(app, imported, db_path, monkeypatch) as room:
        turn = room.observer.turn()
        turn.__enter__()
        try:
            room.note_input.value = "Under en import"
            await room.pilot.press("enter")
            await until(room.pilot, lambda: len(room.queued) == 1)
            await room.pilot.press("x", "y")  # still typing
            assert room.note_input.value == "xy"
            assert imported.notes.notes(room.meeting) == []
            assert app.recovery_file().exists()  # kept while it waits
        finally:
            turn.__exit__(None, None, None)
        await settle(room.pilot)
        assert [n.text for n in imported.notes.notes(room.meeting)] == ["Under en import"]
