"""The report's section on observer agreement: κ and α per code and overall, with readings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from samverkan.domain import markdown_safe as md
from samverkan.domain.agreement import Figure, format_figure, reading
from samverkan.domain.analysis import Analysis
from samverkan.i18n import _, ngettext


def agreement_section(analysis: Analysis) -> list[str]:
    result = analysis.agreement
    blocks = ["## " + _("Agreement between observers")]
    if result.units == 0:
        blocks.append(
            _(
                "No meeting was tagged by two or more observers, so their agreement "
                "cannot be computed."
            )
        )
        return blocks
    coded = [
        m
        for m in analysis.series.meetings
        if len(analysis.series.coders.get(m.id, frozenset())) >= 2
    ]
    numbers = ", ".join(str(m.number) for m in coded)
    blocks.append(
        md.inline(
            ngettext(
                "Observers {names} tagged meeting {numbers}: its {units} remarks are the units.",
                "Observers {names} tagged meetings {numbers}: their {units} remarks are the units.",
                len(coded),
            ).format(names=", ".join(result.observers), numbers=numbers, units=result.units)
        )
    )
    blocks.append(
        md.inline(
            _(
                "Each code is scored present or absent on every remark of the facilitator's "
                "record by every observer who tagged in that meeting; a remark an observer "
                "left untagged counts as absent. The observers' own observations are not "
                "units. κ is Cohen's kappa (two observers), read with Landis & Koch's bands; "
                "α is Krippendorff's nominal alpha, read with his thresholds 0.667 and 0.800."
            )
        )
        + "\\\n"
        + md.inline(
            _(
                "The pooled line counts every remark-and-code pair as one present/absent "
                "decision: it is not a multi-category α. The figures at full precision, a "
                "95 % interval for α and the data they come from: samverkan agreement."
            )
        )
    )
    head = [_("Code"), "κ", _("reading of κ"), "α", _("reading of α")]
    rows = [_cells(_("All codes, pooled present/absent"), result.kappa, result.alpha)]
    for figures in result.codes:
        code = analysis.series.code(figures.code_id)
        label = code.label if code else figures.code_id
        rows.append(_cells(label, figures.kappa, figures.alpha))
    blocks.append(table([md.table_cell(h) for h in head], rows))
    return blocks


def _cells(label: str, kappa: Figure, alpha: Figure) -> list[str]:
    # Figures are digits and a decimal sign: nothing to escape, and escaping
    # "1.00" would show a backslash in plain-text readers.
    return [
        md.table_cell(label),
        format_figure(kappa.value),
        md.table_cell(reading(kappa, kappa=True)),
        format_figure(alpha.value),
        md.table_cell(reading(alpha, kappa=False)),
    ]


def table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A GFM table; cells are Markdown already (escape text with ``md.table_cell``)."""
    lines = [_row(head), _row(["---"] * len(head))]
    lines += [_row(cells) for cells in rows]
    return "\n".join(lines)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"
