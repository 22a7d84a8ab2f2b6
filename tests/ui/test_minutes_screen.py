"""The minutes preview: load, switch organisation and language, save (asking before overwriting)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.recorded_meeting import record_meeting
from textual.pilot import Pilot
from textual.widgets import Input

from samverkan.domain.clock import ManualClock
from samverkan.services import Services
from samverkan.ui.app import SamverkanApp, make_app
from samverkan.ui.minutes.dialogs import ConfirmOverwriteDialog, SaveMinutesDialog
from samverkan.ui.minutes.screen import MinutesScreen

SIZE = (100, 30)
SUGGESTED = "grupp-1-mote-2-minnesanteckningar.md"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder samverkan was started from (the database lives elsewhere)."""
    here = tmp_path / "där jag står"
    here.mkdir()
    monkeypatch.chdir(here)
    return here


@pytest.fixture
def meeting_id(imported: Services, clock: ManualClock) -> str:
    return record_meeting(imported, clock)


@pytest.fixture
def minutes_app(imported: Services, clock: ManualClock, meeting_id: str) -> SamverkanApp:
    return make_app(imported, clock)


async def open_minutes(pilot: Pilot[Any], meeting_id: str) -> MinutesScreen:
    screen = MinutesScreen(meeting_id)
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


def current(app: SamverkanApp) -> object:
    """The screen on top (a function, so mypy does not keep an earlier narrowing)."""
    return app.screen


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_preview_and_save(
    minutes_app: SamverkanApp,
    meeting_id: str,
    folder: Path,
) -> None:
    async with minutes_app.run_test(size=SIZE) as pilot:
        screen = await open_minutes(pilot, meeting_id)
        assert screen.markdown.startswith("# Minnesanteckningar från möte 2")
        assert "hemliga synpunkt" in screen.markdown

        await pilot.press("s")
        await pilot.pause()
        assert isinstance(minutes_app.screen, SaveMinutesDialog)
        assert minutes_app.screen.query_one(Input).value == SUGGESTED
        await pilot.press("enter")
        await settle(pilot)
        saved = folder / SUGGESTED
        assert saved.read_text("utf-8") == screen.markdown
        assert current(minutes_app) is screen

        # Saving again asks first; "n" keeps the file as it is.
        saved.write_text("ändrad för hand", "utf-8")
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(minutes_app.screen, ConfirmOverwriteDialog)
        await pilot.press("n")
        await settle(pilot)
        assert saved.read_text("utf-8") == "ändrad för hand"

        # "y" overwrites.
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert saved.read_text("utf-8") == screen.markdown
        assert [p.name for p in folder.iterdir()] == [SUGGESTED]


async def test_organisation_and_language_switches(
    minutes_app: SamverkanApp, meeting_id: str, folder: Path
) -> None:
    async with minutes_app.run_test(size=SIZE) as pilot:
        screen = await open_minutes(pilot, meeting_id)
        await pilot.press("o")  # all → FAL, the first organisation
        await settle(pilot)
        assert screen.organisation == "FAL"
        assert "Version för:** Falu kommun" in screen.markdown
        assert "hemliga synpunkt" not in screen.markdown

        await pilot.press("l")
        await settle(pilot)
        assert screen.markdown.startswith("# Minutes of meeting 2")
        assert screen.suggested_name() == "grupp-1-meeting-2-minutes-fal.md"

        organisations = len(screen.data.meeting.organisations) if screen.data else 0
        for _ in range(organisations):
            await pilot.press("o")
        await settle(pilot)
        assert screen.organisation is None  # round the cycle, back to the whole group

        await pilot.press("s")
        await pilot.pause()
        dialog = minutes_app.screen
        assert isinstance(dialog, SaveMinutesDialog)
        dialog.query_one(Input).value = "möten/å.md"  # a folder that does not exist
        await pilot.press("enter")
        await settle(pilot)
        assert not (folder / "möten").exists()
        assert any("Cannot save the minutes" in n.message for n in minutes_app._notifications)

        await pilot.press("escape")
        await pilot.pause()
        assert minutes_app.screen is not screen


async def test_escape_in_the_dialog_saves_nothing(
    minutes_app: SamverkanApp, meeting_id: str, folder: Path
) -> None:
    async with minutes_app.run_test(size=SIZE) as pilot:
        screen = await open_minutes(pilot, meeting_id)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert minutes_app.screen is screen and list(folder.iterdir()) == []


def test_snapshot_of_the_preview(
    minutes_app: SamverkanApp, meeting_id: str, snap_compare: Any
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_minutes(pilot, meeting_id)

    assert snap_compare(minutes_app, terminal_size=SIZE, run_before=run_before)


async def test_a_meeting_that_is_gone_is_one_sentence_not_a_crash(
    minutes_app: SamverkanApp, folder: Path
) -> None:
    async with minutes_app.run_test(size=SIZE) as pilot:
        screen = await open_minutes(pilot, "no-such-meeting")
        assert screen.data is None and screen.markdown == ""
        messages = [n.message for n in minutes_app._notifications]
        assert "the meeting no longer exists in this database" in messages
        await pilot.press("s")
        await pilot.pause()
        assert minutes_app.screen is screen  # nothing to save yet
