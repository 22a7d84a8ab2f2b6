from __future__ import annotations

from pathlib import Path

import pytest

from samverkan.domain.model import OrganisationKind, OrganisationSpec, Problem, ProjectSpec
from samverkan.domain.project import codebook_reference, organisation_kind, parse_project

from .helpers import BAD, GOOD, at, text_of

P = Path("folder/project.md")


def parse_file(path: Path) -> tuple[ProjectSpec | None, list[Problem]]:
    return parse_project(path, text_of(path))


def good(text: str) -> ProjectSpec:
    spec, problems = parse_project(P, text)
    assert problems == []
    assert spec is not None
    return spec


def problems_of(text: str) -> list[Problem]:
    spec, problems = parse_project(P, text)
    assert spec is None
    return problems


MINIMAL = "---\nname: G\nshort: g\norganisations:\n  - name: Kramfors kommun\n    short: KRA\n"


def test_good_project_front_matter() -> None:
    spec, problems = parse_file(GOOD / "project.md")
    assert problems == []
    assert spec is not None
    assert (spec.name, spec.short, spec.lang) == ("Testprojekt kommun och AF", "test-1", "sv")
    assert spec.codebook == GOOD / "codebook.md"
    assert spec.facilitator == "Göran Westin"
    assert spec.observers == ("Cecilia Norberg",)
    assert spec.steering_group == ("Dua", "SKL")


def test_organisations_with_swedish_kinds_and_people() -> None:
    spec, _ = parse_file(GOOD / "project.md")
    assert spec is not None
    assert spec.organisations == (
        OrganisationSpec(
            "Kramfors kommun", "KRA", OrganisationKind.MUNICIPALITY, ("Anna Lindqvist", "Bo Ek")
        ),
        OrganisationSpec(
            "Arbetsförmedlingen", "AF", OrganisationKind.EMPLOYMENT_SERVICE, ("Linda Ek",)
        ),
        OrganisationSpec("Företaget AB", "fab1", OrganisationKind.COMPANY, ()),
    )
    assert spec.organisation("kra") is spec.organisations[0]
    assert spec.organisation("arbetsförmedlingen") is spec.organisations[1]


def test_body_is_the_description() -> None:
    spec, _ = parse_file(GOOD / "project.md")
    assert spec is not None
    assert spec.description == "Ett litet lärprojekt för **testerna**.\n\nAndra stycket."


def test_defaults_language_sv_no_codebook_and_kind_other() -> None:
    spec = good(MINIMAL + "---\n")
    assert spec.lang == "sv"
    assert spec.codebook is None
    assert spec.organisations[0].kind is OrganisationKind.OTHER
    assert spec.description == ""


def test_codebook_path_is_relative_to_the_project_file() -> None:
    spec = good(MINIMAL + "codebook: ../delad/kodbok.md\n---\n")
    assert spec.codebook == Path("delad/kodbok.md")
    assert codebook_reference(P, MINIMAL + "codebook: ../delad/kodbok.md\n---\n") == (
        Path("delad/kodbok.md"),
        7,
    )


def test_empty_codebook_value_is_a_problem() -> None:
    [problem] = problems_of(MINIMAL + 'codebook: ""\n---\n')
    assert problem.line == 7 and "codebook is empty" in problem.message


def test_language_is_case_insensitive() -> None:
    assert good(MINIMAL + "lang: EN\n---\n").lang == "en"


def test_short_codes_that_yaml_would_turn_into_numbers_stay_as_written() -> None:
    spec = good("---\nname: G\nshort: '2018'\norganisations:\n  - name: X\n    short: 012\n---\n")
    assert spec.organisations[0].short == "012"


def test_duplicate_short_codes_ignoring_case_name_both_lines() -> None:
    spec, problems = parse_file(BAD / "project-duplicate-organisations.md")
    assert spec is None
    assert at(problems) == [9, 11]
    assert problems[0].message == (
        "the short code 'kra' of Kramfors stad is already used by Kramfors kommun on line 6; "
        "give each organisation its own short code"
    )


def test_duplicate_organisation_names_are_a_problem() -> None:
    _spec, problems = parse_file(BAD / "project-duplicate-organisations.md")
    assert "'kramfors kommun' is listed twice (first on line 5)" in problems[1].message


