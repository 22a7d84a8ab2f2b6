"""The home screen's projects: each one's short name and its name below, one highlighted.

Textual's OptionList did this before; it lays out and renders each option through
its markup and wrapping machinery: ~5 ms of the first frame for ten projects, and
its stylesheet parsed before it. This draws plain lines (the name wrapped at word
boundaries, dimmed) with OptionList's look and its keys (up/down, page up/down,
home/end, enter) and mouse (hover; a click highlights, a click on the highlighted
project selects it).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from samverkan.i18n import _


class ProjectList(ScrollView, can_focus=True):
    """(short name, name) entries, two or more lines each; one is highlighted."""

    DEFAULT_CSS = """
    ProjectList {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        padding: 0 1;
        background: $surface;
        &:focus {
            background-tint: $foreground 5%;
            & > .project-list--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .project-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        & > .project-list--hover {
            background: $block-hover-background;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"project-list--highlighted", "project-list--hover"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", _("Down"), show=False),
        Binding("end", "last", _("Last"), show=False),
        Binding("enter", "select", _("Select"), show=False),
        Binding("home", "first", _("First"), show=False),
        Binding("pagedown", "page_down", _("Page Down"), show=False),
        Binding("pageup", "page_up", _("Page Up"), show=False),
        Binding("up", "cursor_up", _("Up"), show=False),
    ]

    class _ProjectMessage(Message):
        """A project of the list, by its index (as OptionList's OptionMessage)."""

        def __init__(self, project_list: ProjectList, index: int) -> None:
            super().__init__()
            self.project_list = project_list
            self.index = index

        @property
        def control(self) -> ProjectList:
            return self.project_list

    class Highlighted(_ProjectMessage):
        """Another project is highlighted (by a key, a click or the program)."""

    class Selected(_ProjectMessage):
        """Enter, or a click on the highlighted project."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[tuple[str, str]] = []
        self._highlighted: int | None = None
        self._hover: int | None = None
        # Laid out for one width: (entry index, text, dimmed) per line; entry -> first line.
        self._lines: list[tuple[int, str, bool]] = []
        self._first_line: list[int] = []
        self._laid_out_for = -1

    # -------------------------------------------------------------- what it holds

    @property
    def option_count(self) -> int:
        return len(self._entries)

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, len(self._entries) - 1)) if self._entries else None
        if index == self._highlighted:
            return
        self._highlighted = index
        self._scroll_to_highlighted()
        self.refresh()
        if index is not None:
            self.post_message(self.Highlighted(self, index))

    def set_entries(self, entries: Sequence[tuple[str, str]]) -> None:
        """Show these (short name, name) entries; the highlight stays, within them."""
        self._entries = list(entries)
        self._laid_out_for = -1
        self._lay_out()
        if self._highlighted is not None and self._highlighted >= len(self._entries):
            self.highlighted = len(self._entries) - 1 if self._entries else None
        self.refresh()

    # -------------------------------------------------------------- keys and mouse

    def _move(self, index: int) -> None:
        if self._entries:
            self.highlighted = index

    def action_cursor_up(self) -> None:
        self._move((self._highlighted or 0) - 1)

    def action_cursor_down(self) -> None:
        self._move(-1 if self._highlighted is None else self._highlighted + 1)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self._entries) - 1)

    def action_page_up(self) -> None:
        self._move(self._entry_at_line(self._line_of_highlighted() - self._page()))

    def action_page_down(self) -> None:
        self._move(self._entry_at_line(self._line_of_highlighted() + self._page()))

    def action_select(self) -> None:
        if self._highlighted is not None:
            self.post_message(self.Selected(self, self._highlighted))

    async def _on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("entry")
        if not isinstance(index, int) or not 0 <= index < len(self._entries):
            return
        event.stop()
        if index == self._highlighted:
            self.action_select()
        else:
            self.highlighted = index

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        index = event.style.meta.get("entry")
        if index != self._hover:
            self._hover = index if isinstance(index, int) else None
            self.refresh()

    def _on_leave(self, _: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _line_of_highlighted(self) -> int:
        if self._highlighted is None or not self._first_line:
            return 0
        return self._first_line[self._highlighted]

    def _entry_at_line(self, line: int) -> int:
        if not self._lines:
            return 0
        return self._lines[max(0, min(line, len(self._lines) - 1))][0]

    def _scroll_to_highlighted(self) -> None:
        height = self.scrollable_content_region.height
        if self._highlighted is None or height <= 0 or not self._first_line:
            return
        first = self._first_line[self._highlighted]
        last = (
            self._first_line[self._highlighted + 1] - 1
            if self._highlighted + 1 < len(self._first_line)
            else len(self._lines) - 1
        )
        top = round(self.scroll_y)
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last >= top + height:
            self.scroll_to(y=min(first, last - height + 1), animate=False, immediate=True)

    def on_resize(self) -> None:
        self._lay_out()
        self._scroll_to_highlighted()

    # -------------------------------------------------------------- drawing

    def _lay_out(self) -> None:
        width = self.scrollable_content_region.width
        if width == self._laid_out_for:
            return
        self._laid_out_for = width
        lines: list[tuple[int, str, bool]] = []
        first: list[int] = []
        wrap_at = max(4, width)
        for index, (short, name) in enumerate(self._entries):
            first.append(len(lines))
            lines.extend((index, text, False) for text in _wrapped(short, wrap_at))
            lines.extend((index, text, True) for text in _wrapped(name, wrap_at))
        self._lines, self._first_line = lines, first
        self.virtual_size = Size(width, len(lines))

    def render_line(self, y: int) -> Strip:
        self._lay_out()
        width = self.scrollable_content_region.width
        line = round(self.scroll_y) + y
        base = self.rich_style
        if line >= len(self._lines):
            return Strip.blank(width, base)
        index, text, dimmed = self._lines[line]
        style = base
        if index == self._highlighted:
            style = base + self.get_component_rich_style("project-list--highlighted")
        elif index == self._hover:
            style = base + self.get_component_rich_style("project-list--hover")
        meta = Style.from_meta({"entry": index})
        text_style = (style + _DIM if dimmed else style) + meta
        return Strip([Segment(text, text_style)]).adjust_cell_length(width, style + meta)


_DIM = Style(dim=True)


def _wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]
