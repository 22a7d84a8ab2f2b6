"""Update a Static's text, laying out the screen again only when its height changes.

``Static.update`` asks for a layout of the whole screen by default, in case the
new text is taller or shorter. On the meeting screen of 5,000 notes that layout
took 11 ms at the median and up to 34 ms, and the side panel was updated with
every clock tick (once a second) and every observer's tag (several a second
with three observers): the facilitator's keys waited behind it. Most updates
change a count or a time in place, so the height stays and a repaint is enough.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


def show_text(widget: Static, text: Text) -> None:
    """Show ``text`` in ``widget`` (whose width is fixed by its layout)."""
    shown = widget.content
    if isinstance(shown, Text) and shown == text:
        return  # the same text: nothing to paint
    width = widget.content_region.width
    same = (
        isinstance(shown, Text)
        and width > 0
        and _height(widget, text, width) == _height(widget, shown, width)
    )
    widget.update(text, layout=not same)


def _height(widget: Static, text: Text, width: int) -> int:
    return len(text.wrap(widget.app.console, width))
