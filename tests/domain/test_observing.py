"""Code keys and the observation line: pure functions, no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.errors import UserError
from samverkan.domain.model import CodeView, OrganisationView, Polarity
from samverkan.domain.observing import (
    assign_code_keys,
    complete_observation,
    parse_observation,
)

ORGS = (
    OrganisationView("o-ske", "SKE", "Skellefteå kommun", "municipality", 0),
    OrganisationView("o-af", "AF", "Arbetsförmedlingen", "employment_service", 1),
)


def codebook(sizes: tuple[int, ...]) -> tuple[CodeView, ...]:
    codes: list[CodeView] = []
    for d, size in enumerate(sizes):
        for i in range(size):
            codes.append(
                CodeView(
                    id=f"c{d}-{i}",
                    slug=f"kod-{d}-{i}",
                    label=f"Kod {d}.{i}",
                    description="",
                    dimension=f"Dimension {d}",
                    polarity=Polarity.SUCCESS,
                    hotkey="",
                    position=len(codes),
                )
            )
    return tuple(codes)


def test_forty_codes_get_unique_two_key_sequences() -> None:
    codes = codebook((15, 19, 6))
    keys = assign_code_keys(codes)
    assert len(set(keys.labels.values())) == 40
    assert keys.dimensions == {"1": "Dimension 0", "2": "Dimension 1", "3": "Dimension 2"}
    assert keys.label(codes[0]) == "11" and keys.label(codes[9]) == "10"
    assert keys.label(codes[10]) == "1a" and keys.label(codes[15]) == "21"
    assert keys.code("2", "I") == codes[15 + 18]  # the second key ignores case


@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=12))
def test_keys_are_unique_and_resolve_back(sizes: list[int]) -> None:
    codes = codebook(tuple(sizes))
    keys = assign_code_keys(codes)
    assert len(set(keys.labels.values())) == len(keys.labels)
    for (dimension_key, code_key), code in keys.codes.items():
        assert keys.label(code) == dimension_key + code_key
    # Beyond 9 dimensions or 36 codes in one, codes are reached by search instead.
    assert len(keys.labels) == sum(min(n, 36) for n in sizes[:9])


def test_parse_attributes_and_tags() -> None:
    codes = codebook((3,))
    parsed = parse_observation("@ske Samtalet är öppet #kod-0-1, #KOD-0-2 och tydligt", ORGS, codes)
    assert parsed.organisation_id == "o-ske"
    assert parsed.text == "Samtalet är öppet och tydligt"
    assert parsed.code_ids == ("c0-1", "c0-2")
    whole = parse_observation("Alla håller med #kod-0-0 #kod-0-0", ORGS, codes)
    assert whole.organisation_id is None and whole.code_ids == ("c0-0",)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("@XYZ text", "@XYZ is not an organisation"),
        ("text #nope", "#nope is not a code"),
        ("@AF #kod-0-0", "write what you observed"),
        ("   ", "write what you observed"),
    ],
)
def test_parse_refuses_with_a_clear_sentence(line: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_observation(line, ORGS, codebook((3,)))


def test_completion_of_organisation_and_code() -> None:
    codes = codebook((3,))
    assert complete_observation("@s", ORGS, codes) == "@sKE"
    assert complete_observation("Bra #kod-0-", ORGS, codes) == "Bra #kod-0-0"
    assert complete_observation("Bra #kod-0-2", ORGS, codes) is None  # already whole
    assert complete_observation("text @s", ORGS, codes) is None  # @ only at the start
    assert complete_observation("plain", ORGS, codes) is None


def test_observer_domain_and_cli_modules_import_lightly() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import samverkan.domain.observing, samverkan.domain.observation_file\n"
        "import samverkan.cli_observe\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'sqlmodel', 'sqlalchemy', 'rich'))\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
