"""The look of the main screens at a fixed size, clock and without cursor blink."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.ui.test_meeting_live import until

from samverkan.domain.clock import ManualClock
from samverkan.services import open_services
from samverkan.services.demo import build_demo
from samverkan.ui.app import make_app
from samverkan.ui.meeting.screen import MeetingScreen
from samverkan.ui.meeting.setup import MeetingSetupScreen


@pytest.fixture
def demo_app(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "demo.db"
    build_demo(path)
    clock = ManualClock(datetime(2018, 9, 13, 9, 0, tzinfo=UTC))
    services = open_services(path, clock=clock)
    yield make_app(services, clock), services, clock
    services.close()


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _show(pilot, screen) -> None:  # type: ignore[no-untyped-def]
    """Push a meeting's screen and wait until its meeting is loaded: its reading
    starts at mount, which a loaded machine may not have reached when the workers
    are first waited for."""
    pilot.app.push_screen(screen)
    await until(pilot, lambda: screen.is_current and screen.meeting is not None, "loaded")
    await _settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_home(snap_compare, demo_app, size) -> None:  # type: ignore[no-untyped-def]
    app, _services, _clock = demo_app
    assert snap_compare(app, terminal_size=size, run_before=_settle)


def test_meeting_setup(snap_compare, demo_app) -> None:  # type: ignore[no-untyped-def]
    app, services, _clock = demo_app
    mid = services.projects.resolve_ref("grupp-1/3")

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        await _show(pilot, MeetingSetupScreen(mid))

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_meeting_running_with_notes(snap_compare, demo_app, size) -> None:  # type: ignore[no-untyped-def]
    app, services, _clock = demo_app
    mid = services.projects.resolve_ref("grupp-1/2")
    # Reopen the recorded meeting at a fixed instant inside its discussion phase.
    services.meetings.reopen(mid)
    services.meetings.start(mid)

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        await _show(pilot, MeetingScreen(mid))
        await pilot.press("ctrl+l")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=before)


def test_help(snap_compare, demo_app) -> None:  # type: ignore[no-untyped-def]
    app, services, _clock = demo_app
    mid = services.projects.resolve_ref("grupp-1/2")
    # The help of a running meeting, where the facilitator reads it: the note line's
    # keys. (Closed, the list has the focus; tests/ui/test_meeting_room.py.)
    services.meetings.reopen(mid)
    services.meetings.start(mid)

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        await _show(pilot, MeetingScreen(mid))
        await pilot.press("f1")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)
