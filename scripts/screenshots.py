"""Make the SVG screenshots in screens/ from the demo database.

    .venv/bin/python scripts/screenshots.py

Each entry of SHOTS opens one screen on a fresh demo database at a fixed
clock and size; later screens add an entry here.
"""

from __future__ import annotations

import asyncio
import importlib
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from samverkan.domain.clock import ManualClock
from samverkan.services import Services, open_services
from samverkan.services.demo import build_demo
from samverkan.ui.app import make_app

OUT = Path(__file__).resolve().parent.parent / "screens"
Setup = Callable[[Pilot[None], Services], Awaitable[None]]


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.2)


async def home(pilot: Pilot[None], services: Services) -> None:
    await settle(pilot)


async def setup(pilot: Pilot[None], services: Services) -> None:
    from samverkan.ui.meeting.setup import MeetingSetupScreen

    pilot.app.push_screen(MeetingSetupScreen(services.projects.resolve_ref("grupp-1/3")))
    await settle(pilot)
    await pilot.press("space", "down", "space")


async def meeting(pilot: Pilot[None], services: Services) -> None:
    from samverkan.ui.meeting.screen import MeetingScreen

    mid = services.projects.resolve_ref("grupp-1/2")
    # Reopened after the recorded meeting and taken back to its discussion.
    services.meetings.reopen(mid)
    services.meetings.start(mid)
    services.meetings.go_to_phase(mid, -2)
    pilot.app.push_screen(MeetingScreen(mid))
    await settle(pilot)
    pilot.app.screen.query_one(
        "#note-input", Input
    ).value = "a: Skicka kartläggningsmallen @SOD senast fredag"
    await settle(pilot)


async def help_screen(pilot: Pilot[None], services: Services) -> None:
    await meeting(pilot, services)
    await pilot.press("f1")
    await settle(pilot)


async def optional(module: str, screen: str, *args: str) -> Setup:
    async def run(pilot: Pilot[None], services: Services) -> None:
        cls = getattr(importlib.import_module(module), screen)
        mid = services.projects.resolve_ref("grupp-1/2")
        pid = services.projects.project_id("grupp-1")
        values = {"meeting": mid, "project": pid, "observer": "Cecilia Norberg"}
        pilot.app.push_screen(cls(*(values[a] for a in args)))
        await settle(pilot)
        # Markdown and tables finish rendering after their worker: wait for them.
        for _ in range(100):
            if not pilot.app.screen.query("LoadingIndicator"):
                break
            await pilot.pause(0.05)
        await pilot.pause(0.5)

    return run


SHOTS: list[tuple[str, Setup | tuple[str, str, tuple[str, ...]]]] = [
    ("home", home),
    ("meeting-setup", setup),
    ("meeting-running", meeting),
    ("help", help_screen),
    ("observer", ("samverkan.ui.observe.screen", "ObserveScreen", ("meeting", "observer"))),
    ("minutes", ("samverkan.ui.minutes.screen", "MinutesScreen", ("meeting",))),
    ("analysis", ("samverkan.ui.analysis.screen", "AnalysisScreen", ("project",))),
]


async def shoot(name: str, setup_screen: Setup, size: tuple[int, int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.db"
        build_demo(path)
        # After the demo's second meeting (it ended 13:02 in Söderhamn).
        clock = ManualClock(datetime(2018, 5, 17, 11, 30, tzinfo=UTC))
        services = open_services(path, clock=clock)
        try:
            app = make_app(services, clock)
            async with app.run_test(size=size) as pilot:
                await settle(pilot)
                await setup_screen(pilot, services)
                app.save_screenshot(f"{name}.svg", str(OUT))
        finally:
            services.close()
    print(OUT / f"{name}.svg")


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    Input.cursor_blink = False
    for name, entry in SHOTS:
        if isinstance(entry, tuple):
            module, screen, args = entry
            try:
                importlib.import_module(module)
            except ImportError:
                continue
            entry = await optional(module, screen, *args)
        await shoot(name, entry, (100, 30))


if __name__ == "__main__":
    asyncio.run(main())
