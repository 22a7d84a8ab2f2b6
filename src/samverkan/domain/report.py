"""The report for the steering group (*styrgruppen*): the whole series, as Markdown.

:func:`render_report` is pure and deterministic: the same :class:`Analysis` gives
the same bytes. It reads no clock (speaking time is replayed up to each meeting's
last recorded event) and prints no creation time. It renders in the project's
language unless told otherwise; every text a person typed (notes, names, titles,
code labels) goes through :mod:`samverkan.domain.markdown_safe` and stays literal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from samverkan.domain import markdown_safe as md
from samverkan.domain.analysis import Analysis, MeetingInfo, Remark, participation, paused_gc
from samverkan.domain.clock import format_duration
from samverkan.domain.labels import owner_label, polarity_heading, polarity_label
from samverkan.domain.model import CodeView, MeetingStatus, NoteKind
from samverkan.domain.report_agreement import agreement_section, table
from samverkan.domain.tally import POLARITY_ORDER
from samverkan.i18n import _, ngettext, use_language

TIED_LABELS = 3  # codes named when several share an organisation's top count
DASH = "–"
cell = md.table_cell


def render_report(analysis: Analysis, *, lang: str | None = None) -> str:
    """The report as Markdown ending in one newline, in ``lang`` or the project's language.

    It needs of the series' remarks only the decisions, the action items and the
    quotes the tally chose (``read_series(..., tagged=False)`` reads no more).
    """
    with paused_gc(), use_language(lang or analysis.series.lang):
        blocks = [
            *_header(analysis),
            *_codes(analysis),
            *_organisations(analysis),
            *_participation(analysis),
            *_decisions(analysis),
            *_actions(analysis),
            *agreement_section(analysis),
        ]
        # The newline on the last block, not on the whole text: over 500 meetings that
        # is an 11 MB copy at the moment memory peaks.
        blocks[-1] += "\n"
        return "\n\n".join(blocks)


# ------------------------------------------------------------------ helpers


def meeting_ref(meeting: MeetingInfo | None) -> str:
    return _("meeting {number}").format(number=meeting.number) if meeting else DASH


def number_ranges(numbers: Iterable[int]) -> str:
    """``1, 2, 3, 5`` as ``1–3, 5``: runs of three or more become ranges."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(str(n) for n in run)
    return ", ".join(parts)


def remarks_count(n: int) -> str:
    return ngettext("{n} remark", "{n} remarks", n).format(n=n)


def _org_short(analysis: Analysis, organisation_id: str | None) -> str:
    org = analysis.series.organisation(organisation_id)
    return org.short if org else _("the group")


def _held(analysis: Analysis) -> tuple[MeetingInfo, ...]:
    """Meetings that were started, or hold notes although nobody started the clock."""
    noted = {meeting_id for (meeting_id, _org), n in analysis.series.note_counts.items() if n}
    return tuple(
        m
        for m in analysis.series.meetings
        if m.status is not MeetingStatus.PLANNED or m.id in noted
    )


# ------------------------------------------------------------------ sections


def _header(analysis: Analysis) -> list[str]:
    series = analysis.series
    held = _held(analysis)
    dates = [m.date for m in series.meetings if m.date is not None]
    lines = [
        _("{held} of {planned} meetings held").format(held=len(held), planned=len(series.meetings))
        + (f", {dates[0].isoformat()} – {dates[-1].isoformat()}" if dates else "")
        + ".",
    ]
    lines.append(
        _("Organisations: {names}.").format(
            names=", ".join(f"{o.name} ({o.short})" for o in series.organisations) or DASH
        )
    )
    if series.observers:
        lines.append(_("Observers: {names}.").format(names=", ".join(series.observers)))
    lines.append(
        _(
            "The figures count tagged remarks: a remark counts once for each code an "
            "observer gave it, however many observers did."
        )
    )
    title = _("Report to the steering group: {project}").format(project=series.name)
    return ["# " + md.heading(title), "\\\n".join(md.inline(line) for line in lines)]


