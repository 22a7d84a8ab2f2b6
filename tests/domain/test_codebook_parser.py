from __future__ import annotations

from pathlib import Path

import pytest

from samverkan.domain.codebook import parse_codebook, polarity_of, slugify
from samverkan.domain.model import CodebookSpec, Polarity, Problem

from .helpers import BAD, GOOD, at, text_of

P = Path("codebook.md")


def parse_file(path: Path) -> tuple[CodebookSpec | None, list[Problem]]:
    return parse_codebook(path, text_of(path))


def good_codes() -> CodebookSpec:
    spec, problems = parse_file(GOOD / "codebook.md")
    assert problems == []
    assert spec is not None
    return spec


def test_dimensions_are_level_1_headings_in_order() -> None:
    assert good_codes().dimensions == ("Kultur, person, attityd", "Organisation och arbetsformer")


def test_codes_with_slug_label_description_and_file_line() -> None:
    tillit = good_codes().codes[0]
    assert (tillit.slug, tillit.label, tillit.description) == (
        "tillit",
        "Tillit",
        "Man litar på varandra.",
    )
    assert (tillit.dimension, tillit.polarity, tillit.line) == (
        "Kultur, person, attityd",
        Polarity.SUCCESS,
        10,
    )


def test_slug_is_derived_when_missing_and_description_split_on_any_dash() -> None:
    codes = good_codes().codes
    assert [(c.slug, c.label, c.description) for c in codes[1:4]] == [
        ("gemensamt-synsatt", "Gemensamt synsätt", "Parterna ser lika på målgruppen."),
        ("forstaelse-for-varandras-arbetssatt", "Förståelse för varandras arbetssätt", ""),
        ("oformellt", "Oformalistiskt", "Direktkontakt på kort väg."),
    ]


def test_polarity_words_in_swedish_english_and_french() -> None:
    codes = {c.slug: c for c in good_codes().codes}
    assert codes["ge-upp"].polarity is Polarity.OBSTACLE
    assert codes["styrning"].polarity is Polarity.SUCCESS
    assert codes["samlokalisering"].polarity is Polarity.AMBIVALENT
    assert codes["ansvarsfordelning"].polarity is Polarity.AMBIVALENT


def test_ordered_list_items_and_inline_markdown_are_kept() -> None:
    codes = {c.slug: c for c in good_codes().codes}
    assert codes["styrning"].description == "Ledningen *pekar ut* riktningen."
    assert codes["styrning"].line == 23


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("Tillit och förtroende", "tillit-och-fortroende"),
        ("Åtgärd på café", "atgard-pa-cafe"),
        ("  --Hej!!  ", "hej"),
        ("Über Straße", "uber-strasse"),
        ("Prestigelöshet, tillit", "prestigeloshet-tillit"),
        ("???", ""),
        ("a" * 39 + " b", "a" * 39),
    ],
)
def test_slugify(label: str, slug: str) -> None:
    assert slugify(label) == slug
    assert len(slugify(label)) <= 40


@pytest.mark.parametrize(
    ("heading", "polarity"),
    [
        ("Framgångsfaktorer", Polarity.SUCCESS),
        ("framgångsfaktor", Polarity.SUCCESS),
        ("  Success Factors ", Polarity.SUCCESS),
        ("Success factor", Polarity.SUCCESS),
        ("HINDER", Polarity.OBSTACLE),
        ("Obstacles", Polarity.OBSTACLE),
        ("Obstacle", Polarity.OBSTACLE),
        ("Barriers", Polarity.OBSTACLE),
        ("Ambivalenta", Polarity.AMBIVALENT),
        ("Ambivalent", Polarity.AMBIVALENT),
        ("C'est compliqué", Polarity.AMBIVALENT),
        ("C’est compliqué...", Polarity.AMBIVALENT),
        ("Ambivalenta (C'est compliqué)", Polarity.AMBIVALENT),
        ("Hinder – organisation", Polarity.OBSTACLE),
        ("Möjligheter", None),
    ],
)
def test_polarity_headings(heading: str, polarity: Polarity | None) -> None:
    assert polarity_of(heading) == polarity


def test_unknown_polarity_lists_the_accepted_words_and_mutes_its_codes() -> None:
    spec, [problem] = parse_file(BAD / "codebook-unknown-polarity.md")
    assert spec is None
    assert problem.line == 3
    assert "'Möjligheter' is not known" in problem.message
    assert "Framgångsfaktorer, Hinder, Ambivalenta" in problem.message


def test_duplicate_slug_names_the_line_of_the_first() -> None:
    _spec, problems = parse_file(BAD / "codebook-duplicate-slug.md")
    assert at(problems) == [12, 13]
    assert "'tillit' is already used on line 5" in problems[0].message
    assert "[tillit-2]" in problems[0].message
    assert "'samsyn' is already used on line 6" in problems[1].message


def test_list_before_any_dimension_or_polarity_heading() -> None:
    _spec, problems = parse_file(BAD / "codebook-list-before-heading.md")
    assert at(problems) == [3, 7]
    assert "before the first dimension heading" in problems[0].message
    assert "under # Kultur, person, attityd without a polarity heading" in problems[1].message


def test_polarity_heading_before_any_dimension() -> None:
    _spec, [problem] = parse_file(BAD / "codebook-polarity-before-dimension.md")
    assert problem.line == 1
    assert "## Hinder comes before any dimension" in problem.message


def test_codebook_without_codes_is_a_problem() -> None:
    _spec, [problem] = parse_file(BAD / "codebook-empty.md")
    assert problem.line == 1
    assert "no codes" in problem.message and "- [tillit] Tillit" in problem.message


def test_bad_slugs_and_empty_labels() -> None:
    _spec, problems = parse_file(BAD / "codebook-bad-items.md")
    assert at(problems) == [5, 6, 7, 8]
    upper, no_label, empty, symbols = (p.message for p in problems)
    assert "[Tillit] may only hold a-z" in upper and "[tillit]" in upper
    assert "no label" in no_label
    assert "[] may only hold" in empty and "[tomt]" in empty
    assert "no slug can be made from the label '???'" in symbols


def test_slug_longer_than_40_is_a_problem() -> None:
    text = f"# D\n\n## Hinder\n\n- [{'a' * 41}] Lång\n"
    _spec, [problem] = parse_codebook(P, text)
    assert problem.line == 5 and "at most 40" in problem.message


def test_front_matter_is_optional_but_must_be_valid() -> None:
    spec, problems = parse_codebook(P, "# D\n\n## Hinder\n\n- X\n")
    assert problems == [] and spec is not None
    _spec, [problem] = parse_codebook(P, "---\na: [\n---\n# D\n\n## Hinder\n\n- X\n")
    assert problem.line == 3 and "not valid YAML" in problem.message


def test_hyphenated_words_are_not_a_description_separator() -> None:
    spec, _ = parse_codebook(P, "# D\n\n## Hinder\n\n- Ad-hoc-arbete - beskrivning\n")
    assert spec is not None
    assert (spec.codes[0].label, spec.codes[0].description) == ("Ad-hoc-arbete", "beskrivning")


def test_empty_codebook_file_is_a_problem() -> None:
    _spec, [problem] = parse_codebook(P, "")
    assert "empty" in problem.message
