"""A meeting goes on while the database file is deleted, replaced or moved, or locked
by another program for long: every note is either in the database or kept in the
recovery file, shown as such, and offered (once) at the next start (issue 9)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.ui.test_meeting import open_running_meeting, settle
from tests.ui.test_typing_ahead import Terminal, stored, until
from textual.widgets import Static

from samverkan.cli import finish_app
from samverkan.domain.clock import ManualClock
from samverkan.services import Services, open_services
from samverkan.services.recovery import left_behind, read_records
from samverkan.ui.app import SamverkanApp, make_app
from samverkan.ui.dialogs.confirm import ConfirmDialog

NOTES = ["efter ett", "efter två", "efter tre"]


def _status(app: SamverkanApp) -> str:
    return str(app.screen.query_one("#write-status", Static).render())


def _remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def _replace_with(copy: Path) -> Callable[[Path], None]:
    def replace(db: Path) -> None:
        _remove(db)
        shutil.copy(copy, db)  # e.g. a sync tool puts back yesterday's file

    return replace


def _move(db: Path) -> None:
    db.rename(db.with_name("moved.db"))


@pytest.mark.parametrize("trouble", ["deleted", "replaced", "moved"])
async def test_the_database_file_changes_under_a_meeting(
    trouble: str,
    imported: Services,
    db_path: Path,
    clock: ManualClock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    copy = tmp_path / "copy.db"
    app = make_app(imported, clock)
    async with app.run_test(size=(110, 30)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        imported.backup(copy)
        terminal = Terminal(app)
        terminal.write("före\r")
        await until(pilot, lambda: stored(imported, mid) == ["före"])
        {"deleted": _remove, "replaced": _replace_with(copy), "moved": _move}[trouble](db_path)
        terminal.write("".join(f"{note}\r" for note in NOTES))
        await until(pilot, lambda: "3 notes kept for recovery" in _status(app))
        assert "database file gone" in _status(app)
        kept = read_records(app.recovery_file())
        assert [r["note"]["text"] for r in kept] == NOTES
    assert finish_app(app) == 1
    err = capsys.readouterr().err
    assert "3 notes could not be written" in err and str(app.recovery_file()) in err
    if trouble == "replaced":
        # The next start on the file now at that path offers the notes; they go in once.
        assert left_behind(db_path) == []  # this process is alive: not offered to itself
        services = open_services(db_path, clock=clock)
        try:
            from samverkan.services.recovery import import_recovered

            result = import_recovered(services, [app.recovery_file()])
            assert (result.added, result.problems) == (3, [])
            assert stored(services, mid) == NOTES  # "före" went into the old, unlinked file
            again = import_recovered(services, [app.recovery_file()])
            assert again.added == 0
        finally:
            services.close()


async def test_a_long_lock_and_a_quit_in_the_middle(
    imported: Services, db_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another program holds the write lock; the notes wait visibly; quitting asks, keeps
    them, exits non-zero; the next start offers them and writes each exactly once."""
    app = make_app(imported, clock)
    blocker = sqlite3.connect(db_path, isolation_level=None, timeout=30)
    try:
        async with app.run_test(size=(110, 30)) as pilot:
            mid = await open_running_meeting(pilot, imported, "grupp-1/3")
            blocker.execute("BEGIN IMMEDIATE")
            terminal = Terminal(app)
            terminal.write("".join(f"{note}\r" for note in NOTES) + "vidare")
            await until(pilot, lambda: "3 notes waiting for the database" in _status(app))
            assert app.screen.query_one("#note-input").value == "vidare"  # type: ignore[attr-defined]
            await pilot.press("ctrl+q")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            await pilot.press("enter")  # the focus is on "Stay"
            await until(pilot, lambda: not isinstance(app.screen, ConfirmDialog))
            await pilot.press("ctrl+q")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            await pilot.press("tab", "enter")  # "Quit, keep them for later"
        status = finish_app(app)
    finally:
        blocker.execute("ROLLBACK") if blocker.in_transaction else None
        blocker.close()
    assert status == 1
    assert "3 notes could not be written to the database" in capsys.readouterr().err
    recovery = app.recovery_file()
    assert [r["note"]["text"] for r in read_records(recovery)] == NOTES
    # The next start: a session that has ended (its file under another pid).
    ended = recovery.with_name(f"{db_path.name}.unsaved-{2**22 + 77}.jsonl")
    os.rename(recovery, ended)
    services = open_services(db_path, clock=clock)
    try:
        again = make_app(services, clock)
        async with again.run_test(size=(110, 30)) as pilot:
            await until(pilot, lambda: isinstance(again.screen, ConfirmDialog))
            await pilot.press("tab", "enter")  # "Import"
            await until(pilot, lambda: not ended.exists())
            await settle(pilot)
        assert sorted(stored(services, mid)) == sorted(NOTES)
        assert len(stored(services, mid)) == 3  # each exactly once
    finally:
        services.close()
