"""No CSV cell a spreadsheet would run as a formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.csv_safe import FORMULA_STARTS, default_separator, safe_cell, write_csv

cells = st.text(alphabet=st.sampled_from(list("=+-@\t\r\n;,\"' 1a.å")), max_size=8) | st.text()


@given(st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=5),
       st.sampled_from([",", ";", "\t"]))  # fmt: skip
def test_no_cell_starts_a_formula(rows: list[list[str]], separator: str) -> None:
    text = write_csv(rows, separator=separator)
    back = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    assert len(back) == len(rows)
    for original, read in zip(rows, back, strict=True):
        for before, cell in zip(original, read, strict=True):
            assert not cell.startswith(FORMULA_STARTS) or _is_number(cell)
            # Nothing is lost: the apostrophe is the only change.
            assert cell in (before, "'" + before)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_the_examples() -> None:
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("+46 70") == "'+46 70"
    assert safe_cell("-- inte en formel") == "'-- inte en formel"
    assert safe_cell("@AF ringer") == "'@AF ringer"
    assert safe_cell("-0.25") == "-0.25"
    assert safe_cell("Vanlig text = ok") == "Vanlig text = ok"
    assert default_separator("sv") == ";"
    assert default_separator("en") == ","
