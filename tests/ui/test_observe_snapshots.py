"""The look of the observer screen and its tally, on the demo's recorded meeting."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.ui.test_meeting_live import until
from textual.pilot import Pilot

from samverkan.domain.clock import ManualClock
from samverkan.services import open_services
from samverkan.services.demo import build_demo
from samverkan.ui.app import SamverkanApp, make_app
from samverkan.ui.observe.screen import ObserveScreen

SIZES = [(120, 36), (80, 24)]


@pytest.fixture
def observed_demo(tmp_path: Path) -> Iterator[tuple[SamverkanApp, str]]:
    path = tmp_path / "demo.db"
    build_demo(path)
    clock = ManualClock(datetime(2018, 9, 13, 9, 0, tzinfo=UTC))
    services = open_services(path, clock=clock)
    yield make_app(services, clock), services.projects.resolve_ref("grupp-1/2")
    services.close()


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _open(meeting_id: str, *keys: str):  # type: ignore[no-untyped-def]
    async def before(pilot: Pilot[None]) -> None:
        await _settle(pilot)
        screen = ObserveScreen(meeting_id, "Cecilia Norberg")
        pilot.app.push_screen(screen)  # its reading starts at mount: wait for the meeting
        await until(pilot, lambda: screen.is_current and screen.meeting is not None, "loaded")
        await _settle(pilot)
        await pilot.press(*keys)
        await _settle(pilot)

    return before


@pytest.mark.parametrize("size", SIZES)
def test_observer_screen(snap_compare, observed_demo, size) -> None:  # type: ignore[no-untyped-def]
    app, meeting_id = observed_demo
    assert snap_compare(app, terminal_size=size, run_before=_open(meeting_id, "up", "up", "up"))


@pytest.mark.parametrize("size", SIZES)
def test_observer_tally(snap_compare, observed_demo, size) -> None:  # type: ignore[no-untyped-def]
    app, meeting_id = observed_demo
    assert snap_compare(app, terminal_size=size, run_before=_open(meeting_id, "t"))


def test_observer_pending_code_key(snap_compare, observed_demo) -> None:  # type: ignore[no-untyped-def]
    app, meeting_id = observed_demo
    assert snap_compare(app, terminal_size=(120, 36), run_before=_open(meeting_id, "2"))


def test_observer_help(snap_compare, observed_demo) -> None:  # type: ignore[no-untyped-def]
    app, meeting_id = observed_demo
    assert snap_compare(app, terminal_size=(120, 36), run_before=_open(meeting_id, "f1"))
