"""The team database goes away mid-meeting (server down, network gone): the facilitator
goes on typing, the screen says in one sentence that the notes wait, and when the
server is back every note is written once, in order (issue 15)."""

from __future__ import annotations

import pytest
from tests import engines
from tests.ui.test_meeting import open_running_meeting
from tests.ui.test_typing_ahead import Terminal, stored, until
from textual.widgets import Static

from samverkan.domain.clock import ManualClock
from samverkan.services import Services
from samverkan.store.location import DatabaseLocation, ServerURL
from samverkan.ui.app import SamverkanApp, make_app

NOTES = ["under avbrottet ett", "under avbrottet två", "under avbrottet tre"]


def _status(app: SamverkanApp) -> str:
    return str(app.screen.query_one("#write-status", Static).render())


@pytest.mark.parametrize("db_location", ["postgresql"], indirect=True)
async def test_notes_wait_while_the_server_is_gone_and_are_written_once_when_it_is_back(
    imported: Services, clock: ManualClock, db_location: DatabaseLocation
) -> None:
    assert isinstance(db_location, ServerURL)
    app = make_app(imported, clock)
    try:
        async with app.run_test(size=(110, 30)) as pilot:
            mid = await open_running_meeting(pilot, imported, "grupp-1/3")
            terminal = Terminal(app)
            terminal.write("före\r")
            await until(pilot, lambda: stored(imported, mid) == ["före"])
            engines.refuse_connections(db_location.url, True)
            terminal.write("".join(f"{note}\r" for note in NOTES))  # a burst of keys
            await until(pilot, lambda: "cannot be reached" in _status(app))
            assert "waits here" in _status(app)
            engines.refuse_connections(db_location.url, False)
            await until(pilot, lambda: len(stored(imported, mid)) == 1 + len(NOTES))
            assert stored(imported, mid) == ["före", *NOTES]
            await until(pilot, lambda: "cannot be reached" not in _status(app))
    finally:
        engines.refuse_connections(db_location.url, False)
