"""What opening a meeting costs the interpreter: one footer rebuild per burst of
binding changes, the loaded meeting out of full collections while it is open."""

from __future__ import annotations

import gc
import sys

import pytest
from tests.ui.test_meeting import settle
from tests.ui.test_meeting_live import until
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from samverkan.domain.clock import ManualClock
from samverkan.services import NoteDraft, Services
from samverkan.ui import app as app_module
from samverkan.ui.app import make_app
from samverkan.ui.meeting.screen import MeetingScreen
from samverkan.ui.widgets.key_footer import KeyFooter
from samverkan.ui.widgets.note_stream import NoteStream


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
        await opened(pilot, mid)
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


async def opened(pilot: Pilot[None], meeting_id: str) -> MeetingScreen:
    """The facilitator's screen of the meeting, pushed and with every note loaded."""
    screen = MeetingScreen(meeting_id)
    pilot.app.push_screen(screen)
    await until(pilot, lambda: screen._live_cursor is not None, "the whole meeting loaded")
    return screen


def count_layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """From now on, one entry for every layout of a whole screen."""
    from textual.screen import Screen

    layouts: list[int] = []
    original = Screen._refresh_layout

    def counted(self: Screen[object], *args: object, **kwargs: object) -> None:
        layouts.append(1)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    return layouts


async def test_typing_lays_nothing_out_and_a_long_line_still_scrolls_to_its_end(
    imported: Services, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input

    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    app = make_app(imported, clock, poll_seconds=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, mid)
        await settle(pilot)
        layouts = count_layouts(monkeypatch)
        text = "ett långt anförande " * 5 + "SLUT"
        await pilot.press(*[("space" if c == " " else c) for c in text])
        await pilot.pause()
        note_input = screen.query_one("#note-input", Input)
        assert note_input.value == text
        assert layouts == []
        assert note_input.scroll_offset.x > 0
        assert "SLUT" in str(note_input.render_line(0).text)


async def test_enter_and_another_writers_note_and_tag_lay_nothing_out(
    imported: Services, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fixed-height stream that grows by a note only moves its scrollbar: a layout
    of the whole screen (7 ms on 5,000 notes) after every Enter and every note
    another process wrote was what the next key waited behind."""

    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    for n in range(40):  # more than the stream's height: its scrollbar is there
        clock.advance(1)
        imported.notes.add(mid, NoteDraft(f"Tidigare {n}"))
    app = make_app(imported, clock, poll_seconds=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, mid)
        await settle(pilot)
        stream = screen.query_one("#notes", NoteStream)
        assert stream.show_vertical_scrollbar
        assert not stream.show_horizontal_scrollbar  # rows are cut to the width
        layouts = count_layouts(monkeypatch)
        clock.advance(1)
        await pilot.press(*"Skrivet nu", "enter")
        await until(pilot, lambda: stream.notes[-1].text == "Skrivet nu", "the note shown")
        clock.advance(1)
        elsewhere = imported.notes.add(mid, NoteDraft("Från en annan skärm")).id
        await until(pilot, lambda: stream.notes[-1].id == elsewhere, "the other note shown")
        code = screen.meeting.codes[0] if screen.meeting else None
        assert code is not None
        imported.tags.set(elsewhere, code.id, "Anders", True)
        await until(pilot, lambda: bool(screen.notes[elsewhere].tags), "the tag arrived")
        await settle(pilot)
        assert layouts == []
        # What is drawn follows: the newest note on the stream's last line, tag and all.
        last_line = stream.scrollable_content_region.height - 1
        assert stream.scroll_offset.y + last_line == len(stream.notes) - 1
        assert "Från en annan skärm" in str(stream.render_line(last_line).text)
        assert stream.virtual_size.height == len(stream.notes) == 42


async def test_the_note_just_typed_is_not_read_back_and_anothers_is_read_at_once(
    imported: Services, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen shows the note it typed. Its live poll read it back after every
    Enter, on a worker thread holding the GIL while the next keys came in. Another
    writer's note (here: another screen of this process) is still read at the next
    tick, with the typed note since the poll's last look."""
    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    ticks: list[int] = []
    polls: list[list[str]] = []
    tick, changes = MeetingScreen._live_tick, MeetingScreen.live_changes

    def counted_tick(self: MeetingScreen) -> None:
        ticks.append(1)
        tick(self)

    def recorded(self: MeetingScreen, cursor: object, first: int | None = None) -> object:
        read = changes(self, cursor, first)  # type: ignore[arg-type]
        if cursor is not None:
            polls.append([note.text for note in read.notes])
        return read

    monkeypatch.setattr(MeetingScreen, "_live_tick", counted_tick)
    monkeypatch.setattr(MeetingScreen, "live_changes", recorded)
    app = make_app(imported, clock, poll_seconds=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, mid)
        await settle(pilot)
        stream = screen.query_one("#notes", NoteStream)
        await pilot.press(*"Skrivet nu", "enter")
        await until(pilot, lambda: stream.notes[-1].text == "Skrivet nu", "the note shown")
        looked = len(ticks)
        await until(
            pilot,
            lambda: len(ticks) >= looked + 2 and not screen._live_polling,
            "two more looks of the live poll",
        )
        assert polls == []
        clock.advance(1)
        imported.notes.add(mid, NoteDraft("Från en annan skärm"))
        await until(pilot, lambda: stream.notes[-1].text == "Från en annan skärm", "shown")
        assert polls == [["Skrivet nu", "Från en annan skärm"]]


def test_full_collections_wait_for_a_pause_in_the_typing() -> None:
    from samverkan.ui import heap

    before = gc.get_threshold()
    heap.hold()
    try:
        assert heap.held() and min(gc.get_threshold()[1:]) > 10**6
        began = heap._last_tidy
        assert not heap.due(began + 1, last_key=began)  # just held
        pause, longest = heap.PAUSE_SECONDS, heap.LONGEST_SECONDS
        every = began + heap.TIDY_SECONDS
        assert heap.due(every, last_key=every - pause)  # a pause in the typing
        assert not heap.due(every, last_key=every - pause / 2)  # typing
        assert heap.due(began + longest, last_key=began + longest)  # typing for a minute
        # Garbage made while held (a cycle: only the collector frees it) goes at a tidy.
        import weakref

        class Node:
            pass

        node = Node()
        node.self = node  # type: ignore[attr-defined]
        gone = weakref.ref(node)
        del node
        heap.tidy(every)
        assert gone() is None
        assert heap._last_tidy == every and not heap.due(every + 1, last_key=0)
    finally:
        heap.release()
    assert not heap.held() and gc.get_threshold() == before
    assert not heap.due(10**9, last_key=0)
    gc.unfreeze()


async def test_a_meeting_left_alone_has_its_full_collection_at_its_clock_tick(
    imported: Services, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samverkan.ui import heap

    monkeypatch.setattr(heap, "TIDY_SECONDS", 0.0)
    tidied: list[float] = []
    original = heap.tidy

    def counted(now: float) -> None:
        tidied.append(now)
        original(now)

    monkeypatch.setattr(heap, "tidy", counted)
    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    app = make_app(imported, clock, poll_seconds=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, mid)
        # Keys pressed a moment ago: no collection while they come.
        monkeypatch.setattr(heap, "PAUSE_SECONDS", 3600.0)
        await pilot.press("a")
        screen._tick()
        assert tidied == []
        monkeypatch.setattr(heap, "PAUSE_SECONDS", 0.0)
        await until(pilot, lambda: bool(tidied), "a tidy at the clock's tick")
        app.pop_screen()
        await until(pilot, lambda: not heap.held(), "the heap released")
    gc.unfreeze()
