"""The observer's codebook pane: every code with its key, grouped, searchable.

The list is grouped by dimension and polarity; each code shows its two-key
sequence (see :mod:`samverkan.domain.observing`) and whether the highlighted
note carries it (✓ yours, • someone else's). Typing in the search box filters
the list (debounced, so typing stays fast); Enter picks the highlighted or
first match.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from samverkan.domain.labels import polarity_heading
from samverkan.domain.model import CodeView, Polarity
from samverkan.domain.observing import CodeKeys, assign_code_keys
from samverkan.i18n import _
from samverkan.ui.theme_colours import style

SEARCH_DELAY = 0.15
_STYLE = {Polarity.SUCCESS: "green", Polarity.OBSTACLE: "red", Polarity.AMBIVALENT: "yellow"}


class CodebookPane(Vertical):
    """Search box above the grouped list of codes."""

    @dataclass
    class Chosen(Message):
        """A code was picked with Enter (in the search box or the list)."""

        pane: CodebookPane
        code: CodeView

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.codes: tuple[CodeView, ...] = ()
        self.keys: CodeKeys = assign_code_keys(())
        self._mine: frozenset[str] = frozenset()
        self._others: frozenset[str] = frozenset()
        self._query = ""
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder=_("/ search codes"), id="codebook-search")
        yield OptionList(id="codebook-list")

    def set_codes(self, codes: Sequence[CodeView]) -> None:
        self.codes = tuple(sorted(codes, key=lambda c: c.position))
        self.keys = assign_code_keys(self.codes)
        self._rebuild()

    def set_marks(self, mine: frozenset[str], others: frozenset[str]) -> None:
        """The codes on the highlighted note: this observer's, and other observers'."""
        changed = (mine ^ self._mine) | (others ^ self._others)
        self._mine, self._others = mine, others
        self._restyle(changed)

    def show_dimension(self, dimension_key: str) -> None:
        """Scroll to a dimension's codes (a pending two-key sequence is in it).

        Only scrolls: restyling prompts would redraw the whole list on the key's frame.
        """
        option_list = self.query_one(OptionList)
        with suppress(OptionDoesNotExist):
            index = option_list.get_option_index(f"dimension-{dimension_key}")
            option_list.scroll_to(y=index, animate=False)

    def _restyle(self, code_ids: frozenset[str]) -> None:
        """Redraw some prompts in place: moving through notes must not rebuild the list."""
        option_list = self.query_one(OptionList)
        by_id = {c.id: c for c in self.codes}
        for code_id in code_ids:
            if code_id in by_id:
                with suppress(OptionDoesNotExist):  # filtered out by the search
                    option_list.replace_option_prompt(code_id, self._prompt(by_id[code_id]))

    def matches(self) -> list[CodeView]:
        query = self._query.casefold().strip()
        if not query:
            return list(self.codes)
        return [
            c
            for c in self.codes
            if query in c.label.casefold()
            or query in c.slug.casefold()
            or query == self.keys.label(c)
        ]

    # ------------------------------------------------------------ search

    @on(Input.Changed, "#codebook-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, lambda: self._search(event.value))

    def _search(self, value: str) -> None:
        if value != self._query:
            self._query = value
            self._rebuild()

    @on(Input.Submitted, "#codebook-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            return  # Enter in an empty search tags nothing
        self._search(event.value)
        option_list = self.query_one(OptionList)
        chosen = self._code_at(option_list.highlighted)
        found = self.matches()
        if chosen is None and found:
            chosen = found[0]
        if chosen is not None:
            self.post_message(self.Chosen(self, chosen))

    def clear_search(self) -> None:
        self.query_one("#codebook-search", Input).value = ""
        self._search("")

    @on(OptionList.OptionSelected, "#codebook-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        code = self._code_at(event.option_index)
        if code is not None:
            self.post_message(self.Chosen(self, code))

    def _code_at(self, index: int | None) -> CodeView | None:
        if index is None:
            return None
        option_list = self.query_one(OptionList)
        try:
            option = option_list.get_option_at_index(index)
        except OptionDoesNotExist:
            return None
        return next((c for c in self.codes if c.id == option.id), None)

    # ------------------------------------------------------------ drawing

    def _rebuild(self) -> None:
        option_list = self.query_one(OptionList)
        highlighted = self._code_at(option_list.highlighted)
        found = self.matches()
        options: list[Option] = []
        dimension_keys = {name: key for key, name in self.keys.dimensions.items()}
        last: tuple[str, Polarity] | None = None
        for code in found:
            if last is None or last[0] != code.dimension:
                key = dimension_keys.get(code.dimension)  # none beyond nine dimensions
                header = self._header(key or " ", code.dimension)
                header_id = f"dimension-{key}" if key else None
                options.append(Option(header, id=header_id, disabled=True))
            if last != (code.dimension, code.polarity):
                heading = Text("  " + polarity_heading(code.polarity), style=_STYLE[code.polarity])
                options.append(Option(heading, disabled=True))
                last = (code.dimension, code.polarity)
            options.append(Option(self._prompt(code), id=code.id))
        if not options:
            options.append(Option(Text(_("No code matches"), style="dim"), disabled=True))
        option_list.clear_options()
        option_list.add_options(options)
        if highlighted is not None:
            try:
                option_list.highlighted = option_list.get_option_index(highlighted.id)
            except OptionDoesNotExist:
                option_list.highlighted = None

    def _header(self, key: str, name: str) -> Text:
        return Text(f"{key} {name}", style="bold", no_wrap=True, overflow="ellipsis")

    def _prompt(self, code: CodeView) -> Text:
        label = self.keys.label(code)
        text = Text("  ", no_wrap=True, overflow="ellipsis")
        text.append(f"{label or '  '}", style="bold")
        if code.id in self._mine:
            text.append(" ✓ ", style=style("mine"))
        elif code.id in self._others:
            text.append(" • ", style=style("others"))
        else:
            text.append("   ")
        text.append(code.label)
        return text
