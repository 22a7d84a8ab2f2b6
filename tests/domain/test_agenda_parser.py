from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from samverkan.domain.agenda import parse_agenda, phase_kind, split_timebox
from samverkan.domain.model import AgendaSpec, PhaseKind, Problem

from .helpers import BAD, GOOD, at, text_of

P = Path("agenda.md")


def parse_file(path: Path) -> tuple[AgendaSpec | None, list[Problem]]:
    return parse_agenda(path, text_of(path))


def good(text: str) -> AgendaSpec:
    spec, problems = parse_agenda(P, text)
    assert problems == []
    assert spec is not None
    return spec


def problems_of(text: str) -> list[Problem]:
    spec, problems = parse_agenda(P, text)
    assert spec is None
    return problems


HEAD = "---\nmeeting: 1\ntitle: Möte\nhost: KRA\n---\n"


def test_front_matter_fields_of_a_good_agenda() -> None:
    spec, problems = parse_file(GOOD / "01-start.md")
    assert problems == []
    assert spec is not None
    assert spec.number == 1
    assert spec.title == "Arbetsgivarna och kompetensförsörjningen"
    assert spec.date == date(2018, 3, 15)
    assert spec.start == "09:30"
    assert spec.place == "Kramfors, stadshuset"
    assert spec.host == "KRA"
    assert spec.host_line == 7


def test_paragraphs_before_the_first_phase_are_the_intro() -> None:
    spec, _ = parse_file(GOOD / "01-start.md")
    assert spec is not None
    assert (
        spec.intro
        == "Välkomna till det första mötet.\nDet fortsätter här.\n\nAndra stycket i introt."
    )


def test_each_level_2_heading_is_a_phase_in_order_with_its_file_line() -> None:
    spec, _ = parse_file(GOOD / "01-start.md")
    assert spec is not None
    assert [(p.title, p.kind, p.planned_minutes, p.line) for p in spec.phases] == [
        ("Välkommen", PhaseKind.OTHER, 15, 16),
        ("Värdpresentation", PhaseKind.HOST, 60, 20),
        ("Samtal", PhaseKind.DISCUSSION, 90, 24),
        ("Observation", PhaseKind.OBSERVATION, 30, 38),
        ("Återkoppling", PhaseKind.OBSERVATION, None, 42),
        ("Lunch (på restaurangen)", PhaseKind.OTHER, None, 44),
    ]


def test_list_items_are_prompts_flattened_with_inline_markdown_kept() -> None:
    spec, _ = parse_file(GOOD / "01-start.md")
    assert spec is not None
    assert spec.phases[2].prompts == (
        "Hur får ni veta vad **arbetsgivarna** behöver?",
        "Vem ringer en arbetsgivare när den behöver rekrytera?",
        "Kommunen eller AF?",
        "Vad krävs?",
    )


def test_paragraphs_and_deeper_headings_are_the_phase_script() -> None:
    spec, _ = parse_file(GOOD / "01-start.md")
    assert spec is not None
    assert spec.phases[2].script == (
        "Vi utgår från det vi har hört.\n\n### Om tiden räcker\n\nTa upp det sista."
    )
    assert spec.phases[0].script == "En kort runda."


def test_title_falls_back_to_the_level_1_heading() -> None:
    spec, _ = parse_file(GOOD / "02-fortsattning.md")
    assert spec is not None
    assert spec.title == "Individanpassat arbete"
    assert spec.intro == ""


def test_unquoted_start_time_that_yaml_reads_as_minutes_is_kept() -> None:
    spec, _ = parse_file(GOOD / "02-fortsattning.md")
    assert spec is not None
    assert spec.start == "09:30"


def test_english_phase_words_and_decimal_hours() -> None:
    spec, _ = parse_file(GOOD / "02-fortsattning.md")
    assert spec is not None
    assert [(p.kind, p.planned_minutes) for p in spec.phases] == [
        (PhaseKind.HOST, 45),
        (PhaseKind.DISCUSSION, 90),
        (PhaseKind.OBSERVATION, 30),
    ]


