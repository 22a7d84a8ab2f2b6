"""``samverkan agreement``: the figures at full precision, and the data they come from.

:func:`agreement_figures` computes κ, α and a bootstrap interval for α per code
and pooled; :func:`render_table`, :func:`render_csv` and :func:`render_json` write
them; :func:`render_matrix` writes the reliability data itself, one row per
(remark, code) and one column per observer, holding 1 (present), 0 (absent) or
NA (the observer did not code that meeting). R reads it as it is::

    d <- read.csv("matrix.csv", check.names = FALSE)
    x <- t(as.matrix(d[d$code == "gemensamt-synsatt", -(1:3)]))  # observers x units
    irr::kripp.alpha(x, "nominal")   # α of one code; all rows: the pooled α

Numbers are written with all the digits a float holds (``repr``), so a figure
can be checked against another program to the last digit.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from samverkan.domain.agreement import Agreement, BinaryData, Figure, undefined_reason
from samverkan.domain.agreement_interval import LEVEL, SAMPLES, SEED, Interval, alpha_interval
from samverkan.domain.analysis import series_agreement
from samverkan.domain.csv_safe import write_csv
from samverkan.domain.model import NoteKind
from samverkan.domain.series import Series
from samverkan.i18n import _

POOLED = "pooled"


@dataclass(frozen=True)
class Row:
    """One line of figures: a code, or every code pooled."""

    scope: str  # "code" or "pooled"
    code: str  # the slug; empty for the pooled line
    label: str
    present: int  # values "present"
    values: int  # values in all (units × coders who coded them)
    units: int
    kappa: Figure
    alpha: Figure
    interval: Interval | None


@dataclass(frozen=True)
class Figures:
    project: str
    meetings: tuple[int, ...]  # the meetings two or more observers coded, in scope
    observers: tuple[str, ...]
    remarks: int  # units per code: the facilitator's notes of those meetings
    rows: tuple[Row, ...]  # the pooled line first, then codebook order
    samples: int
    seed: str


def agreement_figures(
    series: Series,
    *,
    meetings: Collection[str] | None = None,
    samples: int = SAMPLES,
    seed: str = SEED,
) -> Figures:
    result = series_agreement(series, meetings)
    coded = tuple(
        m.number
        for m in series.meetings
        if len(series.coders.get(m.id, ())) >= 2 and (meetings is None or m.id in meetings)
    )
    rows = [
        _row(POOLED, "", _("all codes: pooled present/absent decisions"), result.kappa,
             result.alpha, result.data, samples, seed)
    ]  # fmt: skip
    for figures in result.codes:
        code = series.code(figures.code_id)
        slug, label = (code.slug, code.label) if code else (figures.code_id, figures.code_id)
        rows.append(
            _row("code", slug, label, figures.kappa, figures.alpha, figures.data, samples, seed)
        )
    return Figures(series.short, coded, result.observers, result.units, tuple(rows), samples, seed)


def _row(
    scope: str,
    slug: str,
    label: str,
    kappa: Figure,
    alpha: Figure,
    data: BinaryData | None,
    samples: int,
    seed: str,
) -> Row:
    interval = None
    if data is not None and alpha.value is not None:
        interval = alpha_interval(data, key=slug or POOLED, seed=seed, samples=samples)
    present = data.present if data else 0
    values = data.values if data else 0
    return Row(scope, slug, label, present, values, alpha.units, kappa, alpha, interval)


# ------------------------------------------------------------------ figures


def method_lines(figures: Figures) -> list[str]:
    """The method in plain sentences, for the table and the JSON."""
    return [
        _(
            "Units are the facilitator's notes of each meeting two or more observers "
            "tagged; the observers' own observations are not units."
        ),
        _(
            "Each code is scored present or absent on every note by every observer who "
            "tagged anything in that meeting; a note an observer left untagged counts as "
            "absent, and an observer who did not code a meeting is missing there."
        ),
        _(
            "κ is Cohen's kappa (only with exactly two observers), α is Krippendorff's "
            "nominal alpha; the pooled line treats every (note, code) pair as one "
            "present/absent decision, so it is not a multi-category α."
        ),
        _(
            "The 95 % interval for α is a bootstrap of {samples} samples of pairs of "
            "values (Hayes & Krippendorff 2007), seeded with “{seed}”."
        ).format(samples=figures.samples, seed=figures.seed),
    ]


def _number(value: float | None) -> str:
    return "NA" if value is None else repr(value)


def _fields(row: Row) -> list[str]:
    low = row.interval.low if row.interval else None
    high = row.interval.high if row.interval else None
    return [
        row.scope,
        row.code,
        row.label,
        str(row.units),
        str(row.present),
        str(row.values),
        _number(row.kappa.value),
        _number(row.alpha.value),
        _number(low),
        _number(high),
    ]


CSV_COLUMNS = (
    "scope",
    "code",
    "label",
    "units",
    "present",
    "values",
    "kappa",
    "alpha",
    "alpha_ci_low",
    "alpha_ci_high",
)


def render_csv(figures: Figures, *, separator: str = ",") -> str:
    return write_csv([CSV_COLUMNS, *(_fields(r) for r in figures.rows)], separator=separator)


def render_json(figures: Figures) -> str:
    def figure(f: Figure) -> dict[str, object]:
        return {
            "value": f.value,
            "units": f.units,
            "undefined": str(f.undefined) if f.undefined else None,
        }

    doc = {
        "project": figures.project,
        "meetings": list(figures.meetings),
        "observers": list(figures.observers),
        "remarks": figures.remarks,
        "method": method_lines(figures),
        "bootstrap": {"samples": figures.samples, "seed": figures.seed, "level": LEVEL},
        "rows": [
            {
                "scope": r.scope,
                "code": r.code or None,
                "label": r.label,
                "units": r.units,
                "present": r.present,
                "values": r.values,
                "kappa": figure(r.kappa),
                "alpha": figure(r.alpha),
                "alpha_ci": [r.interval.low, r.interval.high] if r.interval else None,
            }
            for r in figures.rows
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_table(figures: Figures) -> str:
    """Aligned plain text for a terminal: the figures in full, then how they were computed."""
    if not figures.meetings:
        return _("No meeting was tagged by two or more observers, so there is no agreement.") + "\n"
    head = [_("code"), _("units"), _("present"), "κ", "α", _("α 95 % interval")]
    lines = [head]
    for row in figures.rows:
        interval = f"{row.interval.low!r} … {row.interval.high!r}" if row.interval else "–"
        lines.append(
            [
                row.code or _("all codes (pooled)"),
                str(row.units),
                str(row.present),
                _shown(row.kappa),
                _shown(row.alpha),
                interval,
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    text = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    ]
    intro = _("Observers {names}; meetings {numbers}; {remarks} remarks per code.").format(
        names=", ".join(figures.observers),
        numbers=", ".join(str(n) for n in figures.meetings),
        remarks=figures.remarks,
    )
    undefined = sorted(
        {
            undefined_reason(f.undefined)
            for r in figures.rows
            for f in (r.kappa, r.alpha)
            if f.undefined is not None
        }
    )
    notes = [f"– {reason}" for reason in undefined]
    return "\n".join([intro, "", *text, "", *notes, *method_lines(figures)]) + "\n"


def _shown(figure: Figure) -> str:
    return "–" if figure.value is None else repr(figure.value)


# ------------------------------------------------------------------ the data


def matrix_rows(
    series: Series,
    record: Sequence[tuple[str, str]],
    *,
    meetings: Collection[str] | None = None,
) -> list[list[str]]:
    """The reliability data: header, then one row per (note, code) with 1, 0 or NA per observer.

    ``record`` is (meeting id, note id) of every note of the facilitator's record
    (observations left out), in meeting and time order. The codes and observers
    are those the figures use.
    """
    result: Agreement = series_agreement(series, meetings)
    observers = result.observers
    codes = [(c.code_id, series.code(c.code_id)) for c in result.codes]
    tags = {r.id: set(r.tags) for r in series.remarks if r.kind is not NoteKind.OBSERVATION}
    rows: list[list[str]] = [["meeting", "note_id", "code", *observers]]
    for meeting_id, note_id in record:
        coders = series.coders.get(meeting_id, frozenset())
        if len(coders) < 2 or (meetings is not None and meeting_id not in meetings):
            continue
        number = str(series.number(meeting_id))
        given = tags.get(note_id, set())
        for code_id, code in codes:
            rows.append(
                [number, note_id, code.slug if code else code_id]
                + [
                    ("1" if (code_id, o) in given else "0") if o in coders else "NA"
                    for o in observers
                ]
            )
    return rows


def render_matrix(rows: Sequence[Sequence[str]]) -> str:
    """Comma-separated, UTF-8 without a byte-order mark, as R's read.csv expects."""
    return write_csv(rows, separator=",", line_end="\n")
