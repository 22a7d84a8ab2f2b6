"""The body of the memory test, run in an interpreter of its own.

``python -m tests.ui.memory_rounds DB MEETING_ID ROUNDS`` opens and closes the
facilitator's and an observer's screen of that meeting ROUNDS times, headless,
and prints as JSON the resident set after the second round (one of each screen)
and its growth after the last. In a fresh process nothing else (an xdist
worker's earlier tests) is in the figure.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.ui.test_meeting import settle
from textual.widgets import Input

from samverkan.domain.clock import ManualClock
from samverkan.services import open_services
from samverkan.ui.app import make_app
from samverkan.ui.meeting.screen import MeetingScreen
from samverkan.ui.observe.screen import ObserveScreen


def rss_bytes() -> int:
    """The resident set now (not the peak): what the user's machine gives the app."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _settled(screen: object) -> bool:
    return getattr(screen, "meeting", None) is not None


async def rounds(db: Path, meeting_id: str, count: int) -> dict[str, int]:
    Input.cursor_blink = False  # as the UI tests run
    services = open_services(db, clock=ManualClock(datetime(2018, 6, 14, 7, 30, tzinfo=UTC)))
    app = make_app(services, services.clock, poll_seconds=3600)
    after_first = 0
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            for round_ in range(1, count + 1):
                # The facilitator's screen and an observer's, in turn.
                screen = (
                    MeetingScreen(meeting_id) if round_ % 2 else ObserveScreen(meeting_id, "Anders")
                )
                app.push_screen(screen)
                for _ in range(400):
                    await settle(pilot)
                    if _settled(screen):
                        break
                if not _settled(screen):
                    raise RuntimeError(f"round {round_}: the screen never loaded its meeting")
                app.pop_screen()
                await settle(pilot)
                del screen
                if round_ == 2:
                    gc.collect()
                    after_first = rss_bytes()
            gc.collect()
            growth = rss_bytes() - after_first
    finally:
        services.close()
    return {"after_first": after_first, "growth": growth, "rounds": count}


def main(argv: list[str]) -> int:
    db, meeting_id, count = Path(argv[0]), argv[1], int(argv[2])
    print(json.dumps(asyncio.run(rounds(db, meeting_id, count))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
