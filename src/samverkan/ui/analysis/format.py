"""Texts of the analysis screen: column labels, remark lines, totals and agreement.

Everything a person typed goes into :class:`rich.text.Text` as plain text, never as
markup, so a remark with ``[brackets]`` shows as written.
"""

from __future__ import annotations

from rich.text import Text

from samverkan.domain.agreement import Agreement, Figure, format_figure, reading
from samverkan.domain.analysis import Analysis, Remark, View
from samverkan.domain.clock import format_duration
from samverkan.domain.labels import phase_kind_label, polarity_heading, polarity_label
from samverkan.domain.model import CodeView, Polarity
from samverkan.domain.tally import POLARITY_ORDER
from samverkan.i18n import _, ngettext

MAX_REMARKS = 200  # remarks listed for one cell; the count says how many more
_MARKS = {
    Polarity.SUCCESS: ("+ ", "green"),
    Polarity.OBSTACLE: ("− ", "red"),
    Polarity.AMBIVALENT: ("± ", "yellow"),
}


def polarity_mark(polarity: Polarity) -> tuple[str, str]:
    return _MARKS[polarity]


def column_label(analysis: Analysis, view: View, key: str | None) -> str:
    if view is View.MEETINGS:
        return str(analysis.series.number(key or ""))
    org = analysis.series.organisation(key)
    return org.short if org else _("group")


def cell_title(
    analysis: Analysis, code: CodeView, view: View | None, key: str | None, remarks: int
) -> Text:
    """``Personfaktorer · meeting 1 · 1 remark``: what the list below holds."""
    if view is View.MEETINGS:
        where = _("meeting {number}").format(number=analysis.series.number(key or ""))
    elif view is View.ORGANISATIONS:
        where = column_label(analysis, view, key)
    else:
        where = _("all meetings")
    count = ngettext("{n} remark", "{n} remarks", remarks).format(n=remarks)
    return Text(f"{code.label} · {where} · {count}", no_wrap=True, overflow="ellipsis")


_BARS = "▁▂▃▄▅▆▇█"


def trend_title(trend: tuple[int, ...]) -> Text:
    title = _("Remarks per meeting")
    if len(trend) <= 12:
        title += ": " + " ".join(str(n) for n in trend)
    return Text(title, no_wrap=True, overflow="ellipsis")


def trend_bars(trend: tuple[int, ...]) -> Text:
    """One bar per meeting, scaled to the busiest; a meeting without remarks is a dim floor."""
    top = max(trend, default=0)
    text = Text()
    gap = " " if len(trend) <= 20 else ""
    for index, count in enumerate(trend):
        if index:
            text.append(gap)
        if count == 0 or top == 0:
            text.append(_BARS[0], style="dim")
        else:
            level = 1 + round((count / top) * (len(_BARS) - 2))
            text.append(_BARS[level], style="bold")
    return text


def remark_prompt(analysis: Analysis, remark: Remark, code_id: str) -> Text:
    """``M2 · Samtal · SOD · 12:30 · Cecilia Norberg`` over the remark's text."""
    series = analysis.series
    phase = series.phases.get(remark.phase_id or "")
    org = series.organisation(remark.organisation_id)
    parts = [
        _("meeting {number}").format(number=series.number(remark.meeting_id)),
        phase.title if phase else phase_kind_label("other"),
        org.short if org else _("group"),
        format_duration(remark.offset_seconds),
        ", ".join(remark.observers_of(code_id)),
    ]
    return Text.assemble((" · ".join(parts), "dim"), "\n", remark.text)


def status_line(
    view: View, by_total: bool, polarity: Polarity | None, dimension: str | None, codes: int
) -> Text:
    pieces = [
        _("by meeting") if view is View.MEETINGS else _("by organisation"),
        _("most remarks first") if by_total else _("codebook order"),
        polarity_heading(polarity) if polarity else _("all polarities"),
        dimension or _("all dimensions"),
        _("{count} codes").format(count=codes),
    ]
    return Text(" · ".join(pieces), no_wrap=True, overflow="ellipsis")


def totals_lines(analysis: Analysis) -> list[Text]:
    """One line per dimension: the tagged remarks of each polarity."""
    lines: list[Text] = []
    for dimension in dict.fromkeys(t.dimension for t in analysis.totals):
        found = {t.polarity: t.count for t in analysis.totals if t.dimension == dimension}
        counts = " · ".join(f"{polarity_label(p)} {found[p]}" for p in POLARITY_ORDER if p in found)
        lines.append(Text.assemble((dimension, "bold"), ": ", counts, no_wrap=True))
    return lines


def _figure(symbol: str, figure: Figure, *, kappa: bool) -> str:
    return f"{symbol} {format_figure(figure.value)} ({reading(figure, kappa=kappa)})"


def agreement_line(result: Agreement | None) -> Text:
    if result is None:
        return Text(_("Agreement: computing…"), style="dim")
    if result.units == 0:
        return Text(_("Agreement: no meeting was tagged by two or more observers."), style="dim")
    # The pooled figures: every (remark, code) pair as one present/absent decision.
    head = _("Agreement of {names} over {units} remarks, all codes pooled").format(
        names=", ".join(result.observers), units=result.units
    )
    body = " · ".join(
        [_figure("κ", result.kappa, kappa=True), _figure("α", result.alpha, kappa=False)]
    )
    return Text.assemble((head, "bold"), ": ", body, no_wrap=True, overflow="ellipsis")


def code_agreement_line(result: Agreement | None, code_id: str) -> Text:
    if result is None:
        return Text("")
    for figures in result.codes:
        if figures.code_id == code_id:
            return Text(
                _figure("κ", figures.kappa, kappa=True)
                + "\n"
                + _figure("α", figures.alpha, kappa=False)
            )
    if result.units == 0:
        return Text(_("No agreement figures: one observer per meeting."), style="dim")
    return Text(_("No agreement figures: no observer used this code there."), style="dim")
