"""The home screen's meetings: a heading and one row per meeting, in columns, with a cursor.

Textual's DataTable did this before, at a price paid on every start: it measures its
rows when it is next idle, so the first frame showed an empty table and the rows
came a whole frame (~60 ms) later, and rendering its cells through Rich cost ~10 ms.
A project has some ten meetings of six short cells; this draws each row as one
line of plain segments, with DataTable's look (heading, zebra stripes, row cursor)
and its keys and mouse (a click moves the cursor, a click on the cursor selects).
"""

from __future__ import annotations

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


class MeetingTable(ScrollView, can_focus=True):
    """Rows of cells under a heading; the last column takes the width that is left."""

    DEFAULT_CSS = """
    MeetingTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        overflow-x: hidden;
        &:focus {
            background-tint: $foreground 5%;
            & > .meeting-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .meeting-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .meeting-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .meeting-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .meeting-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .meeting-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "meeting-table--header",
        "meeting-table--even-row",
        "meeting-table--cursor",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", _("Select"), show=False),
        Binding("up", "cursor_up", _("Cursor up"), show=False),
        Binding("down", "cursor_down", _("Cursor down"), show=False),
        Binding("pageup", "page_up", _("Page up"), show=False),
        Binding("pagedown", "page_down", _("Page down"), show=False),
        Binding("home", "first", _("Top"), show=False),
        Binding("end", "last", _("Bottom"), show=False),
    ]

    class RowSelected(Message):
        """Enter on a row, or a click on the row under the cursor."""

        def __init__(self, table: MeetingTable, row: int) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> MeetingTable:
            return self.table

    def __init__(self, columns: Sequence[tuple[str, int]], *, id: str | None = None) -> None:
        """``columns``: (heading, width) each; the last one's width is its least."""
        super().__init__(id=id)
        self.columns = list(columns)
        self._rows: list[tuple[str, ...]] = []
        self._cursor = 0

    # -------------------------------------------------------------- what it holds

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    def get_row_at(self, index: int) -> tuple[str, ...]:
        return self._rows[index]

    def set_rows(self, rows: Sequence[tuple[str, ...]], cursor: int = 0) -> None:
        """Show these rows, the cursor on ``cursor`` (kept within them)."""
        self._rows = list(rows)
        self.virtual_size = Size(self._line_width(), len(self._rows) + 1)
        self.move_cursor(cursor)
        self.refresh()

    def move_cursor(self, row: int) -> None:
        self._cursor = max(0, min(row, len(self._rows) - 1))
        self._scroll_to_cursor()
        self.refresh()

    # -------------------------------------------------------------- keys and mouse

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self._cursor - self._page())

    def action_page_down(self) -> None:
        self.move_cursor(self._cursor + self._page())

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._rows) - 1)

    def action_select_cursor(self) -> None:
        if self._rows:
            self.post_message(self.RowSelected(self, self._cursor))

    async def _on_click(self, event: events.Click) -> None:
        row = event.style.meta.get("row")
        if not isinstance(row, int) or not 0 <= row < len(self._rows):
            return
        event.stop()
        if row == self._cursor:
            self.action_select_cursor()
        else:
            self.move_cursor(row)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        visible = self.scrollable_content_region.height - 1  # below the heading
        if visible <= 0:
            return
        top = round(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + visible:
            self.scroll_to(y=self._cursor - visible + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.virtual_size = Size(self._line_width(), len(self._rows) + 1)
        self._scroll_to_cursor()

    # -------------------------------------------------------------- drawing

    def _widths(self) -> list[int]:
        """Each column's width; the last takes what the others leave (one cell of
        padding each side of every cell, as DataTable has)."""
        widths = [width for _heading, width in self.columns]
        fixed = sum(width + 2 for width in widths[:-1])
        widths[-1] = max(widths[-1], self.scrollable_content_region.width - fixed - 2)
        return widths

    def _line_width(self) -> int:
        return sum(width + 2 for width in self._widths())

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            cells: tuple[str, ...] = tuple(heading for heading, _width in self.columns)
            style = self.get_component_rich_style("meeting-table--header")
            return self._line(cells, style, width, None)
        index = round(self.scroll_y) + y - 1
        base = self.rich_style
        if index >= len(self._rows):
            return Strip.blank(width, base)
        if index == self._cursor:
            style = base + self.get_component_rich_style("meeting-table--cursor")
        elif index % 2:
            style = base + self.get_component_rich_style("meeting-table--even-row")
        else:
            style = base
        return self._line(self._rows[index], style, width, index)

    def _line(self, cells: tuple[str, ...], style: Style, width: int, row: int | None) -> Strip:
        widths = self._widths()
        line = "".join(f" {_fit(cell, w)} " for cell, w in zip(cells, widths, strict=True))
        meta = Style.from_meta({"row": row}) if row is not None else None
        segment_style = style + meta if meta is not None else style
        return Strip([Segment(line, segment_style)]).adjust_cell_length(width, style)


def _fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: padded, or cut with an ellipsis."""
    from rich.cells import cell_len, set_cell_size

    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    return set_cell_size(text, width - 1) + "…"
