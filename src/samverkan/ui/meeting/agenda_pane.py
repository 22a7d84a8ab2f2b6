"""The meeting screen's agenda pane: the current phase's script and every prompt.

The agenda's Markdown is rendered (emphasis, not ``*asterisks*``). The pane takes
what it needs up to a share of the left column and scrolls beyond that:
PageUp/PageDown scroll it while the note line has the focus. Covered prompts are
ticked (✓), the one the facilitator is on is marked (▶); ctrl+y (or its remap) covers it and
moves on.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from samverkan.domain.model import PhaseView
from samverkan.i18n import _, ngettext
from samverkan.ui.meeting.keys import key_name


class AgendaPane(VerticalScroll, can_focus=False):
    """What the facilitator says and asks in this phase; hidden when there is nothing."""

    DEFAULT_CSS = """
    AgendaPane {
        height: auto;
        max-height: 45%;
        padding: 0 1;
        border-bottom: hkey $panel;
    }
    AgendaPane > Static {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[str, tuple[str, ...], str, tuple[int, ...]] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="agenda-text")

    def show(self, phase: PhaseView | None) -> None:
        if phase is None or not (phase.prompts or phase.script):
            self.display = False
            self._shown = None
            return
        key = (phase.id, phase.prompts, phase.script, phase.covered)
        self.display = True
        if key == self._shown:
            return
        if self._shown is None or self._shown[0] != phase.id:
            self.scroll_home(animate=False)
        self._shown = key
        self.query_one("#agenda-text", Static).update(
            agenda_renderable(phase, cover_key=key_name(self.app, "cover-prompt"))
        )

    def page(self, direction: int) -> None:
        if direction > 0:
            self.scroll_page_down(animate=False)
        else:
            self.scroll_page_up(animate=False)


def agenda_renderable(
    phase: PhaseView, *, plain: bool = False, cover_key: str = "ctrl+y"
) -> RenderableType:
    """The script (Markdown) and the questions; ``plain``: without the covered marks."""
    parts: list[RenderableType] = []
    if phase.script:
        parts.append(Markdown(phase.script, style="italic"))
    if phase.prompts and plain:
        for prompt in phase.prompts:
            line = Text("• ")
            line.append_text(_inline_markdown(prompt, ""))
            parts.append(line)
    elif phase.prompts:
        done = len(set(phase.covered))
        heading = ngettext(
            "Question · {done}/{n} covered · {key} ticks ▶",
            "Questions · {done}/{n} covered · {key} ticks ▶",
            len(phase.prompts),
        ).format(done=done, n=len(phase.prompts), key=cover_key)
        parts.append(Text(heading, style="bold"))
        current = phase.next_prompt()
        for index, prompt in enumerate(phase.prompts):
            if index in phase.covered:
                mark, style = "✓ ", "dim"
            elif index == current:
                mark, style = "▶ ", "bold"
            else:
                mark, style = "• ", ""
            line = Text(mark, style=style)
            line.append_text(_inline_markdown(prompt, style))
            parts.append(line)
    elif not parts and not plain:
        parts.append(Text(_("No questions in this phase."), style="dim"))
    return Group(*parts)


def _inline_markdown(source: str, style: str) -> Text:
    """A prompt's *emphasis* and **strong** words, without a paragraph's margins."""
    from markdown_it import MarkdownIt

    text = Text(style=style)
    tokens = MarkdownIt("commonmark").parseInline(source)
    for token in tokens:
        bold = italic = False
        for child in token.children or []:
            if child.type == "strong_open":
                bold = True
            elif child.type == "strong_close":
                bold = False
            elif child.type == "em_open":
                italic = True
            elif child.type == "em_close":
                italic = False
            elif child.type in ("text", "code_inline"):
                extra = " ".join(word for word, on in (("bold", bold), ("italic", italic)) if on)
                text.append(child.content, style=extra)
            elif child.type in ("softbreak", "hardbreak"):
                text.append(" ")
    return text