@pytest.mark.parametrize(
    ("heading", "title", "minutes"),
    [
        ("Samtal (30 min)", "Samtal", 30),
        ("Samtal (30 minuter)", "Samtal", 30),
        ("Samtal (1 h)", "Samtal", 60),
        ("Samtal (90 min)", "Samtal", 90),
        ("Samtal (1 h 30 min)", "Samtal", 90),
        ("Samtal (30min)", "Samtal", 30),
        ("Samtal (2 timmar)", "Samtal", 120),
        ("Samtal (1,5 h)", "Samtal", 90),
        ("Samtal", "Samtal", None),
        ("Lunch (på restaurangen)", "Lunch (på restaurangen)", None),
        ("Frågor (admin)", "Frågor (admin)", None),
    ],
)
def test_timebox_at_the_end_of_a_heading(heading: str, title: str, minutes: int | None) -> None:
    assert split_timebox(P, 5, heading) == (title, minutes, [])


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("Värdpresentation", PhaseKind.HOST),
        ("värd: Kramfors", PhaseKind.HOST),
        ("HOST presentation", PhaseKind.HOST),
        ("Samtal om jobb", PhaseKind.DISCUSSION),
        ("Diskussion", PhaseKind.DISCUSSION),
        ("discussion", PhaseKind.DISCUSSION),
        ("Observation", PhaseKind.OBSERVATION),
        ("Återkoppling", PhaseKind.OBSERVATION),
        ("Feedback", PhaseKind.OBSERVATION),
        ("Lunch", PhaseKind.OTHER),
        ("", PhaseKind.OTHER),
        ("— Samtal", PhaseKind.DISCUSSION),
    ],
)
def test_phase_kind_from_the_first_word(word: str, kind: PhaseKind) -> None:
    assert phase_kind(word) is kind


def test_timebox_that_is_not_a_number_says_how_to_write_it() -> None:
    _spec, problems = parse_file(BAD / "agenda-bad-timeboxes.md")
    assert at(problems) == [6, 8, 10, 12, 14]
    assert problems[0].message == (
        'the timebox "(trettio min)" is not a number; write it as "(30 min)"'
    )
    assert '"(x min)" is not a number' in problems[1].message


def test_timebox_of_zero_or_over_600_minutes_is_a_problem() -> None:
    _spec, problems = parse_file(BAD / "agenda-bad-timeboxes.md")
    assert '"(0 min)" is 0 minutes' in problems[2].message
    assert '"(11 h)" is 660 minutes' in problems[3].message
    assert "from 1 to 600 minutes" in problems[3].message


def test_phase_heading_without_a_title_is_a_problem() -> None:
    _spec, problems = parse_file(BAD / "agenda-bad-timeboxes.md")
    assert "no title" in problems[4].message and "## Samtal" in problems[4].message


def test_list_before_the_first_phase_heading_is_a_problem() -> None:
    spec, [problem] = parse_file(BAD / "agenda-list-before-phase.md")
    assert spec is None
    assert problem.line == 10
    assert "a list before the first phase heading" in problem.message
    assert "## ..." in problem.message


def test_agenda_without_phases_says_to_add_a_level_2_heading() -> None:
    _spec, [problem] = parse_file(BAD / "agenda-no-phase.md")
    assert problem.line == 6
    assert "no phase" in problem.message and "## Samtal (60 min)" in problem.message


def test_broken_yaml_stops_the_agenda() -> None:
    spec, [problem] = parse_file(BAD / "agenda-broken-yaml.md")
    assert spec is None
    assert problem.line == 3 and "not valid YAML" in problem.message


def test_unclosed_front_matter_stops_the_agenda() -> None:
    spec, [problem] = parse_file(BAD / "agenda-unclosed-front-matter.md")
    assert spec is None
    assert problem.line == 1 and "never closed" in problem.message


