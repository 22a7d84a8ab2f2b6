"""The app behind the websocket: the observer screen of one meeting, with no way out."""

from __future__ import annotations

from tests.ui.observe_fixtures import SIZE, Meeting, meeting, settle
from textual.command import CommandPalette

from samverkan.domain.clock import ManualClock
from samverkan.serve.observer_app import BrowserObserverApp
from samverkan.services import Services
from samverkan.ui.observe.screen import ObserveScreen

__all__ = ["meeting"]  # the fixture, imported for pytest


async def test_escape_never_leaves_the_meeting(
    imported: Services, clock: ManualClock, meeting: Meeting
) -> None:
    app = BrowserObserverApp(imported, meeting.id, "Cecilia")
    app.clock = clock
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ObserveScreen) and screen.meeting is not None
        assert screen.observer == "Cecilia"
        # The screen's own stylesheet is loaded (it was not when the screen was the
        # app's plain default screen): the detail pane is six rows high.
        assert screen.query_one("#observe-detail").outer_size.height == 6
        await pilot.press("w", "escape", "t", "escape", "f", "escape")  # input, tally, filter
        await pilot.press(*["escape"] * 6)
        await settle(app, pilot)
        assert app.screen is screen and len(app.screen_stack) == 1
        await pilot.press("ctrl+p")  # no command palette (themes, screenshots, quit)
        await pilot.press("ctrl+q")  # no quit key: closing the tab ends the process
        await settle(app, pilot)
        assert not isinstance(app.screen, CommandPalette)
        assert app.screen is screen and app.is_running


async def test_tags_and_observations_carry_the_invited_name(
    imported: Services, clock: ManualClock, meeting: Meeting
) -> None:
    app = BrowserObserverApp(imported, meeting.id, "Berit Ek")
    app.clock = clock
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2", "4")
        await settle(app, pilot)
        tags = imported.notes.note(meeting.notes[-1].id).tags
        assert [(t.slug, t.observer) for t in tags] == [("korta-beslutsvagar", "Berit Ek")]


async def test_nothing_reaches_files_or_urls(
    imported: Services, clock: ManualClock, meeting: Meeting
) -> None:
    app = BrowserObserverApp(imported, meeting.id, "Cecilia")
    assert app.deliver_text(None) is None and app.deliver_binary(None) is None
    assert app.deliver_screenshot() is None
    app.open_url("http://example.org")  # does nothing
    assert not app.ENABLE_COMMAND_PALETTE and not app.COMMANDS
