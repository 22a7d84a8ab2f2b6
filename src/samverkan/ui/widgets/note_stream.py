"""A virtual list of notes on Textual's line API: one line a note, only visible lines drawn.

A meeting can hold thousands of notes; DataTable and ListView redraw or
re-measure every row on change, which breaks the typing budget. This widget
keeps the notes in a list, renders the rows that are on screen (as ``Log``
does), and caches each rendered row until the note or the width changes.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from samverkan.domain.model import NoteView
from samverkan.i18n import _

Formatter = Callable[[NoteView], Text]
Predicate = Callable[[NoteView], bool]


def _created(note: NoteView) -> datetime:
    return note.created_at


class NoteStream(ScrollView, can_focus=True):
    """The meeting's notes, newest at the bottom, with a cursor."""

    DEFAULT_CSS = """
    NoteStream {
        background: $surface;
        /* A row is cut to the width with an ellipsis: never a horizontal scrollbar
           (the vertical one's width made the rows one cell too wide for it). */
        overflow-x: hidden;
    }
    NoteStream > .note-stream--cursor {
        background: $primary 40%;
    }
    NoteStream:focus > .note-stream--cursor {
        background: $primary;
        color: $text;
    }
    NoteStream > .note-stream--empty {
        color: $text-muted;
    }
    """
    COMPONENT_CLASSES = {"note-stream--cursor", "note-stream--empty"}
    BINDINGS = [
        Binding("up,k", "cursor(-1)", _("Previous note"), show=False, id="note-prev"),
        Binding("down,j", "cursor(1)", _("Next note"), show=False, id="note-next"),
        Binding("pageup", "page(-1)", _("Page up"), show=False, id="note-pageup"),
        Binding("pagedown", "page(1)", _("Page down"), show=False, id="note-pagedown"),
        Binding("home", "jump(0)", _("First note"), show=False, id="note-first"),
        Binding("end", "jump(-1)", _("Last note"), show=False, id="note-last"),
        Binding("enter", "select", _("Select note"), show=False, id="note-select"),
    ]

    cursor: reactive[int] = reactive(-1, always_update=True)
    """Index of the highlighted note among the visible (filtered) notes; -1 when empty."""

    @dataclass
    class Highlighted(Message):
        stream: NoteStream
        note: NoteView | None

        @property
        def control(self) -> NoteStream:
            return self.stream

    @dataclass
    class Selected(Message):
        stream: NoteStream
        note: NoteView

        @property
        def control(self) -> NoteStream:
            return self.stream

    def __init__(
        self,
        formatter: Formatter,
        *,
        empty_text: str = "",
        follow: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.formatter = formatter
        self.empty_text = empty_text
        # Follow the newest note while the cursor is on the last one.
        self.follow = follow
        self._all: list[NoteView] = []
        self._index: dict[str, int] = {}
        self._visible: list[NoteView] = []
        self._filter: Predicate | None = None
        self._cache: dict[tuple[NoteView, int, bool], Strip] = {}

    # ------------------------------------------------------------ content

    @property
    def notes(self) -> Sequence[NoteView]:
        """The notes shown, after the filter."""
        return self._visible

    @property
    def highlighted_note(self) -> NoteView | None:
        if 0 <= self.cursor < len(self._visible):
            return self._visible[self.cursor]
        return None

    def set_notes(self, notes: Sequence[NoteView]) -> None:
        keep = self.highlighted_note
        self._all = list(notes)
        self._index = {note.id: i for i, note in enumerate(self._all)}
        self._refilter(keep.id if keep else None, to_end=keep is None)

    def upsert(self, note: NoteView) -> None:
        """Replace the note with the same id, or add it at the end."""
        at_end = self.cursor >= len(self._visible) - 1
        keep = self.highlighted_note
        position = self._index.get(note.id)
        if position is None and self._all and note.created_at < self._all[-1].created_at:
            # A note brought back by undo (or merged from elsewhere): in time order.
            at = bisect.bisect_right(self._all, note.created_at, key=_created)
            self._all.insert(at, note)
            for index in range(at, len(self._all)):  # usually a few, near the end
                self._index[self._all[index].id] = index
            self._refilter(keep.id if keep else note.id)
            return
        if position is None:
            self._index[note.id] = len(self._all)
            self._all.append(note)
            if self._filter is None or self._filter(note):
                self._visible.append(note)
                self._resize()
                if keep is None or (self.follow and at_end):
                    self.cursor = len(self._visible) - 1
                    self.scroll_to_cursor()
                self.refresh()
            return
        old = self._all[position]
        self._all[position] = note
        predicate = self._filter
        if predicate is None:
            # Everything shown: the same place in both lists.
            self._visible[position] = note
            self.refresh_line(position)
            return
        shown, showing = predicate(old), predicate(note)
        if shown == showing:
            # Another observer's tag, a note ticked done: the row changes, not the list
            # (rebuilding it was a pass over every note for each tag, 5,000 in a meeting),
            # and only that row is painted again, if it is on screen at all.
            if showing:
                index = self._visible_index(note.id)
                self._visible[index] = note
                self.refresh_line(index)
            return
        self._refilter(keep.id if keep else None)

    def _visible_index(self, note_id: str) -> int:
        """Where a shown note is among the shown; from the end, where changes usually are."""
        for index in range(len(self._visible) - 1, -1, -1):
            if self._visible[index].id == note_id:
                return index
        raise KeyError(note_id)

    def remove_note(self, note_id: str) -> None:
        position = self._index.pop(note_id, None)
        if position is None:
            return
        keep = self.highlighted_note
        del self._all[position]
        self._index = {note.id: i for i, note in enumerate(self._all)}
        keep_id = keep.id if keep and keep.id != note_id else None
        self._refilter(keep_id, fallback=self.cursor)

    def set_filter(self, predicate: Predicate | None) -> None:
        keep = self.highlighted_note
        self._filter = predicate
        self._refilter(keep.id if keep else None, to_end=keep is None)

    def refresh_notes(self) -> None:
        """Redraw every row (e.g. organisation names or tag marks changed)."""
        self._cache.clear()
        self.refresh()

    def _refilter(
        self, keep_id: str | None, *, to_end: bool = False, fallback: int | None = None
    ) -> None:
        predicate = self._filter
        self._visible = [n for n in self._all if predicate is None or predicate(n)]
        # The row cache stays: it is keyed by the note itself, which a filter does not change.
        self._resize()
        target = -1
        if keep_id is not None:
            target = next((i for i, n in enumerate(self._visible) if n.id == keep_id), -1)
        if target < 0 and self._visible:
            if fallback is not None:
                target = min(max(fallback, 0), len(self._visible) - 1)
            else:
                target = len(self._visible) - 1 if to_end or keep_id else 0
        self.cursor = target
        self.scroll_to_cursor()
        self.refresh()

    def _resize(self) -> None:
        size = Size(self.size.width, len(self._visible))
        if size == self.virtual_size:
            return
        height = self.styles.height
        if not self.size.height or height is None or height.is_auto:
            self.virtual_size = size  # not laid out yet, or as tall as its notes: lay out
            return
        # The layout fixes this stream's height (1fr), so one more note moves nothing
        # on screen but the scrollbar's thumb. Setting ``virtual_size`` would lay out
        # the whole screen and paint it all again: 7 ms at the median on a meeting of
        # 5,000 notes, after every Enter and every note another process added, with
        # the next key waiting. (A scrollbar that appears or goes still lays out: its
        # reactive asks for it.) Every caller repaints the rows itself.
        self.set_reactive(Widget.virtual_size, size)
        self._scroll_update(size)

    # ------------------------------------------------------------ cursor

    def watch_cursor(self, _old: int, _new: int) -> None:
        self.post_message(self.Highlighted(self, self.highlighted_note))
        self.refresh()

    def scroll_to_cursor(self) -> None:
        if self.cursor < 0:
            return
        top = self.scroll_offset.y
        height = max(1, self.scrollable_content_region.height)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def move_to(self, index: int) -> None:
        if not self._visible:
            return
        self.cursor = min(max(index, 0), len(self._visible) - 1)
        self.scroll_to_cursor()

    def select_note(self, note_id: str) -> bool:
        for i, note in enumerate(self._visible):
            if note.id == note_id:
                self.move_to(i)
                return True
        return False

    def action_cursor(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, where: int) -> None:
        self.move_to(where if where >= 0 else len(self._visible) - 1)

    def action_select(self) -> None:
        note = self.highlighted_note
        if note is not None:
            self.post_message(self.Selected(self, note))

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self._visible):
            self.move_to(index)
            if event.chain == 2:
                self.action_select()

    def on_resize(self) -> None:
        self._cache.clear()
        self._resize()
        self.scroll_to_cursor()

    # ------------------------------------------------------------ rendering

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width or self.size.width
        if not self._visible:
            if y == 0 and self.empty_text:
                style = self.get_component_rich_style("note-stream--empty")
                text = Text(self.empty_text, style=style, no_wrap=True, overflow="ellipsis")
                text.truncate(width)
                return Strip(list(text.render(self.app.console)), text.cell_len).extend_cell_length(
                    width, self.rich_style
                )
            return Strip.blank(width, self.rich_style)
        if index >= len(self._visible):
            return Strip.blank(width, self.rich_style)
        note = self._visible[index]
        selected = index == self.cursor
        # The note itself (frozen, hashed by value): a tag or a tick changes the row
        # without a new revision, and only that row is drawn again.
        key = (note, width, selected)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_note(note, width, selected)
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[key] = strip
        return strip.apply_offsets(0, index)

    def _render_note(self, note: NoteView, width: int, selected: bool) -> Strip:
        text = self.formatter(note)
        text.no_wrap = True
        text.overflow = "ellipsis"
        text.truncate(width, overflow="ellipsis", pad=True)
        base = self.rich_style
        if selected:
            base = base + self.get_component_rich_style("note-stream--cursor")
        segments = [
            Segment(seg.text, base + seg.style if seg.style else base)
            for seg in text.render(self.app.console)
            if seg.text != "\n"
        ]
        return Strip(segments).adjust_cell_length(width, base if isinstance(base, Style) else None)
