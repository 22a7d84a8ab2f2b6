"""The facilitator's screen runs the room: time, keys, help, kinds, floor, action items."""

from __future__ import annotations

import io
from datetime import date

from tests.ui.test_meeting import open_running_meeting, settle, type_note
from textual.widgets import DataTable, Footer, Static

from samverkan.config import Settings, load_settings, save_settings
from samverkan.domain.clock import ManualClock
from samverkan.domain.model import NoteKind
from samverkan.services import Services
from samverkan.ui.app import SamverkanApp, make_app
from samverkan.ui.meeting.screen import MeetingScreen
from samverkan.ui.widgets.note_stream import NoteStream


def shown(app: SamverkanApp, selector: str) -> str:
    """The widget's text as it is drawn, without styles."""
    from rich.console import Console

    console = Console(width=app.size.width, record=True, file=io.StringIO())
    console.print(app.screen.query_one(selector, Static).content)
    return console.export_text()


def footer_text(app: SamverkanApp) -> str:
    footer = app.screen.query_one(Footer)
    return " ".join(str(child.render()) for child in footer.query("*"))


async def test_time_in_view_planned_end_behind_and_warning_in_words(
    app: SamverkanApp, imported: Services, clock: ManualClock
) -> None:
    async with app.run_test(size=(100, 24)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        meeting = imported.projects.meeting(mid)
        first = meeting.phases[0]
        assert first.planned_minutes
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        screen._tick()
        await pilot.pause()
        bar = shown(app, "#phase-bar")
        assert "ends" in bar and "on time" in bar
        clock.advance(first.planned_minutes * 60 * 0.85)
        screen._tick()
        await pilot.pause()
        bar = shown(app, "#phase-bar")
        assert "⚠" in bar and "min left" in bar
        clock.advance(first.planned_minutes * 60 * 0.15 + 600)
        screen._tick()
        await pilot.pause()
        bar = shown(app, "#phase-bar")
        assert "over" in bar and "10 min behind" in bar


async def test_help_names_the_floor_keys_by_organisation_and_scrolls(
    app: SamverkanApp, imported: Services
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        org = imported.projects.meeting(mid).organisations[0]
        await pilot.press("f1")
        await pilot.pause()
        table = app.screen.query_one("#help-keys", DataTable)
        rows = [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        assert any(f"Floor to {org.name}" in row for row in rows)
        assert not any("Floor to organisation" in row for row in rows)
        assert any(row.startswith("^r Prev. phase") for row in rows)
        assert not any("Reopen meeting" in row for row in rows)
        # One key a row, also for the keys of the selected note ("del", "⌫").
        keys = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert not any("," in key for key in keys) and {"del", "⌫"} <= set(keys)


async def test_a_closed_meetings_footer_offers_reopen_not_close(
    app: SamverkanApp, imported: Services
) -> None:
    async with app.run_test(size=(120, 24)) as pilot:
        await open_running_meeting(pilot, imported, "grupp-1/3")
        assert "Close meeting" in footer_text(app)
        await pilot.press("ctrl+j")
        await pilot.pause()
        await pilot.press("tab", "enter")
        await settle(pilot)
        await pilot.pause()
        text = footer_text(app)
        assert "Reopen meeting" in text and "Close meeting" not in text


async def test_a_closed_meeting_gives_the_list_the_focus_and_esc_leaves(
    app: SamverkanApp, imported: Services
) -> None:
    # Disabling the note line blurred it and nothing had the focus: ↓ did nothing, and
    # the help listed the note line's keys or the list's, depending on timing.
    async with app.run_test(size=(120, 24)) as pilot:
        await open_running_meeting(pilot, imported, "grupp-1/3")
        for text in ("Första", "Andra"):
            await type_note(pilot, text)
        await pilot.press("ctrl+j")
        await pilot.pause()
        await pilot.press("tab", "enter")
        await settle(pilot)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        notes = screen.query_one("#notes", NoteStream)
        assert app.focused is notes
        await pilot.press("home")
        first = notes.highlighted_note
        await pilot.press("down")
        assert first is not None and notes.highlighted_note is not None
        assert [first.text, notes.highlighted_note.text] == ["Första", "Andra"]
        await pilot.press("f1")
        await pilot.pause()
        table = app.screen.query_one("#help-keys", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[1][:2] == ["↓", "Next note"]
        assert not any(row[1] == "Write" for row in rows)  # nothing to write in
        await pilot.press("escape")  # the help
        await pilot.pause()
        await pilot.press("escape")  # the meeting
        await settle(pilot)
        assert not isinstance(app.screen, MeetingScreen)


async def test_keys_are_remapped_from_the_settings_and_the_help_shows_them(
    imported: Services, clock: ManualClock
) -> None:
    save_settings(Settings(keys={"next-phase": "ctrl+b"}))
    app = make_app(imported, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        await pilot.press("ctrl+b")
        await settle(pilot)
        meeting = imported.projects.meeting(mid)
        assert imported.meetings.clock(mid, clock()).phase_id == meeting.phases[1].id
        await pilot.press("f1")
        await pilot.pause()
        table = app.screen.query_one("#help-keys", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert any(row[0] == "^b" and row[1] == "Next phase" for row in rows)


async def test_the_theme_chosen_is_remembered(imported: Services, clock: ManualClock) -> None:
    app = make_app(imported, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert load_settings()[0].theme == "nord"
    again = make_app(imported, clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_change_the_kind_of_a_saved_note_and_undo(
    app: SamverkanApp, imported: Services
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        await type_note(pilot, "Obs: verktyget är gratis")
        note = imported.notes.notes(mid)[0]
        assert note.kind == NoteKind.NOTE and note.text == "Obs: verktyget är gratis"
        await pilot.press("up", "ctrl+t")
        await pilot.pause()
        await pilot.press("b")
        await settle(pilot)
        assert imported.notes.notes(mid)[0].kind == NoteKind.DECISION
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert imported.notes.notes(mid)[0].kind == NoteKind.NOTE


async def test_floor_model_remark_takes_the_floor_and_decisions_are_the_groups(
    app: SamverkanApp, imported: Services, clock: ManualClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        meeting = imported.projects.meeting(mid)
        ske = meeting.organisations[0]
        await type_note(pilot, f"@{ske.short} Vi har börjat")
        await settle(pilot)
        clock.advance(60)
        await type_note(pilot, "b: Vi fortsätter")
        state = imported.meetings.clock(mid, clock())
        assert state.floor == ske.id and state.floor_total(ske.id) == 60
        notes = imported.notes.notes(mid)
        assert [n.organisation_id for n in notes] == [ske.id, None]
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert imported.meetings.clock(mid, clock()).floor is None
        screen = app.screen
        assert isinstance(screen, MeetingScreen) and screen.speaker is None


async def test_action_items_show_owner_due_date_and_overdue_with_dates_from_today(
    app: SamverkanApp, imported: Services, clock: ManualClock
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        today = clock().astimezone().date()
        await type_note(pilot, "a: Boka lokal @AF imorgon")
        await type_note(pilot, "a: Skicka listan @AF senast 2000-01-01")
        notes = imported.notes.notes(mid)
        assert notes[0].due == date.fromordinal(today.toordinal() + 1)
        stream = app.screen.query_one("#notes", NoteStream)
        lines = [stream.formatter(n).plain for n in stream.notes]
        assert "→ AF · " + notes[0].due.isoformat() in lines[0]
        assert "overdue" not in lines[0]
        assert "→ AF · 2000-01-01 ⚠ overdue" in lines[1]


async def test_every_prompt_is_readable_and_one_key_covers_it(
    app: SamverkanApp, imported: Services
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        meeting = imported.projects.meeting(mid)
        discussion = next(p for p in meeting.phases if len(p.prompts) >= 5)
        while app.screen.state.phase_id != discussion.id:  # type: ignore[attr-defined]
            await pilot.press("ctrl+n")
            await settle(pilot)
        pane = app.screen.query_one("#prompts")
        seen = shown(app, "#agenda-text")
        assert "*" not in seen  # Markdown is rendered, not shown raw
        # PageDown scrolls the pane until the last prompt has been in view.
        last_words = " ".join(discussion.prompts[-1].split()[:3])
        for _ in range(20):
            if pane.scroll_offset.y >= pane.max_scroll_y:
                break
            await pilot.press("pagedown")
            await pilot.pause()
        assert pane.scroll_offset.y == pane.max_scroll_y
        assert last_words in " ".join(shown(app, "#agenda-text").split())
        await pilot.press("ctrl+y")
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        phase = imported.projects.meeting(mid).phase(discussion.id)
        assert phase is not None and phase.covered == (0, 1) and phase.next_prompt() == 2
        assert "2/" in shown(app, "#agenda-text")


async def test_attendance_ticks_an_organisations_people_and_everyone_at_once(
    app: SamverkanApp, imported: Services
) -> None:
    from samverkan.ui.meeting.setup import MeetingSetupScreen

    async with app.run_test(size=(80, 24)) as pilot:
        mid = imported.projects.resolve_ref("grupp-1/3")
        app.push_screen(MeetingSetupScreen(mid))
        await settle(pilot)
        meeting = imported.projects.meeting(mid)
        first = meeting.organisations[0]
        people = [p for p in meeting.people if p.organisation_id == first.id]
        assert people, "the sample has participants"
        await pilot.press("space")  # the first organisation: it and its people
        await settle(pilot)
        present = {
            (a.organisation_id, a.person_id)
            for a in imported.projects.meeting(mid).attendance
            if a.present
        }
        assert (first.id, None) in present
        assert all((first.id, p.id) in present for p in people)
        await pilot.press("down", "space")  # one of them leaves: partly present
        await settle(pilot)
        option = app.screen.query_one("#attendance").get_option_at_index(0)  # type: ignore[attr-defined]
        assert str(option.prompt).startswith("◐")
        await pilot.press("a")
        await settle(pilot)
        meeting = imported.projects.meeting(mid)
        assert all(a.present for a in meeting.attendance)
        assert len(meeting.attendance) == len(meeting.organisations) + len(meeting.people)


async def test_setup_of_the_first_meeting_and_overdue_earlier_items(
    app: SamverkanApp, imported: Services
) -> None:
    from samverkan.ui.meeting.setup import MeetingSetupScreen

    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(MeetingSetupScreen(imported.projects.resolve_ref("grupp-1/1")))
        await settle(pilot)
        option = app.screen.query_one("#actions").get_option_at_index(0)  # type: ignore[attr-defined]
        assert "first meeting" in str(option.prompt)
        agenda = shown(app, "#agenda")
        assert "*" not in agenda


async def test_help_scrolls_to_every_key_at_80x24(app: SamverkanApp, imported: Services) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_running_meeting(pilot, imported, "grupp-1/3")
        await pilot.press("f1")
        await pilot.pause()
        box = app.screen.query_one("#help-box")
        assert box.has_focus and box.max_scroll_y > 0
        table = app.screen.query_one("#help-keys", DataTable)
        assert table.size.height >= table.row_count  # every row laid out, none cut off
        for _ in range(30):
            await pilot.press("pagedown")
        await pilot.pause()
        assert box.scroll_offset.y == box.max_scroll_y


async def test_textuals_own_words_in_swedish(imported: Services, clock: ManualClock) -> None:
    from samverkan.i18n import current_language, set_language

    before = current_language()
    set_language("sv")
    try:
        app = make_app(imported, clock)
        async with app.run_test(size=(100, 24)) as pilot:
            await pilot.pause()
            assert "palette" not in footer_text(app)
            commands = [c.title for c in app.get_system_commands(app.screen)]
            assert "Tema" in commands and "Theme" not in commands
            await pilot.press("ctrl+p")
            await pilot.pause()
            from textual.command import CommandInput

            assert "Sök" in str(app.screen.query_one(CommandInput).placeholder)
            # Textual's own key descriptions (the Keys panel, inherited keys) too.
            described = {
                b.description
                for bindings in CommandInput._merged_bindings.key_to_bindings.values()  # type: ignore[union-attr]
                for b in bindings
            }
            assert "Flytta markören vänster" in described
            assert "Move cursor left" not in described
    finally:
        set_language(before)
    english = make_app(imported, clock)  # the next app in English has Textual's English
    async with english.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        from textual.widgets import Input

        assert Input.BINDINGS[0].description == "Move cursor left"  # type: ignore[union-attr]


async def test_a_filter_or_all_phases_stays_in_view_in_words(
    app: SamverkanApp, imported: Services
) -> None:
    from tests.ui.test_typing_ahead import until

    async with app.run_test(size=(80, 24)) as pilot:
        mid = await open_running_meeting(pilot, imported, "grupp-1/3")
        first = imported.projects.meeting(mid).organisations[0]
        label = app.screen.query_one("#view-filter", Static)
        assert not label.display
        await pilot.press("ctrl+l")
        await until(pilot, lambda: label.display)
        assert "Showing: all phases" in shown(app, "#view-filter")
        await type_note(pilot, f"@{first.short} något")
        await pilot.press("up", "ctrl+f", "1")  # the question is asked in the note line
        await until(pilot, lambda: f"only {first.short}" in shown(app, "#view-filter"))
        assert "all phases" in shown(app, "#view-filter")
        await pilot.press("escape", "ctrl+l", "up", "ctrl+f", "0")
        await until(pilot, lambda: not label.display)


async def test_help_of_a_running_meeting_lists_its_keys_not_the_note_lines_cursor_keys(
    app: SamverkanApp, imported: Services
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_running_meeting(pilot, imported, "grupp-1/3")
        await pilot.press("f1")
        await pilot.pause()
        table = app.screen.query_one("#help-keys", DataTable)
        rows = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert "Next phase" in rows and "Change kind" in rows and "Close meeting" in rows
        assert not any(r in rows for r in ("Move cursor left", "Scroll Up", "Go to end"))


async def test_colours_come_from_the_theme_and_follow_a_change(
    app: SamverkanApp, imported: Services
) -> None:
    from tests.ui.test_typing_ahead import until

    from samverkan.ui.theme_colours import style

    async with app.run_test(size=(80, 24)) as pilot:
        await open_running_meeting(pilot, imported, "grupp-1/3")
        await type_note(pilot, "b: Vi kör")
        stream = app.screen.query_one("#notes", NoteStream)

        def decision_colour() -> str:
            line = stream.formatter(stream.notes[0])
            return next(str(s.style) for s in line.spans if line.plain[s.start] == "§")

        before = app.theme_variables["text-success"].upper()
        assert before in decision_colour().upper()
        app.theme = "nord"
        await pilot.pause()
        after = app.theme_variables["text-success"].upper()
        assert after != before
        await until(pilot, lambda: after in decision_colour().upper())
        assert style("decision").upper() == "BOLD " + after
