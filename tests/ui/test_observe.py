"""The observer's flows, driven with Pilot and checked in the database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.ui.observe_fixtures import SIZE, Meeting, meeting, opened, settle
from textual.widgets import ContentSwitcher, Input, OptionList, Static

from samverkan.config import load_settings
from samverkan.domain.clock import ManualClock
from samverkan.domain.model import NoteKind
from samverkan.services import NoteDraft, Services, open_services
from samverkan.ui.app import make_app
from samverkan.ui.dialogs.text_input import TextInputDialog
from samverkan.ui.observe.help import ObserveHelpScreen
from samverkan.ui.observe.screen import ObserveScreen
from samverkan.ui.widgets.tally_view import TallyView

__all__ = ["meeting"]  # the fixture, imported for pytest


def slugs(services: Services, note_id: str, observer: str = "Cecilia") -> list[str]:
    return [t.slug for t in services.notes.note(note_id).tags if t.observer == observer]


async def test_two_keys_toggle_a_code_on_the_selected_note(
    imported: Services, clock: ManualClock, meeting: Meeting
) -> None:
    app = make_app(imported, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, meeting)
        last = meeting.notes[-1]
        assert screen.stream.highlighted_note and screen.stream.highlighted_note.id == last.id
        await pilot.press("2", "4")  # dimension 2, fourth code: korta-beslutsvagar
        await settle(app, pilot)
        assert slugs(imported, last.id) == ["korta-beslutsvagar"]
        codebook = screen.query_one("#codebook-list", OptionList)

        def ticked() -> bool:
            return "✓" in str(codebook.get_option(meeting.code("korta-beslutsvagar")).prompt)

        for _ in range(100):  # the codebook repaints after the tag's write reports back
            if ticked():
                break
            await settle(app, pilot)
        assert ticked()
        await pilot.press("up", "1", "a")
        await settle(app, pilot)
        assert slugs(imported, meeting.notes[-2].id) == ["fastna-i-byrakratin"]
        await pilot.press("down", "2", "4")  # again: the tag goes off, the row stays
        await settle(app, pilot)
        assert slugs(imported, last.id) == []
        await pilot.press("2", "escape", "4")  # Esc cancels a half-typed sequence
        await settle(app, pilot)
        assert slugs(imported, last.id) == [] and screen.pending is None


async def test_search_then_enter_tags_the_selected_note(
    imported: Services, clock: ManualClock, meeting: Meeting
) -> None:
    app = make_app(imported, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, meeting)
        await pilot.press("slash")
        search = screen.query_one("#codebook-search", Input)
        assert screen.focused is search
        search.value = "samloka"
        await pilot.press("enter")
        await settle(app, pilot)
        assert slugs(imported, meeting.notes[-1].id) == ["samlokalisering"]
        assert search.value == "" and screen.focused is screen.stream


async def test_own_observation_with_organisation_and_inline_tags(
    imported: Services, clock: ManualClock, meeting: Meeting
) -> None:
    app = make_app(imported, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, meeting)
        await pilot.press("w")
        box = screen.query_one("#observe-input", Input)
        assert screen.focused is box
        box.value = "@ume Samlokaliseringen bär samarbetet #samlokalisering #personfaktorer"
        await pilot.press("enter")
        await settle(app, pilot)
        assert box.value == ""
        mine = [n for n in imported.notes.notes(meeting.id) if n.kind == NoteKind.OBSERVATION]
        assert len(mine) == 1
        note = mine[0]
        assert (note.text, note.author, note.organisation_id) == (
            "Samlokaliseringen bär samarbetet",
            "Cecilia",
            meeting.org("UME"),
        )
        assert note.phase_id == imported.meetings.clock(meeting.id).phase_id
        assert slugs(imported, note.id) == ["personfaktorer", "samlokalisering"]
        assert note.id in screen.notes


async def test_completion_accepts_with_right_arrow(
    imported: Services, clock: ManualClock, meeting: Meeting
) -> None:
    app = make_app(imported, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, meeting)
        await pilot.press("w", "@", "u")
        await pilot.pause(0.1)
        await pilot.press("right")
        assert screen.query_one("#observe-input", Input).value == "@uME"
        await pilot.press("space", "#", "s", "a", "m", "l")
        await pilot.pause(0.1)
        await pilot.press("right")
        assert screen.query_one("#observe-input", Input).value == "@uME #samlokalisering"


async def test_nothing_typed_is_lost_when_a_write_fails(
    imported: Services, clock: ManualClock, meeting: Meeting
) -> None:
    app = make_app(imported, clock)
    errors: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app.show_error = errors.append  # type: ignore[method-assign]
        screen = await opened(app, pilot, meeting)
        box = screen.query_one("#observe-input", Input)
        box.value = "Text med okänd kod #finns-inte"
        box.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert box.value == "Text med okänd kod #finns-inte"
        assert errors and "#finns-inte is not a code" in errors[-1]
        imported.meetings.close(meeting.id)  # e.g. the facilitator closed the meeting meanwhile
        box.value = "En iakttagelse efter stängning"
        await pilot.press("enter")
        await settle(app, pilot)
        assert box.value == "En iakttagelse efter stängning"
        assert "closed" in errors[-1]
        assert not [n for n in imported.notes.notes(meeting.id) if n.kind == NoteKind.OBSERVATION]


async def test_untagged_queue_and_filters(
    imported: Services, clock: ManualClock, meeting: Meeting
) -> None:
    for index in (0, 1):
        imported.tags.set(meeting.notes[index].id, meeting.code("dua-stod"), "Cecilia", True)
    imported.tags.set(meeting.notes[2].id, meeting.code("dua-stod"), "Anders", True)
    app = make_app(imported, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, meeting)
        stream = screen.stream
        await pilot.press("home", "n")
        assert stream.highlighted_note and stream.highlighted_note.id == meeting.notes[2].id
        await pilot.press("n", "n", "n")  # 3, 4, then round to 2 again (Anders' tag is not ours)
        assert stream.highlighted_note.id == meeting.notes[2].id
        await pilot.press("f", "o", "1")  # organisation FAL (the project's first)
        assert [n.id for n in stream.notes] == [meeting.notes[2].id]
        await pilot.press("f", "o", "g")  # the whole group
        assert [n.id for n in stream.notes] == [meeting.notes[4].id]
        await pilot.press("x", "f", "c", "2", "7")  # code dua-stod, anyone's
        assert [n.id for n in stream.notes] == [n.id for n in meeting.notes[:3]]
        await pilot.press("x", "f", "u")
        assert [n.id for n in stream.notes] == [n.id for n in meeting.notes[2:]]
        await pilot.press("x", "f", "p", "1")  # the first phase: nothing was said then
        assert list(stream.notes) == []
        await pilot.press("x")
        assert len(stream.notes) == 5


async def test_tally_by_key_and_on_entering_the_observation_phase(
    imported: Services, clock: ManualClock, meeting: Meeting, db_path: Path
) -> None:
    imported.tags.set(meeting.notes[3].id, meeting.code("samlokalisering"), "Anders", True)
    app = make_app(imported, clock, poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, meeting)
        switcher = screen.query_one(ContentSwitcher)
        await pilot.press("t")
        assert switcher.current == "observe-tally"
        shown = str(screen.query_one(TallyView).query_one(".tally-body").render())
        assert "Samlokalisering kontra ej samlokalisering" in shown and "UME 1" in shown
        await pilot.press("t")
        assert switcher.current == "observe-stream"
        facilitator = open_services(db_path, clock=clock)
        facilitator.meetings.go_to_phase(meeting.id, 1)  # into Observation
        facilitator.close()
        for _ in range(40):
            await pilot.pause(0.05)
            if switcher.current == "observe-tally":
                break
        assert switcher.current == "observe-tally"


async def test_live_notes_and_other_observers_tags_arrive_without_moving_the_cursor(
    imported: Services, clock: ManualClock, meeting: Meeting, db_path: Path
) -> None:
    app = make_app(imported, clock, poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, meeting)
        await pilot.press("up", "up")
        selected = screen.stream.highlighted_note
        assert selected is not None
        other = open_services(db_path, clock=clock, author="Göran")
        fresh = other.notes.add(meeting.id, NoteDraft("Ny anteckning från processledaren"))
        other.tags.set(selected.id, meeting.code("personfaktorer"), "Anders", True)
        other.notes.delete(meeting.notes[0].id)
        other.close()
        for _ in range(40):
            await pilot.pause(0.05)
            if fresh.id in screen.notes and screen.notes[selected.id].tags:
                break
        assert meeting.notes[0].id not in [n.id for n in screen.stream.notes]
        assert fresh.id in screen.notes
        assert screen.stream.highlighted_note and screen.stream.highlighted_note.id == selected.id
        assert screen.formatter is not None
        line = screen.formatter(screen.notes[selected.id])
        key = screen.formatter.keys.label(
            next(c for c in meeting.view.codes if c.slug == "personfaktorer")
        )
        from samverkan.ui.theme_colours import style

        assert key in line.plain and any(  # someone else's tag, marked as such
            span.style == style("others") for span in line.spans
        )
        details = str(screen.query_one("#observe-detail", Static).render())
        assert "Personfaktorer (Anders)" in details


async def test_help_explains_the_code_keys_and_escape_goes_back(
    imported: Services, clock: ManualClock, meeting: Meeting
) -> None:
    app = make_app(imported, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, meeting)
        await pilot.press("question_mark")
        assert isinstance(app.screen, ObserveHelpScreen)
        assert "2  Organisation och arbetsformer" in str(
            app.screen.query_one("#help-code-keys").render()
        )
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("escape")
        assert app.screen is not screen


@pytest.fixture
def no_name() -> Iterator[None]:
    assert load_settings()[0].observer == ""
    yield


async def test_the_name_is_asked_once_and_remembered(
    imported: Services, clock: ManualClock, meeting: Meeting, no_name: None
) -> None:
    app = make_app(imported, clock)
    async with app.run_test(size=SIZE) as pilot:
        app.open_observer(meeting.id)
        await pilot.pause()
        assert isinstance(app.screen, TextInputDialog)
        app.screen.query_one(Input).value = "Cecilia Norberg"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ObserveScreen) and app.screen.observer == "Cecilia Norberg"
    assert load_settings()[0].observer == "Cecilia Norberg"


async def test_the_selection_follows_new_notes_and_the_status_shows_phase_and_closing(
    imported: Services, clock: ManualClock, meeting: Meeting, db_path: Path
) -> None:
    app = make_app(imported, clock, poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, meeting)
        screen.stream.action_jump(-1)  # on the newest note: follow the room
        await pilot.pause()
        other = open_services(db_path, clock=clock, author="Göran")
        fresh = other.notes.add(meeting.id, NoteDraft("Helt ny anteckning"))
        for _ in range(100):
            await pilot.pause(0.05)
            if fresh.id in screen.notes:
                break
        await pilot.pause()
        assert screen.stream.highlighted_note is not None
        assert screen.stream.highlighted_note.id == fresh.id
        status = str(screen.query_one("#observe-status", Static).render())
        assert "room in:" in status
        other.meetings.close(meeting.id)
        other.close()
        for _ in range(100):
            await pilot.pause(0.05)
            if "meeting closed" in str(screen.query_one("#observe-status", Static).render()):
                break
        assert "meeting closed" in str(screen.query_one("#observe-status", Static).render())


def test_the_observer_app_of_samverkan_observe_finds_its_stylesheet(imported: Services) -> None:
    """``samverkan observe REF`` runs ObserverApp, a subclass in ui/observe/: a relative
    CSS_PATH was looked for beside the subclass, and the command stopped with an error."""
    from samverkan.ui.observe.app import ObserverApp

    app = ObserverApp(imported, imported.projects.resolve_ref("grupp-1/2"), "Cecilia")
    assert app.css_path and all(Path(path).is_file() for path in app.css_path)
