"""kill -9 in the middle of a meeting loses nothing that was entered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from tests.conftest import GRUPP_1

from samverkan.domain.model import MeetingStatus
from samverkan.services import open_services

SCRIPT = textwrap.dedent(
    """
    import asyncio, sys, time
    from pathlib import Path
    from textual.widgets import Input
    from samverkan.services import open_services
    from samverkan.ui.app import make_app
    from samverkan.ui.meeting.screen import MeetingScreen

    async def main() -> None:
        services = open_services(Path(sys.argv[1]))
        mid = services.projects.resolve_ref("grupp-1/2")
        services.meetings.start(mid)
        app = make_app(services)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = MeetingScreen(mid)
            app.push_screen(screen)
            # Wait for the load, however busy the machine: ctrl+n before it does nothing.
            while screen.meeting is None:
                await pilot.pause(0.05)
            await pilot.press("ctrl+n")
            phase = services.projects.meeting(mid).phases[1].id
            while services.meetings.clock(mid).phase_id != phase:
                await pilot.pause(0.05)
            for i in range(20):
                app.screen.query_one("#note-input", Input).value = f"Anteckning {i}"
                await pilot.press("enter")
            while not app.screen.writes.idle():
                await pilot.pause(0.01)
            print("READY", flush=True)
            time.sleep(60)  # blocks the event loop: the process dies here

    asyncio.run(main())
    """
)


@pytest.mark.slow
def test_kill_dash_nine_after_notes_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    services = open_services(db)
    services.importer.import_paths([GRUPP_1])
    services.close()
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = ""
        for line in process.stdout:
            if "READY" in line:
                break
        assert "READY" in line
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    services = open_services(db)
    try:
        mid = services.projects.resolve_ref("grupp-1/2")
        notes = services.notes.notes(mid)
        assert sorted(n.text for n in notes) == sorted(f"Anteckning {i}" for i in range(20))
        meeting = services.projects.meeting(mid)
        assert meeting.summary.status == MeetingStatus.RUNNING
        state = services.meetings.clock(mid)
        assert state.running and state.phase_id == meeting.phases[1].id
        assert all(n.phase_id == meeting.phases[1].id for n in notes)
    finally:
        services.close()