def test_unknown_top_level_key_is_caught_with_a_suggestion() -> None:
    _spec, problems = parse_file(BAD / "project-unknown-key.md")
    assert at(problems) == [1, 4]
    assert "no list of organisations" in problems[0].message
    assert "'organisation' is not known; did you mean 'organisations'" in problems[1].message
    assert "steering_group" in problems[1].message


def test_bad_values_each_get_their_line() -> None:
    _spec, problems = parse_file(BAD / "project-bad-values.md")
    assert at(problems) == [3, 4, 5, 8, 9, 10, 11, 12]
    short, lang, observers, org_short, kind, key, not_mapping, no_name = (
        p.message for p in problems
    )
    assert "'Grupp 1' may only hold lowercase" in short and "short: grupp-1" in short
    assert "'de' is not supported" in lang and "lang: sv" in lang
    assert "each entry under observers must be a name" in observers
    assert "'KRAMFORS' must be 1 to 6 letters or digits" in org_short and "short: KRA" in org_short
    assert "'skola' is not known" in kind and "kommun, arbetsförmedlingen" in kind
    assert "municipality" in kind
    assert "'shrot' is not known; did you mean 'short'" in key
    assert "organisation 2 is not a set of keys" in not_mapping
    assert "organisation has no name" in no_name


def test_missing_name_short_and_organisations() -> None:
    _spec, problems = parse_file(BAD / "project-missing-keys.md")
    assert at(problems) == [1, 1, 1]
    text = " ".join(p.message for p in problems)
    assert "no name" in text and "no short code" in text and "no list of organisations" in text


def test_project_without_front_matter_is_a_problem() -> None:
    [problem] = problems_of("# Projekt\n\nText.\n")
    assert problem.line == 1 and "no front matter" in problem.message


def test_organisations_that_is_not_a_list_is_a_problem() -> None:
    [problem] = problems_of("---\nname: G\nshort: g\norganisations: Kramfors\n---\n")
    assert problem.line == 4 and "no list of organisations" in problem.message


def test_organisation_without_short_code_suggests_one() -> None:
    [problem] = problems_of(
        "---\nname: G\nshort: g\norganisations:\n  - name: Kramfors kommun\n---\n"
    )
    assert problem.line == 5
    assert (
        "Kramfors kommun has no short code" in problem.message and "short: KRA" in problem.message
    )


def test_missing_short_code_of_project_suggests_one_from_its_name() -> None:
    [problem] = problems_of(
        "---\nname: Grupp Två\norganisations:\n  - name: K\n    short: K\n---\n"
    )
    assert "short: grupp-tva" in problem.message


def test_steering_group_entries_must_be_names() -> None:
    [problem] = problems_of(MINIMAL + "steering_group:\n  - Dua\n  - [a, b]\n---\n")
    assert problem.line == 9 and "steering_group" in problem.message


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("kommun", OrganisationKind.MUNICIPALITY),
        ("Kommun", OrganisationKind.MUNICIPALITY),
        ("arbetsförmedlingen", OrganisationKind.EMPLOYMENT_SERVICE),
        ("employment service", OrganisationKind.EMPLOYMENT_SERVICE),
        ("employment_service", OrganisationKind.EMPLOYMENT_SERVICE),
        ("företag", OrganisationKind.COMPANY),
        ("region", OrganisationKind.REGION),
        ("förening", OrganisationKind.ASSOCIATION),
        ("myndighet", OrganisationKind.AGENCY),
        ("annan", OrganisationKind.OTHER),
        ("agency", OrganisationKind.AGENCY),
        ("skola", None),
    ],
)
def test_organisation_kinds(written: str, kind: OrganisationKind | None) -> None:
    assert organisation_kind(written) == kind


@pytest.mark.parametrize(
    ("written", "expected"),
    [(None, "group"), ("all", "all"), ("Grupp", "group"), ("inget", "none")],
)
def test_what_the_minutes_show_of_the_observation(written: str | None, expected: str) -> None:
    line = f"minutes_observation: {written}\n" if written else ""
    assert good(MINIMAL + line + "---\n").minutes_observation == expected


def test_an_unknown_minutes_observation_names_the_choices() -> None:
    [problem] = problems_of(MINIMAL + "minutes_observation: some\n---\n")
    assert "all" in problem.message and "group" in problem.message and "none" in problem.message
