"""Every note of a project and its tags as CSV, for spreadsheets and QDA tools.

What the file holds, precisely:

- one row per tag: (note, code, observer); a note two observers tagged with the
  same code gives two rows;
- one row for every note nobody tagged, with ``observer`` and the code columns
  empty: notes of the facilitator's record and observers' own notes alike
  (``kind`` says which), so the file holds every note that is not deleted;
- ``coders`` names, on every row, the observers who coded that meeting's record
  (tagged a note of it, as the agreement figures count them), separated by
  ``; ``. With it agreement can be recomputed from the file alone: a coder with
  no row for a note and code said "absent"; an observer not among the coders is
  missing there. (``samverkan agreement --matrix`` writes that table directly.)

The format, chosen for Excel and for scripts alike:

- UTF-8 with a byte-order mark, so Excel shows å, ä and ö right when the file is
  opened with a double click (pandas, R and QDA tools skip the mark);
- fields separated by ``;`` for the Swedish interface (what a Swedish Excel
  expects) and by ``,`` otherwise, or as ``--sep`` says; quoted where needed, CRLF
  line ends (RFC 4180, the ``csv`` module's ``excel`` dialect);
- a cell a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``
  or ``@``) gets a leading apostrophe (see :mod:`samverkan.domain.csv_safe`);
- column names in English and values as stored (polarity ``success``,
  ``obstacle``, ``ambivalent``; organisation and meeting as their short code and
  number), so scripts do not depend on the interface language;
- ``time`` is the note's time in ISO 8601 with its UTC offset, in Swedish
  local time (Europe/Stockholm), as the minutes show it; ``offset`` is seconds
  since the meeting started.

Rows come in meeting order, then time, then codebook order, then observer.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from samverkan.domain.csv_safe import write_csv
from samverkan.domain.observers import distinct
from samverkan.domain.series import Remark, Series

COLUMNS = (
    "meeting",
    "meeting_title",
    "date",
    "phase",
    "phase_kind",
    "organisation",
    "observer",
    "code",
    "code_label",
    "dimension",
    "polarity",
    "kind",
    "text",
    "time",
    "offset",
    "note_id",
    "coders",
)
BOM = "\ufeff"
TIME_ZONE = "Europe/Stockholm"


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def tag_rows(series: Series, zone: str = TIME_ZONE) -> list[tuple[str, ...]]:
    """Every note of ``series.remarks`` (read with ``every_note=True``) and its tags."""
    local = _zone(zone)
    coders = {m: "; ".join(distinct(names)) for m, names in series.coders.items()}
    rows: list[tuple[str, ...]] = []
    for remark in series.remarks:
        meeting = series.meeting(remark.meeting_id)
        phase = series.phases.get(remark.phase_id or "")
        org = series.organisation(remark.organisation_id)
        note = (
            str(meeting.number) if meeting else "",
            meeting.title if meeting else "",
            meeting.date.isoformat() if meeting and meeting.date else "",
            phase.title if phase else "",
            phase.kind.value if phase else "",
            org.short if org else "",
        )
        after = _after(remark, local, coders.get(remark.meeting_id, ""))
        tagged = False
        for code_id, observer in remark.tags:
            code = series.code(code_id)
            if code is None:
                continue
            tagged = True
            coded = (code.slug, code.label, code.dimension, code.polarity.value)
            rows.append((*note, observer, *coded, *after))
        if not tagged:
            rows.append((*note, "", "", "", "", "", *after))
    return rows


def _after(remark: Remark, local: tzinfo, coders: str) -> tuple[str, ...]:
    return (
        remark.kind.value,
        remark.text,
        remark.created_at.astimezone(local).isoformat(timespec="seconds"),
        f"{remark.offset_seconds:.0f}",
        remark.id,
        coders,
    )


def render_tags_csv(series: Series, zone: str = TIME_ZONE, *, separator: str = ",") -> str:
    """The CSV text, starting with the byte-order mark."""
    return BOM + write_csv([COLUMNS, *tag_rows(series, zone)], separator=separator)
