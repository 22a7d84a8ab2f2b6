"""Every tagged remark as CSV, one row per tag, for spreadsheets and QDA tools.

The format, chosen for Excel and for scripts alike:

- UTF-8 with a byte-order mark, so Excel shows å, ä and ö right when the file is
  opened with a double click (pandas, R and QDA tools skip the mark);
- comma-separated, fields quoted where needed, CRLF line ends (RFC 4180, the
  ``csv`` module's ``excel`` dialect). A Swedish Excel that expects semicolons
  opens it through Data > From Text/CSV;
- one row per (remark, code, observer): a remark two observers tagged with the
  same code gives two rows, so agreement can be recomputed from the file;
- column names in English and values as stored (polarity ``success``,
  ``obstacle``, ``ambivalent``; organisation and meeting as their short code and
  number), so scripts do not depend on the interface language;
- ``time`` is the remark's time in ISO 8601 with its UTC offset, in Swedish
  local time (Europe/Stockholm), as the minutes show it; ``offset`` is seconds
  since the meeting started.

Rows come in meeting order, then time, then codebook order, then observer.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from samverkan.domain.series import Series

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
)
BOM = "\ufeff"
TIME_ZONE = "Europe/Stockholm"


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def tag_rows(series: Series, zone: str = TIME_ZONE) -> list[tuple[str, ...]]:
    local = _zone(zone)
    rows: list[tuple[str, ...]] = []
    for remark in series.remarks:
        if not remark.tags:
            continue
        meeting = series.meeting(remark.meeting_id)
        phase = series.phases.get(remark.phase_id or "")
        org = series.organisation(remark.organisation_id)
        for code_id, observer in remark.tags:
            code = series.code(code_id)
            if code is None:
                continue
            rows.append(
                (
                    str(meeting.number) if meeting else "",
                    meeting.title if meeting else "",
                    meeting.date.isoformat() if meeting and meeting.date else "",
                    phase.title if phase else "",
                    phase.kind.value if phase else "",
                    org.short if org else "",
                    observer,
                    code.slug,
                    code.label,
                    code.dimension,
                    code.polarity.value,
                    remark.kind.value,
                    remark.text,
                    remark.created_at.astimezone(local).isoformat(timespec="seconds"),
                    f"{remark.offset_seconds:.0f}",
                    remark.id,
                )
            )
    return rows


def render_tags_csv(series: Series, zone: str = TIME_ZONE) -> str:
    """The CSV text, starting with the byte-order mark."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, dialect="excel")
    writer.writerow(COLUMNS)
    writer.writerows(tag_rows(series, zone))
    return BOM + buffer.getvalue()