def _codes(analysis: Analysis) -> list[str]:
    blocks = ["## " + _("Recurring success factors and obstacles")]
    blocks.append(_totals_table(analysis))
    held = len(_held(analysis))
    totals = analysis.by_meeting.row_totals
    dimensions: dict[str, list[CodeView]] = {}
    for code in analysis.series.codes:
        dimensions.setdefault(code.dimension, []).append(code)
    for dimension, codes in dimensions.items():
        blocks.append("### " + md.heading(dimension))
        seen_any = False
        for polarity in POLARITY_ORDER:
            used = [c for c in codes if c.polarity is polarity and totals.get(c.id)]
            if not used:
                continue
            seen_any = True
            used.sort(key=lambda c: (-totals[c.id], c.position))
            blocks.append("#### " + md.heading(polarity_heading(polarity)))
            blocks.append("\n".join(_code_item(analysis, code, held) for code in used))
        if not seen_any:
            blocks.append(_("No remark was tagged with a code of this dimension."))
    return blocks


def _totals_table(analysis: Analysis) -> str:
    """Tagged remarks per dimension and polarity (sums of the code counts)."""
    head = [cell(_("Dimension")), *(cell(polarity_heading(p)) for p in POLARITY_ORDER)]
    found = {(t.dimension, t.polarity): t.count for t in analysis.totals}
    rows = [
        [cell(dimension)]
        + [str(found[(dimension, p)]) if (dimension, p) in found else DASH for p in POLARITY_ORDER]
        for dimension in dict.fromkeys(t.dimension for t in analysis.totals)
    ]
    return table(head, rows)


def _code_item(analysis: Analysis, code: CodeView, held: int) -> str:
    matrix = analysis.by_meeting
    numbers = [m.number for m in analysis.series.meetings if matrix.count(code.id, m.id)]
    summary = _("{remarks} in {meetings} of {held} meetings ({numbers})").format(
        remarks=remarks_count(matrix.row_totals[code.id]),
        meetings=len(numbers),
        held=held,
        numbers=number_ranges(numbers),
    )
    lines = [f"- **{md.inline(code.label)}**: {md.inline(summary)}"]
    for remark in representative(analysis, code.id):
        meta = f"{meeting_ref(analysis.series.meeting(remark.meeting_id))}, " + _org_short(
            analysis, remark.organisation_id
        )
        lines.append(f"  - {md.inline(meta)}: {md.inline(remark.text, indent=4)}")
    return "\n".join(lines)


def representative(analysis: Analysis, code_id: str) -> tuple[Remark, ...]:
    """The remarks to quote for a code: most observers agreeing first, from different meetings.

    Ties go to the earlier meeting and remark, so the choice is the same every time
    (chosen as the read passes, see :class:`~samverkan.domain.series_tally.QuoteChoice`).
    """
    return analysis.quotes.get(code_id, ())


def _organisations(analysis: Analysis) -> list[str]:
    matrix = analysis.by_organisation
    used = [c for c in matrix.codes if matrix.row_totals.get(c.id)]
    blocks = ["## " + _("Differences between organisations")]
    if not used:
        return [*blocks, _("No remark was tagged yet.")]
    summary: list[str] = []
    for column in matrix.columns:
        name = _org_short(analysis, column)
        parts = []
        for polarity in (POLARITY_ORDER[0], POLARITY_ORDER[1]):
            counts = [(matrix.count(c.id, column), c) for c in used if c.polarity is polarity]
            top = max((n for n, _c in counts), default=0)
            labels = [c.label for n, c in counts if n == top and top > 0]
            if len(labels) > TIED_LABELS:  # many ties say little: name a few
                labels = [*labels[:TIED_LABELS], "…"]
            text = ", ".join(labels) + f" ({top})" if labels else DASH
            parts.append(f"{polarity_label(polarity)}: {text}")
        summary.append(f"- **{md.inline(name)}**: " + md.inline("; ".join(parts)))
    blocks.append(_("Most frequent per organisation:") + "\n\n" + "\n".join(summary))
    head = [_("Code"), _("Polarity"), *(_org_short(analysis, c) for c in matrix.columns)]
    rows = [
        [cell(code.label), cell(polarity_label(code.polarity))]
        + [str(matrix.count(code.id, column) or "") for column in matrix.columns]
        for code in used
    ]
    blocks.append(table([cell(h) for h in head], rows))
    return blocks