def test_bad_values_each_get_their_line() -> None:
    _spec, problems = parse_file(BAD / "agenda-bad-values.md")
    assert at(problems) == [2, 4, 5, 6]
    meeting, day, start, place = (p.message for p in problems)
    assert "'ett' is not a whole number" in meeting and "meeting: 1" in meeting
    assert "'5 mars 2018' is not a date" in day and "YYYY-MM-DD" in day
    assert "'25:00' is not a time of day" in start and 'start: "09:30"' in start
    assert "place must be a single text" in place


def test_impossible_date_big_number_and_bare_number_time() -> None:
    _spec, problems = parse_file(BAD / "agenda-impossible-date.md")
    assert at(problems) == [2, 4, 5]
    assert "'1000'" in problems[0].message and "1 to 999" in problems[0].message
    assert "'2018-02-30' is not a date" in problems[1].message
    assert "'930' is not a time of day" in problems[2].message


def test_missing_meeting_title_and_host_are_problems() -> None:
    _spec, problems = parse_file(BAD / "agenda-missing-keys.md")
    assert at(problems) == [1, 1, 1]
    text = " ".join(p.message for p in problems)
    assert "no meeting number" in text and "meeting: 1" in text
    assert "no host organisation" in text and "host: KRA" in text
    assert "no title" in text


def test_unknown_and_duplicate_keys_are_problems() -> None:
    _spec, problems = parse_file(BAD / "agenda-unknown-key.md")
    assert at(problems) == [4, 6]
    assert "'plats' is not known; did you mean 'place'" in problems[0].message
    assert "'host' is written twice (first on line 5)" in problems[1].message


def test_front_matter_that_is_a_list_is_a_problem() -> None:
    _spec, [problem] = parse_file(BAD / "agenda-front-matter-list.md")
    assert problem.line == 2 and "a list" in problem.message


def test_agenda_without_front_matter_is_a_problem() -> None:
    _spec, [problem] = parse_file(BAD / "agenda-no-front-matter.md")
    assert problem.line == 1
    assert "no front matter" in problem.message and "meeting: 1" in problem.message


def test_meeting_number_written_as_quoted_text_is_accepted() -> None:
    assert good('---\nmeeting: "3"\ntitle: M\nhost: A\n---\n## Samtal\n').number == 3


def test_meeting_number_true_is_not_a_number() -> None:
    [problem] = problems_of("---\nmeeting: true\ntitle: M\nhost: A\n---\n## Samtal\n")
    assert problem.line == 2


def test_date_given_as_a_yaml_timestamp_is_accepted() -> None:
    spec = good(HEAD.replace("host", "date: !!timestamp 2018-03-15 10:00:00\nhost") + "## Samtal\n")
    assert spec.date == date(2018, 3, 15)


@pytest.mark.parametrize(
    ("written", "start"), [("9:30", "09:30"), ("9.30", "09:30"), ("'07:05'", "07:05")]
)
def test_start_time_forms(written: str, start: str) -> None:
    assert good(HEAD.replace("host", f"start: {written}\nhost") + "## Samtal\n").start == start


def test_host_line_points_at_the_host_value() -> None:
    assert good(HEAD + "## Samtal\n").host_line == 4


def test_phases_may_repeat_and_keep_their_order() -> None:
    spec = good(HEAD + "## Samtal (10 min)\n\n## Samtal (20 min)\n")
    assert [p.planned_minutes for p in spec.phases] == [10, 20]


def test_code_blocks_and_quotes_in_a_phase_are_script_source() -> None:
    spec = good(HEAD + "## Samtal\n\n> citat\n\n```\nkod\n```\n")
    assert spec.phases[0].script == "> citat\n\n```\nkod\n```"


def test_a_second_level_1_heading_is_script_text() -> None:
    spec = good(HEAD + "# Titel\n\n## Samtal\n\n# Mer\n")
    assert spec.title == "Möte"
    assert spec.phases[0].script == "# Mer"


def test_title_from_front_matter_wins_over_the_heading() -> None:
    assert good(HEAD + "# Rubrik\n\n## Samtal\n").title == "Möte"
