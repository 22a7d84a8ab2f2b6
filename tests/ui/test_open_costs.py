"""What opening a meeting costs the interpreter: one footer rebuild per burst of
binding changes, the loaded meeting out of full collections while it is open."""

from __future__ import annotations

import gc
import sys

import pytest
from tests.ui.test_meeting import settle
from tests.ui.test_meeting_live import until
from textual.widgets._footer import FooterKey

from samverkan.domain.clock import ManualClock
from samverkan.services import NoteDraft, Services
from samverkan.ui import app as app_module
from samverkan.ui.app import make_app
from samverkan.ui.meeting.screen import MeetingScreen
from samverkan.ui.widgets.key_footer import KeyFooter


async def test_a_burst_of_binding_changes_rebuilds_the_footer_once_and_as_it_ends(
    imported: Services, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    rebuilt: list[int] = []
    original = KeyFooter.recompose

    async def counted(self: KeyFooter) -> None:
        rebuilt.append(1)
        await original(self)

    monkeypatch.setattr(KeyFooter, "recompose", counted)
    app = make_app(imported, clock, poll_seconds=3600)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = MeetingScreen(mid)
        app.push_screen(screen)
        await until(pilot, lambda: screen.meeting is not None, "the meeting loaded")
        await settle(pilot)
        footer = screen.query_one(KeyFooter)
        before = len(rebuilt)
        for _ in range(6):
            screen.refresh_bindings()
        imported.meetings.close(mid)  # the last change: the footer must show it
        await until(pilot, lambda: len(rebuilt) > before, "the footer rebuilt")
        screen.meeting = imported.projects.meeting(mid)
        screen.refresh_bindings()
        await until(pilot, lambda: len(rebuilt) > before + 1, "the footer rebuilt again")
        await settle(pilot)
        assert len(rebuilt) == before + 2
        actions = {key.action for key in footer.query(FooterKey)}
        assert "reopen_meeting" in actions and "close_meeting" not in actions


async def test_an_open_meeting_is_out_of_full_collections_until_it_closes(
    imported: Services, clock: ManualClock
) -> None:
    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    imported.notes.add(mid, NoteDraft("En anteckning"))
    app = make_app(imported, clock, poll_seconds=3600)
    # The app's threads hand the interpreter over within a millisecond.
    assert sys.getswitchinterval() == pytest.approx(app_module.SWITCH_INTERVAL)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = MeetingScreen(mid)
        app.push_screen(screen)
        await until(pilot, lambda: screen._live_cursor is not None, "the whole meeting loaded")
        assert gc.get_freeze_count() > 0
        app.pop_screen()
        await until(pilot, lambda: gc.get_freeze_count() == 0, "the heap released")
    gc.unfreeze()


async def test_a_side_panel_update_lays_the_screen_out_only_when_its_height_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rich.text import Text
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from samverkan.ui.widgets.repaint import show_text

    class Panel(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("", id="panel")

    layouts: list[bool] = []
    original = Static.update

    def spied(self: Static, content: object = "", *, layout: bool = True) -> None:
        layouts.append(layout)
        original(self, content, layout=layout)  # type: ignore[arg-type]

    monkeypatch.setattr(Static, "update", spied)
    app = Panel()
    async with app.run_test(size=(40, 10)) as pilot:
        panel = app.query_one("#panel", Static)
        show_text(panel, Text("SKE  3\nUME  1"))
        await pilot.pause()
        show_text(panel, Text("SKE  4\nUME  1"))  # a count moves: same height
        show_text(panel, Text("SKE  4\nUME  1"))  # the same text: nothing at all
        show_text(panel, Text("SKE  4\nUME  1\nAF   2"))  # a row more
        show_text(panel, Text("SKE  4\n" + "x" * 50))  # the long line wraps: three still
        await pilot.pause()
        assert layouts == [True, False, True, False]
        assert "x" * 10 in str(panel.render())


async def test_typing_lays_nothing_out_and_a_long_line_still_scrolls_to_its_end(
    imported: Services, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.screen import Screen
    from textual.widgets import Input

    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    app = make_app(imported, clock, poll_seconds=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = MeetingScreen(mid)
        app.push_screen(screen)
        await until(pilot, lambda: screen._live_cursor is not None, "the meeting loaded")
        await settle(pilot)
        layouts: list[int] = []
        original = Screen._refresh_layout

        def counted(self: Screen[object], *args: object, **kwargs: object) -> None:
            layouts.append(1)
            original(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        text = "ett långt anförande " * 5 + "SLUT"
        await pilot.press(*[("space" if c == " " else c) for c in text])
        await pilot.pause()
        note_input = screen.query_one("#note-input", Input)
        assert note_input.value == text
        assert layouts == []
        assert note_input.scroll_offset.x > 0
        assert "SLUT" in str(note_input.render_line(0).text)