def _participation(analysis: Analysis) -> list[str]:
    series = analysis.series
    blocks = ["## " + _("Participation")]
    blocks.append(
        _("Remarks written for each organisation, and its speaking time (minutes:seconds).")
    )
    figures = {(p.meeting_id, p.organisation_id): p for p in participation(series)}
    head = [cell(_("Meeting")), *(cell(o.short) for o in series.organisations)]
    rows: list[list[str]] = []
    remarks = dict.fromkeys((o.id for o in series.organisations), 0)
    seconds = dict.fromkeys((o.id for o in series.organisations), 0.0)
    held_ids = {m.id for m in _held(analysis)}
    for meeting in series.meetings:
        cells = [str(meeting.number)]
        for org in series.organisations:
            p = figures[(meeting.id, org.id)]
            remarks[org.id] += p.remarks
            seconds[org.id] += p.seconds
            held = meeting.id in held_ids
            cells.append(f"{p.remarks} · {format_duration(p.seconds)}" if held else DASH)
        rows.append(cells)
    rows.append(
        [cell(_("Total"))]
        + [f"{remarks[o.id]} · {format_duration(seconds[o.id])}" for o in series.organisations]
    )
    blocks.append(table(head, rows))
    return blocks


def _decisions(analysis: Analysis) -> list[str]:
    blocks = ["## " + _("Decisions")]
    # "meeting N, ORG" once per meeting and organisation, not per decision (25,000
    # over 500 meetings).
    metas: dict[tuple[str, str | None], str] = {}
    items = []
    for r in analysis.series.remarks:
        if r.kind is NoteKind.DECISION:
            key = (r.meeting_id, r.organisation_id)
            meta = metas.get(key)
            if meta is None:
                meta = metas[key] = md.inline(_decision_meta(analysis, r))
            items.append(f"- {meta}: {md.inline(r.text, indent=2)}")
    blocks.append("\n".join(items) if items else _("No decisions were recorded."))
    return blocks


def _decision_meta(analysis: Analysis, remark: Remark) -> str:
    meeting = meeting_ref(analysis.series.meeting(remark.meeting_id))
    return f"{meeting}, {_org_short(analysis, remark.organisation_id)}"


def _actions(analysis: Analysis) -> list[str]:
    blocks = ["## " + _("Action items")]
    actions = [r for r in analysis.series.remarks if r.kind is NoteKind.ACTION]
    if not actions:
        return [*blocks, _("No action items were recorded.")]
    head = [_("Meeting"), _("Action item"), _("Owner"), _("Due"), _("Status")]

    status = {True: cell(_("done")), False: cell(_("open"))}
    owners: dict[tuple[str | None, str | None], str] = {}

    def owner_cell(action: Remark) -> str:
        key = (action.owner_organisation_id, action.owner_person_id)
        found = owners.get(key)
        if found is None:
            owner = analysis.series.organisation(action.owner_organisation_id)
            person = analysis.series.people.get(action.owner_person_id or "")
            found = owners[key] = cell(owner_label(person, owner.name if owner else None))
        return found

    def rows() -> Iterator[list[str]]:
        # One row at a time into the table: 40,000 action items over 500 meetings.
        for action in actions:
            yield [
                str(analysis.series.number(action.meeting_id)),
                cell(action.text),
                owner_cell(action),
                action.due.isoformat() if action.due else DASH,
                status[action.done],
            ]

    open_count = sum(1 for a in actions if not a.done)
    blocks.append(table([cell(h) for h in head], rows()))
    blocks.append(
        _("{open} of {total} action items are still open.").format(
            open=open_count, total=len(actions)
        )
    )
    return blocks
