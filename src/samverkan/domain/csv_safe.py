"""CSV for spreadsheets: no cell a spreadsheet would run as a formula, and its separator.

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some spreadsheets skip before looking) is read as a formula by Excel,
LibreOffice and Google Sheets: a note "=HYPERLINK(...)" would run when the file
is opened. Such a cell gets a leading apostrophe, which spreadsheets show as
text and do not display (OWASP's advice on CSV injection). A plain number such
as ``-0.25`` is no formula and stays as it is, so figures read back as numbers.

Swedish spreadsheets use the decimal comma and expect ``;`` between fields;
:func:`default_separator` picks that for the Swedish interface.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")
SEPARATORS = {",": ",", ";": ";", "tab": "\t", "\\t": "\t"}


def safe_cell(text: str) -> str:
    """The cell as a spreadsheet shows it as text, never runs it; a plain number stays."""
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def default_separator(lang: str) -> str:
    return ";" if lang == "sv" else ","


def write_csv(
    rows: Iterable[Sequence[str]], *, separator: str = ",", line_end: str = "\r\n"
) -> str:
    """Rows as CSV (RFC 4180 quoting), every cell made safe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, dialect="excel", delimiter=separator, lineterminator=line_end)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()
