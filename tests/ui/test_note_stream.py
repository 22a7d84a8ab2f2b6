"""The note stream redraws a changed note's row alone, and keeps the list right."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from rich.text import Text
from textual.app import App, ComposeResult

from samverkan.domain.model import NoteKind, NoteView, TagView
from samverkan.ui.widgets.note_stream import NoteStream


def _note(n: int, kind: NoteKind = NoteKind.NOTE) -> NoteView:
    return NoteView(
        id=f"n{n}",
        meeting_id="m",
        phase_id="p",
        organisation_id=None,
        person_id=None,
        author="a",
        kind=kind,
        text=f"anteckning {n}",
        created_at=datetime(2018, 6, 14, 8, tzinfo=UTC) + timedelta(minutes=n),
        offset_seconds=60.0 * n,
    )


def _format(note: NoteView) -> Text:
    return Text(f"{note.text} [{len(note.tags)}]")


class Stream(App[None]):
    def compose(self) -> ComposeResult:
        yield NoteStream(_format, id="notes")


async def test_a_tagged_note_is_redrawn_in_place_and_a_filter_still_decides() -> None:
    app = Stream()
    async with app.run_test(size=(60, 12)) as pilot:
        stream = app.query_one(NoteStream)
        stream.set_notes([_note(n) for n in range(8)])
        stream.move_to(2)
        await pilot.pause()
        drawn: list[str] = []
        original = stream._render_note

        def counted(note: NoteView, width: int, selected: bool) -> object:
            drawn.append(note.id)
            return original(note, width, selected)

        stream._render_note = counted  # type: ignore[method-assign]
        tag = TagView(code_id="c", slug="tillit", observer="Eva")
        stream.upsert(replace(_note(5), tags=(tag,)))
        await pilot.pause()
        assert drawn == ["n5"]  # one row drawn again, not the screen's worth
        assert "anteckning 5 [1]" in str(stream.render_line(5).text)
        assert [n.id for n in stream.notes] == [f"n{n}" for n in range(8)]
        assert stream.highlighted_note is not None and stream.highlighted_note.id == "n2"
        # Filtered: a change that keeps a note shown replaces it there; one that
        # takes it out of the filter removes it.
        stream.set_filter(lambda n: n.kind == NoteKind.NOTE)
        stream.upsert(replace(_note(6), text="ändrad"))
        stream.upsert(replace(_note(3), kind=NoteKind.DECISION))
        await pilot.pause()
        assert [n.id for n in stream.notes] == ["n0", "n1", "n2", "n4", "n5", "n6", "n7"]
        assert stream.notes[5].text == "ändrad"
        assert stream.highlighted_note is not None and stream.highlighted_note.id == "n2"
