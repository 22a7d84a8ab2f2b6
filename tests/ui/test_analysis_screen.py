"""The analysis screen: Pilot tests of each control, and its look at a fixed size."""

from __future__ import annotations

from typing import Any

import pytest
from tests.analysis_data import GS, PROJECT, Recorded, code, record_series
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from samverkan.domain.clock import ManualClock
from samverkan.services import Services
from samverkan.ui.analysis.screen import AnalysisScreen
from samverkan.ui.app import SamverkanApp, make_app

SIZE = (120, 36)


@pytest.fixture
def recorded(imported: Services, clock: ManualClock) -> Recorded:
    return record_series(imported, clock)


async def _open(app: SamverkanApp, pilot: Pilot[None]) -> AnalysisScreen:
    pid = app.services.projects.project_id(PROJECT)
    await pilot.pause()
    screen = AnalysisScreen(pid)
    app.push_screen(screen)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def _matrix(screen: AnalysisScreen) -> DataTable[Any]:
    return screen.query_one("#matrix", DataTable)


def _static(screen: AnalysisScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_opens_with_the_matrix_filled(
    imported: Services, clock: ManualClock, recorded: Recorded
) -> None:
    app = make_app(imported, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        table = _matrix(screen)
        assert table.row_count == 39
        assert len(table.columns) == 2 + 5  # code, Σ, meetings 1-5
        assert table.get_row(code(GS))[1:4] == ["3", "1", "2"]
        assert "Kultur, person, attityd" in _static(screen, "#analysis-totals")
        assert "κ 0.72" in _static(screen, "#analysis-totals")
        # The cursor starts on the first code's first meeting: its remark is listed.
        assert table.cursor_coordinate == (0, 1)


async def test_moving_over_cells_lists_the_remarks_behind_them(
    imported: Services, clock: ManualClock, recorded: Recorded
) -> None:
    app = make_app(imported, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("right", "right")  # Gemensamt synsätt, meeting 2
        await pilot.pause()
        remarks = screen.query_one("#remarks", OptionList)
        assert remarks.option_count == 2
        first = str(remarks.get_option_at_index(0).prompt)
        assert "Vi har fasta möten varje vecka." in first
        assert "meeting 2 · Värdpresentation · SOD" in first
        assert "Cecilia Norberg" in first
        assert "meeting 2 · 2 remarks" in _static(screen, "#cell-title")
        assert "1 2 0 0 0" in _static(screen, "#trend-title")
        assert "κ 1.00" in _static(screen, "#code-agreement")
        await pilot.press("left", "left")  # the Σ column: every remark of the code
        await pilot.pause()
        assert remarks.option_count == 3


async def test_view_sort_polarity_dimension_and_filter(
    imported: Services, clock: ManualClock, recorded: Recorded
) -> None:
    app = make_app(imported, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        table = _matrix(screen)
        await pilot.press("v")
        assert len(table.columns) == 2 + 6  # the six organisations
        assert "by organisation" in _static(screen, "#analysis-status")
        await pilot.press("v", "s")
        first = table.coordinate_to_cell_key(Coordinate(0, 0)).row_key.value
        assert first == code(GS)
        await pilot.press("s", "p")  # success factors only
        assert table.row_count == 25
        await pilot.press("p")  # obstacles
        assert table.row_count == 11
        await pilot.press("p", "p", "d")  # all polarities, first dimension
        assert table.row_count == 14
        await pilot.press("d", "d", "d")  # back to all dimensions
        assert table.row_count == 39
        await pilot.press("slash")
        filter_input = screen.query_one("#analysis-filter", Input)
        assert filter_input.has_focus
        filter_input.value = "tillit"
        await pilot.press("enter")
        await pilot.pause()
        assert table.row_count == 2  # Prestigelöshet, tillit; Bristande tillit
        assert table.has_focus
        filter_input.value = "ingen sådan kod"
        await pilot.pause(0.3)  # the debounce
        assert table.row_count == 0
        assert "No code matches" in _static(screen, "#cell-title")


async def test_escape_goes_back(imported: Services, clock: ManualClock, recorded: Recorded) -> None:
    app = make_app(imported, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AnalysisScreen)


async def test_every_binding_has_a_description_tooltip_and_id() -> None:
    for binding in AnalysisScreen.BINDINGS:
        assert not isinstance(binding, tuple)
        assert binding.description and binding.tooltip and binding.id


async def test_a_missing_project_is_an_error_not_a_crash(
    imported: Services, clock: ManualClock
) -> None:
    app = make_app(imported, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(AnalysisScreen("no-such-project"))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "could not be read" in str(app.screen.query_one("#cell-title", Static).render())


def test_snapshot(
    snap_compare: Any, imported: Services, clock: ManualClock, recorded: Recorded
) -> None:
    app = make_app(imported, clock)

    async def before(pilot: Pilot[None]) -> None:
        await _open(app, pilot)
        await pilot.press("right", "right")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=before)
