"""The meeting's tally, as the observer feeds it back in the observation phase.

Per dimension and polarity: each code seen, how often, for which
organisations, by whom, and the remarks behind it. Shared by the observer's
screen and the facilitator's (in its observation phase): give it the result
of :func:`samverkan.domain.tally.tally` and the project's organisations.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from samverkan.domain.labels import polarity_heading
from samverkan.domain.model import OrganisationView, Polarity
from samverkan.domain.tally import CodeTally, DimensionTally
from samverkan.i18n import _, ngettext
from samverkan.ui.theme_colours import style

_POLARITY_STYLE = {
    Polarity.SUCCESS: "bold green",
    Polarity.OBSTACLE: "bold red",
    Polarity.AMBIVALENT: "bold yellow",
}


class TallyView(VerticalScroll, can_focus=True):
    """A scrollable, read-only rendering of a tally."""

    DEFAULT_CSS = """
    TallyView {
        background: $surface;
        padding: 0 1;
    }
    TallyView > Static {
        width: 1fr;
    }
    """

    def __init__(
        self,
        *,
        max_remarks: int | None = 3,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        # Remarks listed under each code; the rest are counted ("… 4 more").
        self.max_remarks = max_remarks
        self._body = Static(Text(_("No tags yet.")), classes="tally-body")

    def compose(self) -> ComposeResult:
        yield self._body

    def show(
        self, result: Sequence[DimensionTally], organisations: Sequence[OrganisationView]
    ) -> None:
        self._body.update(render_tally(result, organisations, max_remarks=self.max_remarks))


def render_tally(
    result: Sequence[DimensionTally],
    organisations: Sequence[OrganisationView],
    *,
    max_remarks: int | None = 3,
) -> Text:
    """The tally as Rich text; usable in any widget (or printed)."""
    shorts = {o.id: o.short for o in organisations}
    text = Text()
    if not result:
        text.append(_("No tags yet."), style="dim")
        return text
    for index, dimension in enumerate(result):
        if index:
            text.append("\n")
        text.append(dimension.dimension, style="bold underline")
        text.append(
            "  "
            + ngettext("{count} remark", "{count} remarks", dimension.total).format(
                count=dimension.total
            )
            + "\n",
            style="dim",
        )
        for part in dimension.polarities:
            text.append(
                "  " + polarity_heading(part.polarity) + "\n", _POLARITY_STYLE[part.polarity]
            )
            for code in part.codes:
                _code(text, code, shorts, max_remarks)
    return text


def _code(text: Text, code: CodeTally, shorts: dict[str, str], max_remarks: int | None) -> None:
    whole = _("whole group")
    orgs = ", ".join(
        f"{shorts.get(org or '', whole) if org else whole} {count}"
        for org, count in code.by_organisation
    )
    text.append(f"    {code.code.label}", style="bold")
    text.append(f"  ×{code.count}", style="bold")
    text.append(f"  {orgs}", style=style("tags"))
    if code.observers:
        text.append("  (" + ", ".join(code.observers) + ")", style="dim italic")
    text.append("\n")
    shown = code.notes if max_remarks is None else code.notes[:max_remarks]
    for note in shown:
        who = shorts.get(note.organisation_id or "", "") or _("whole group")
        text.append(f"      – {note.text}", style="")
        text.append(f"  {who}\n", style="dim")
    hidden = len(code.notes) - len(shown)
    if hidden > 0:
        text.append("      " + _("… {count} more").format(count=hidden) + "\n", style="dim")
