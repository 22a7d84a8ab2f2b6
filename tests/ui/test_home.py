"""The home screen lists projects and meetings, on an empty and on the demo database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tests.ui.test_meeting_live import until
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from samverkan.domain.clock import ManualClock
from samverkan.services import open_services
from samverkan.services.demo import build_demo
from samverkan.ui.app import SamverkanApp, make_app
from samverkan.ui.home.meeting_table import MeetingTable
from samverkan.ui.home.project_list import ProjectList
from samverkan.ui.home.screen import HomeScreen


async def test_home_on_the_demo_database(tmp_path: Path, clock: ManualClock) -> None:
    path = tmp_path / "demo.db"
    build_demo(path)
    services = open_services(path, clock=clock)
    try:
        app = make_app(services, clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, HomeScreen)
            projects = screen.query_one("#projects", ProjectList)
            assert projects.option_count == 2
            # The recorded project is shown first.
            assert screen.projects[projects.highlighted or 0].short == "grupp-1"
            table = screen.query_one("#meetings", MeetingTable)
            assert table.row_count == 5
            first = table.get_row_at(0)
            assert first[0] == "1" and first[3] == "closed" and int(first[4]) >= 30
            await pilot.press("up")
            assert table.row_count == 5
            assert screen.projects[projects.highlighted or 0].short == "foretag"
    finally:
        services.close()


async def test_home_on_an_empty_database_says_how_to_start(
    tmp_path: Path, clock: ManualClock
) -> None:
    services = open_services(tmp_path / "empty.db", clock=clock)
    try:
        app = make_app(services, clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            empty = app.screen.query_one("#empty", Static)
            assert empty.display
            text = str(empty.render())
            assert "samverkan import" in text and "samverkan demo" in text
    finally:
        services.close()


async def test_help_lists_the_keys(app: object) -> None:
    from samverkan.ui.app import SamverkanApp
    from samverkan.ui.help.screen import HelpScreen

    assert isinstance(app, SamverkanApp)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        actions = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert {"Open", "Observe", "Minutes", "Analysis", "Quit"} <= actions
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_the_start_shows_the_listing_read_ahead_then_opens_the_services(
    tmp_path: Path, clock: ManualClock
) -> None:
    """The CLI's start: the listing is read in a thread while the app starts, the home
    screen is the first screen and shows it, the services open after the first frame."""
    import asyncio

    from samverkan.services.listing import list_projects_ahead
    from samverkan.ui.app import SamverkanApp

    path = tmp_path / "demo.db"
    build_demo(path)
    app = SamverkanApp(
        lambda: open_services(path, clock=clock),
        clock,
        path=path,
        listing=list_projects_ahead(path),
    )
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, HomeScreen) and app.screen_stack == [screen]
            assert app.first_listing is None  # taken by the home screen
            assert screen.query_one("#projects", ProjectList).option_count == 2
            assert screen.query_one("#meetings", MeetingTable).row_count == 5
            # Its own stylesheet applies, though Textual loads none for a default screen.
            width = screen.query_one("#projects-pane").styles.width
            assert width is not None and width.value == 26
            for _ in range(200):  # the services open ~0.25 s after the first frame
                if app.services_ready():
                    break
                await asyncio.sleep(0.05)
            assert app.services_ready()
    finally:
        app.close_services()


@asynccontextmanager
async def demo_home(
    tmp_path: Path, clock: ManualClock
) -> AsyncIterator[tuple[SamverkanApp, Pilot[None], HomeScreen]]:
    """The app on a fresh demo database at 80×24, its home screen filled."""
    path = tmp_path / "demo.db"
    build_demo(path)
    services = open_services(path, clock=clock)
    try:
        app = make_app(services, clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            home = app.screen
            assert isinstance(home, HomeScreen)
            yield app, pilot, home
    finally:
        services.close()


async def test_the_meetings_table_moves_and_opens_by_keys_and_mouse(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with demo_home(tmp_path, clock) as (app, pilot, home):
        table = home.query_one("#meetings", MeetingTable)
        await pilot.press("tab")
        assert table.has_focus and table.cursor_row == 0
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("down")  # stays on the last row
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("pagedown")
        assert table.cursor_row == table.row_count - 1  # five rows: one page
        await pilot.press("pageup")
        assert table.cursor_row == 0
        # A click moves the cursor (the heading is the table's first line) …
        await pilot.click("#meetings", offset=(4, 2))
        assert table.cursor_row == 1 and isinstance(app.screen, HomeScreen)
        selected = home.selected_meeting()
        assert selected is not None and selected.number == 2
        # … a click on the row under the cursor opens that meeting.
        await pilot.click("#meetings", offset=(4, 2))
        await until(pilot, lambda: app.screen is not home, "a meeting opened")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is home, "back on the home screen")
        # Enter on a row opens it too.
        table.focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is not home, "a meeting opened")


async def test_the_projects_list_moves_and_selects_by_keys_and_mouse(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with demo_home(tmp_path, clock) as (_app, pilot, home):
        projects = home.query_one("#projects", ProjectList)
        table = home.query_one("#meetings", MeetingTable)
        assert projects.has_focus
        assert home.title_bar_text() == "samverkan — demo.db"
        await pilot.press("home")
        assert home.projects[projects.highlighted or 0].short == "foretag"
        assert table.get_row_at(0)[5].startswith(home.projects[0].meetings[0].title[:5])
        await pilot.press("end")
        assert projects.highlighted == 1
        await pilot.press("pageup")
        assert projects.highlighted == 0
        await pilot.press("down")
        assert projects.highlighted == 1
        # A click highlights (the first project's lines are at the top) …
        await pilot.click("#projects", offset=(3, 0))
        await pilot.pause()
        assert projects.highlighted == 0
        # … a click on the highlighted project selects it: the meetings get the focus.
        await pilot.click("#projects", offset=(3, 1))
        await pilot.pause()
        assert table.has_focus
        projects.focus()
        await pilot.press("enter")
        assert table.has_focus
