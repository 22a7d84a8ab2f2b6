"""The one-line note syntax of the meeting screen: kinds, mentions, due dates, completion."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.domain import natural_dates, note_input
from samverkan.domain.model import NoteKind, OrganisationView, PersonView
from samverkan.domain.natural_dates import find_due, parse_due
from samverkan.domain.note_input import (
    ParsedNote,
    apply_completion,
    complete_mention,
    mention_at,
    parse_note,
)

TODAY = date(2018, 6, 14)  # a Thursday, in ISO week 24

FAL = OrganisationView("o-fal", "FAL", "Falu kommun", "municipality", 0)
SKE = OrganisationView("o-ske", "SKE", "Skellefteå kommun", "municipality", 1)
SOD = OrganisationView("o-sod", "SOD", "Söderhamns kommun", "municipality", 2)
AF = OrganisationView("o-af", "AF", "Arbetsförmedlingen", "employment_service", 3)
ORGS = (FAL, SKE, SOD, AF)

ANNA_L = PersonView("p-al", "Anna Lindqvist", FAL.id)
PER = PersonView("p-per", "Per Sjöberg", FAL.id)
ANNA_B = PersonView("p-ab", "Anna Berg", SKE.id)
JONAS = PersonView("p-jo", "Jonas Öhman", SKE.id)
SARA = PersonView("p-sa", "Sara Nyström", SOD.id)
FREDRIK = PersonView("p-fr", "Fredrik Sandberg", AF.id)
ANNA_KARIN = PersonView("p-ak", "Anna-Karin Ek", AF.id)
PEOPLE = (ANNA_L, PER, ANNA_B, JONAS, SARA, FREDRIK, ANNA_KARIN)


def parse(line: str, today: date = TODAY, kind: NoteKind | None = None) -> ParsedNote:
    return parse_note(line, ORGS, PEOPLE, today=today, default_kind=kind)


def clean(line: str, today: date = TODAY, kind: NoteKind | None = None) -> ParsedNote:
    note = parse(line, today, kind)
    assert note.problems == (), note.problems
    return note


def due_of(phrase: str, today: date = TODAY) -> date | None:
    """The due date of an action item that ends with ``phrase``; the phrase must go."""
    note = clean(f"å: Boka lokal {phrase}", today)
    assert note.text == "Boka lokal"
    return note.due


# ---------------------------------------------------------------- kind prefixes


@pytest.mark.parametrize(
    "line",
    ["Obs: verktyget är gratis", "D: vi ses i maj", "Todo: boka lokal", "o: alla var där",
     "observation: tyst rum", "att göra: boka lokal"],
)  # fmt: skip
def test_everyday_words_with_a_colon_are_text_not_kinds(line: str) -> None:
    """Only the documented prefixes change the kind; never into an observer's observation."""
    note = clean(line)
    assert note.kind is None and note.text == line


@pytest.mark.parametrize(
    ("prefix", "kind"),
    [
        ("b:", NoteKind.DECISION),
        ("beslut:", NoteKind.DECISION),
        ("decision:", NoteKind.DECISION),
        ("å:", NoteKind.ACTION),
        ("a:", NoteKind.ACTION),
        ("åtgärd:", NoteKind.ACTION),
        ("action:", NoteKind.ACTION),
        ("f:", NoteKind.QUESTION),
        ("fråga:", NoteKind.QUESTION),
        ("q:", NoteKind.QUESTION),
        ("question:", NoteKind.QUESTION),
        ("c:", NoteKind.QUOTE),
        ("citat:", NoteKind.QUOTE),
        ("quote:", NoteKind.QUOTE),
        ("n:", NoteKind.NOTE),
        ("anteckning:", NoteKind.NOTE),
        ("note:", NoteKind.NOTE),
    ],
)
def test_each_kind_prefix_sets_the_kind_and_is_removed(prefix: str, kind: NoteKind) -> None:
    for written in (f"{prefix} Vi kör", f"{prefix}Vi kör", prefix.upper() + " Vi kör"):
        note = clean(written)
        assert (note.kind, note.text) == (kind, "Vi kör"), written


def test_a_prefix_may_have_spaces_around_its_colon() -> None:
    assert clean("Beslut : Vi kör").kind is NoteKind.DECISION
    assert clean("ÅTGÄRD: boka lokal").text == "boka lokal"


def test_without_a_prefix_the_kind_is_left_to_the_screen() -> None:
    assert clean("Vi har inga pengar").kind is None


def test_a_final_question_mark_does_not_make_a_question() -> None:
    note = clean("Hur gör ni med bemanningen?")
    assert (note.kind, note.text) == (None, "Hur gör ni med bemanningen?")


def test_a_prefix_counts_only_at_the_start() -> None:
    note = clean("Vi skrev b: på tavlan")
    assert (note.kind, note.text) == (None, "Vi skrev b: på tavlan")


def test_words_that_only_begin_like_a_prefix_are_text() -> None:
    assert clean("bra: det gick fint").kind is None
    assert clean("https://dua.se har mer").kind is None
    assert clean("Anteckningar: se bilaga").kind is None


def test_a_prefix_may_follow_a_leading_mention() -> None:
    note = clean("@AF b: Vi kör")
    assert (note.kind, note.speaker, note.text) == (NoteKind.DECISION, AF, "Vi kör")
    assert clean("@AF: beslut: Vi kör").kind is NoteKind.DECISION


def test_a_prefix_with_nothing_after_it_has_no_text() -> None:
    note = parse("b:")
    assert note.kind is NoteKind.DECISION
    assert note.text == ""
    assert note.problems == ("the note has no text; write what was said, decided or is to be done",)


# ---------------------------------------------------------------- quotations


@pytest.mark.parametrize(
    "line",
    [
        *(f"{pair[0]}Vi har inga pengar{pair[1]}" for pair in ('""', "””", "“”", "«»", "»»", "''")),
        "’Vi har inga pengar’",
        '" Vi har inga pengar "',
    ],
)
def test_a_line_wrapped_in_quotation_marks_is_a_quote_without_them(line: str) -> None:
    note = clean(line)
    assert (note.kind, note.text) == (NoteKind.QUOTE, "Vi har inga pengar")


def test_a_quote_may_follow_a_leading_mention_that_says_who_said_it() -> None:
    note = clean('@SKE "Vi har inga pengar"')
    assert (note.kind, note.speaker, note.text) == (NoteKind.QUOTE, SKE, "Vi har inga pengar")
    note = clean("@Fredrik: ”Det tar tid”")
    assert (note.kind, note.speaker_person, note.text) == (NoteKind.QUOTE, FREDRIK, "Det tar tid")


def test_the_quote_prefix_also_drops_wrapping_marks() -> None:
    assert clean('c: "Det tar tid"').text == "Det tar tid"
    assert clean("citat: Det tar tid").text == "Det tar tid"


def test_another_prefix_keeps_the_quotation_marks() -> None:
    note = clean('b: "Samverkan först"')
    assert (note.kind, note.text) == (NoteKind.DECISION, '"Samverkan först"')


def test_quotation_marks_around_part_of_a_line_do_not_make_a_quote() -> None:
    assert clean('"Vi" och "de" är samma').kind is None
    assert clean('"Vi har inga pengar" sa hon').kind is None
    assert clean('Hon sa "nej"').kind is None


def test_apostrophes_inside_words_do_not_break_a_quote() -> None:
    note = clean("'We don't have the money'")
    assert (note.kind, note.text) == (NoteKind.QUOTE, "We don't have the money")


def test_empty_or_lone_quotation_marks_are_text() -> None:
    assert clean('"').text == '"'
    assert clean('""').kind is None
    assert clean('" "').kind is None


def test_a_quote_that_starts_with_a_mention_keeps_it_as_content() -> None:
    note = clean('"@AF är bäst på det här"')
    assert (note.kind, note.speaker, note.text) == (NoteKind.QUOTE, None, "@AF är bäst på det här")


# ---------------------------------------------------------------- speaker mentions


def test_a_leading_short_code_is_the_speaker_and_is_removed() -> None:
    note = clean("@SKE Vi har tre handläggare")
    assert (note.speaker, note.text) == (SKE, "Vi har tre handläggare")


def test_short_codes_match_in_any_case() -> None:
    assert clean("@ske Vi har tre").speaker == SKE
    assert clean("@Af Vi har tre").speaker == AF


def test_punctuation_after_a_leading_mention_goes_with_it() -> None:
    assert clean("@AF: Vi har tre").text == "Vi har tre"
    assert clean("@AF, vi har tre").text == "vi har tre"
    assert clean("@AF – vi har tre").text == "vi har tre"


def test_a_leading_mention_after_a_prefix_is_the_speaker() -> None:
    note = clean("f: @SOD Hur gör ni?")
    assert (note.kind, note.speaker, note.text) == (NoteKind.QUESTION, SOD, "Hur gör ni?")


def test_a_mention_later_in_the_line_is_content() -> None:
    note = clean("Vi har lärt oss mycket av @SKE")
    assert (note.speaker, note.text) == (None, "Vi har lärt oss mycket av @SKE")


def test_only_the_first_of_two_leading_mentions_is_the_speaker() -> None:
    note = clean("@AF @SKE håller med")
    assert (note.speaker, note.text) == (AF, "@SKE håller med")


def test_a_participant_by_unique_first_name_speaks_for_their_organisation() -> None:
    note = clean("@Fredrik Vi ser samma sak")
    assert (note.speaker, note.speaker_person, note.text) == (AF, FREDRIK, "Vi ser samma sak")
    assert clean("@jonas Ja").speaker_person == JONAS
    assert clean("@Anna-Karin Ja").speaker_person == ANNA_KARIN


def test_a_participant_by_full_name_in_quotation_marks() -> None:
    note = clean('@"Anna Berg" Vi har tre')
    assert (note.speaker, note.speaker_person, note.text) == (SKE, ANNA_B, "Vi har tre")
    assert clean("@”anna   lindqvist” Ja").speaker_person == ANNA_L


def test_a_participant_whose_organisation_is_not_listed_has_no_speaker_organisation() -> None:
    guest = PersonView("p-x", "Gästen Gustafsson", "elsewhere")
    note = parse_note("@Gästen Hej", ORGS, (guest,), today=TODAY)
    assert (note.speaker, note.speaker_person, note.text) == (None, guest, "Hej")


def test_a_short_code_wins_over_a_first_name() -> None:
    per = PersonView("p-af", "Af Klint", SKE.id)
    assert parse_note("@AF Hej", ORGS, (per,), today=TODAY).speaker_person is None


def test_an_email_address_is_not_a_mention() -> None:
    note = clean("Skriv till anna@af.se")
    assert (note.speaker, note.text) == (None, "Skriv till anna@af.se")


def test_an_unknown_mention_stays_and_names_the_short_codes() -> None:
    note = parse("@XYZ Vi har tre")
    assert (note.speaker, note.text) == (None, "@XYZ Vi har tre")
    assert note.problems == (
        "no organisation or participant is called @XYZ; write one of @FAL, @SKE, @SOD, @AF",
    )


def test_an_unknown_mention_later_in_the_line_is_reported_too() -> None:
    note = parse("Fråga @SKR om det")
    assert note.text == "Fråga @SKR om det"
    assert note.problems[0].startswith("no organisation or participant is called @SKR;")


def test_an_unknown_mention_is_reported_once() -> None:
    assert len(parse("@XYZ och @XYZ igen").problems) == 1


def test_without_organisations_an_unknown_mention_names_the_participants() -> None:
    note = parse_note("@Kim Hej", (), (FREDRIK, ANNA_B), today=TODAY)
    assert note.problems == (
        "no organisation or participant is called @Kim; write one of @Fredrik, @Anna",
    )
    alone = parse_note("@Kim Hej", (), (), today=TODAY)
    assert alone.problems == ("no organisation or participant is called @Kim",)


def test_a_first_name_shared_by_two_participants_asks_for_the_full_name() -> None:
    note = parse("@Anna Vi har tre")
    assert (note.speaker, note.text) == (None, "@Anna Vi har tre")
    assert note.problems == (
        "more than one participant is called @Anna: Anna Lindqvist, Anna Berg; "
        'write the full name, e.g. @"Anna Lindqvist"',
    )


def test_a_mention_alone_has_no_text() -> None:
    note = parse("@AF")
    assert note.speaker == AF
    assert note.problems == ("the note has no text; write what was said, decided or is to be done",)


def test_a_hyphenated_word_after_at_must_match_as_a_whole() -> None:
    note = parse("@AF-kontoret tar det")
    assert note.speaker is None
    assert "@AF-kontoret" in note.problems[0]


# ---------------------------------------------------------------- action owners


def test_an_action_owner_is_a_short_code_anywhere_and_is_removed() -> None:
    note = clean("å: @AF skickar statistiken")
    assert (note.owner_organisation, note.speaker, note.text) == (AF, None, "skickar statistiken")
    note = clean("action: Skicka statistiken @af")
    assert (note.owner_organisation, note.text) == (AF, "Skicka statistiken")
    note = clean("action: Send the figures to @SKE, then call")
    assert (note.owner_organisation, note.text) == (SKE, "Send the figures to, then call")


def test_an_action_owner_person_also_gives_the_organisation() -> None:
    note = clean("å: @Jonas bokar lokal")
    assert (note.owner_person, note.owner_organisation, note.text) == (JONAS, SKE, "bokar lokal")
    note = clean('å: Boka lokal @"Anna Lindqvist"')
    assert (note.owner_person, note.owner_organisation) == (ANNA_L, FAL)


def test_a_person_and_their_own_organisation_are_one_owner() -> None:
    note = clean("å: @SKE @Jonas bokar lokal")
    assert (note.owner_organisation, note.owner_person, note.text) == (SKE, JONAS, "bokar lokal")


def test_a_second_owner_stays_in_the_text_and_is_reported() -> None:
    note = parse("å: @AF och @SKE tar fram underlag")
    assert (note.owner_organisation, note.text) == (AF, "och @SKE tar fram underlag")
    assert note.problems == ("an action item has one owner; @SKE is left in the text",)
    note = parse("å: @Jonas @Fredrik bokar")
    assert (note.owner_person, note.owner_organisation) == (JONAS, SKE)
    assert note.problems == ("an action item has one owner; @Fredrik is left in the text",)


def test_an_unknown_owner_stays_in_the_text() -> None:
    note = parse("å: @XYZ bokar lokal")
    assert (note.owner_organisation, note.text) == (None, "@XYZ bokar lokal")
    assert len(note.problems) == 1


def test_the_screens_selected_action_kind_applies_the_action_rules() -> None:
    note = clean("@AF skickar statistiken senast fredag", kind=NoteKind.ACTION)
    assert note.kind is None
    assert (note.owner_organisation, note.speaker) == (AF, None)
    assert (note.due, note.text) == (date(2018, 6, 15), "skickar statistiken")


def test_a_prefix_overrides_the_screens_selected_kind() -> None:
    note = clean("b: @AF Vi kör på fredag", kind=NoteKind.ACTION)
    assert (note.kind, note.speaker, note.owner_organisation) == (NoteKind.DECISION, AF, None)
    assert (note.due, note.text) == (None, "Vi kör på fredag")


def test_mentions_in_other_kinds_never_set_an_owner() -> None:
    note = clean("b: @AF tar fram underlag")
    assert (note.owner_organisation, note.owner_person) == (None, None)


# ---------------------------------------------------------------- due dates


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        ("2018-09-01", date(2018, 9, 1)),
        ("2018-9-1", date(2018, 9, 1)),
        ("1/9", date(2018, 9, 1)),
        ("01/09", date(2018, 9, 1)),
        ("1/9 2018", date(2018, 9, 1)),
        ("1/9/2018", date(2018, 9, 1)),
        ("1/9 2019", date(2019, 9, 1)),
        ("1/9-19", date(2019, 9, 1)),
        ("1 sep", date(2018, 9, 1)),
        ("1 sept", date(2018, 9, 1)),
        ("1 september", date(2018, 9, 1)),
        ("1:a sep", date(2018, 9, 1)),
        ("3:e okt", date(2018, 10, 3)),
        ("1 september 2018", date(2018, 9, 1)),
        ("1 sep. 2019", date(2019, 9, 1)),
        ("12 Juli", date(2018, 7, 12)),
        ("5 maj 2019", date(2019, 5, 5)),
        ("Sep 1", date(2018, 9, 1)),
        ("Sep. 1", date(2018, 9, 1)),
        ("September 1st, 2018", date(2018, 9, 1)),
        ("1 Sep 2018", date(2018, 9, 1)),
        ("1st of September", date(2018, 9, 1)),
        ("Oct 3rd", date(2018, 10, 3)),
    ],
)
def test_written_dates(phrase: str, due: date) -> None:
    assert due_of(phrase) == due


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        ("idag", date(2018, 6, 14)),
        ("i dag", date(2018, 6, 14)),
        ("today", date(2018, 6, 14)),
        ("imorgon", date(2018, 6, 15)),
        ("i morgon", date(2018, 6, 15)),
        ("tomorrow", date(2018, 6, 15)),
        ("i övermorgon", date(2018, 6, 16)),
        ("the day after tomorrow", date(2018, 6, 16)),
        ("fredag", date(2018, 6, 15)),
        ("på fredag", date(2018, 6, 15)),
        ("Friday", date(2018, 6, 15)),
        ("on friday", date(2018, 6, 15)),
        ("lördag", date(2018, 6, 16)),
        ("måndag", date(2018, 6, 18)),
        ("onsdag", date(2018, 6, 20)),
        ("torsdag", date(2018, 6, 21)),  # never today: a week from now
        ("thursday", date(2018, 6, 21)),
        ("nästa fredag", date(2018, 6, 22)),
        ("next Monday", date(2018, 6, 18)),
        ("nästa vecka", date(2018, 6, 18)),
        ("next week", date(2018, 6, 18)),
        ("om 2 veckor", date(2018, 6, 28)),
        ("om två veckor", date(2018, 6, 28)),
        ("om en vecka", date(2018, 6, 21)),
        ("in 2 weeks", date(2018, 6, 28)),
        ("in a week", date(2018, 6, 21)),
        ("om 3 dagar", date(2018, 6, 17)),
        ("om en dag", date(2018, 6, 15)),
        ("in 3 days", date(2018, 6, 17)),
        ("om en månad", date(2018, 7, 14)),
        ("in 3 months", date(2018, 9, 14)),
        ("vecka 36", date(2018, 9, 7)),
        ("v. 36", date(2018, 9, 7)),
        ("v.36", date(2018, 9, 7)),
        ("v36", date(2018, 9, 7)),
        ("V 36", date(2018, 9, 7)),
        ("week 36", date(2018, 9, 7)),
        ("vecka 24", date(2018, 6, 15)),  # this week's Friday is still ahead
        ("vecka 23", date(2019, 6, 7)),  # that Friday has passed: next year
        ("månadsskiftet", date(2018, 6, 30)),
        ("slutet av månaden", date(2018, 6, 30)),
        ("end of month", date(2018, 6, 30)),
        ("by the end of the month", date(2018, 6, 30)),
    ],
)
def test_relative_dates_from_a_thursday(phrase: str, due: date) -> None:
    assert due_of(phrase) == due


@pytest.mark.parametrize(
    "intro",
    ["senast", "till", "före", "innan", "by", "due", "before", "until", "senast på", "till den",
     "Senast den", "by the", "on"],
)  # fmt: skip
def test_introducing_words_are_removed_with_the_date(intro: str) -> None:
    phrase = "1:a sep" if intro.lower().endswith(("den", "the")) else "fredag"
    assert due_of(f"{intro} {phrase}") in (date(2018, 9, 1), date(2018, 6, 15))


def test_senast_with_an_iso_date_as_in_the_issue() -> None:
    note = clean("å: @AF senast 2018-09-01 skickar statistiken")
    assert (note.owner_organisation, note.due) == (AF, date(2018, 9, 1))
    assert note.text == "skickar statistiken"


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        ("1/3", date(2019, 3, 1)),  # over two months ago: next year
        ("5 jan", date(2019, 1, 5)),
        ("13/4", date(2019, 4, 13)),  # 62 days ago
        ("14/4", date(2018, 4, 14)),  # 61 days ago: still this year
        ("1/5", date(2018, 5, 1)),  # six weeks ago: this year, as written
        ("1/3 2018", date(2018, 3, 1)),  # a year given is a year kept
    ],
)
def test_dates_without_a_year_roll_over_when_long_past(phrase: str, due: date) -> None:
    assert due_of(phrase) == due


def test_relative_dates_across_the_new_year() -> None:
    december = date(2018, 12, 20)  # a Thursday
    assert due_of("10/1", december) == date(2019, 1, 10)
    assert due_of("2 jan", december) == date(2019, 1, 2)
    assert due_of("om 2 veckor", december) == date(2019, 1, 3)
    assert due_of("nästa vecka", december) == date(2018, 12, 24)
    assert due_of("vecka 1", december) == date(2019, 1, 4)
    assert due_of("vecka 51", december) == date(2018, 12, 21)
    assert due_of("månadsskiftet", december) == date(2018, 12, 31)
    assert due_of("om en månad", december) == date(2019, 1, 20)


def test_a_month_later_keeps_to_the_end_of_a_short_month() -> None:
    assert due_of("om en månad", date(2018, 1, 31)) == date(2018, 2, 28)


def test_the_29th_of_february_finds_its_leap_year() -> None:
    assert due_of("29/2", date(2019, 12, 1)) == date(2020, 2, 29)
    assert due_of("29 feb 2020") == date(2020, 2, 29)


def test_week_53_exists_only_in_some_years() -> None:
    assert due_of("v53", date(2020, 6, 1)) == date(2021, 1, 1)  # week 53 of 2020 ends in 2021
    note = parse("å: Boka lokal v. 53")
    assert (note.due, note.text) == (None, "Boka lokal v. 53")
    assert note.problems == ("there is no week 53 in 2018",)


@pytest.mark.parametrize("phrase", ["31/2", "29/2", "30 feb", "2018-13-01", "2018-02-30", "32 sep"])
def test_a_date_that_does_not_exist_stays_and_is_reported(phrase: str) -> None:
    note = parse(f"å: Boka lokal {phrase}")
    assert (note.due, note.text) == (None, f"Boka lokal {phrase}")
    assert note.problems == (f"there is no date {phrase}; write e.g. 2018-09-01, 1/9 or 1 sep",)


def test_the_date_phrase_is_cut_out_cleanly() -> None:
    def text(line: str) -> str:
        return clean(line).text

    assert text("å: Skicka rapporten senast fredag.") == "Skicka rapporten."
    assert text("å: Skicka (senast fredag) rapporten") == "Skicka rapporten"
    assert text("å: Senast fredag, skicka rapporten") == "skicka rapporten"
    assert (
        text("å: Skicka rapporten, senast fredag, till kansliet")
        == "Skicka rapporten, till kansliet"
    )
    assert text("å: Skicka rapporten, senast fredag") == "Skicka rapporten"


def test_dates_are_read_only_in_action_items() -> None:
    for line in ("Vi ses på fredag", "b: Nästa möte 1/9", "f: Hinner ni till v. 36?"):
        note = clean(line)
        assert (note.due, note.text) == (None, line.partition(": ")[2] or line)


def test_words_that_only_contain_a_date_word_are_text() -> None:
    for line in ("å: Fira med fredagsmys", "å: Följ upp det vi sa i fredags", "å: Dela 50/50",
                 "å: Läs 1/13 av rapporten", "å: Skicka till kansliet"):  # fmt: skip
        note = clean(line)
        assert (note.due, note.text) == (None, line[3:]), line


def test_the_first_introduced_date_wins_over_earlier_bare_ones() -> None:
    note = clean("å: Boka möte 1/9, återkoppla senast 15/9")
    assert (note.due, note.text) == (date(2018, 9, 15), "Boka möte 1/9, återkoppla")


def test_without_an_introduced_date_the_first_one_wins() -> None:
    note = clean("å: Ring på fredag och på måndag")
    assert (note.due, note.text) == (date(2018, 6, 15), "Ring och på måndag")


def test_an_action_with_only_an_owner_and_a_date_has_no_text() -> None:
    note = parse("å: @AF fredag")
    assert (note.owner_organisation, note.due, note.text) == (AF, date(2018, 6, 15), "")
    assert note.problems == ("the note has no text; write what was said, decided or is to be done",)


def test_parse_due_reads_a_field_that_holds_only_a_date() -> None:
    assert parse_due(" på  fredag ", TODAY) == (date(2018, 6, 15), None)
    assert parse_due("", TODAY) == (None, None)
    assert (
        parse_due("31/2", TODAY)[1] == "there is no date 31/2; write e.g. 2018-09-01, 1/9 or 1 sep"
    )
    assert parse_due("snart", TODAY) == (
        None,
        "snart is not a date; write e.g. 2018-09-01, 1/9, 1 sep or fredag",
    )


def test_find_due_gives_the_span_of_the_phrase() -> None:
    found = find_due("Ring senast fredag.", TODAY)
    assert found is not None
    assert (found.start, found.end, found.value) == (5, 18, date(2018, 6, 15))
    assert find_due("Ring snart", TODAY) is None


# ---------------------------------------------------------------- whitespace and messages


def test_whitespace_is_tidied() -> None:
    note = clean("  b:   vi \t kör\n nu  ")
    assert note.text == "vi kör nu"
    assert parse("   ").problems == (
        "the note has no text; write what was said, decided or is to be done",
    )


def test_every_problem_goes_through_the_translation_function(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def translate(message: str) -> str:
        return "»" + message

    monkeypatch.setattr(note_input, "_", translate)
    monkeypatch.setattr(natural_dates, "_", translate)
    lines = ["@XYZ hej", "@Anna hej", "å: @AF @SKE 31/2", "å: x v53", "b:"]
    problems = [p for line in lines for p in parse(line).problems]
    assert len(problems) == 6
    assert all(p.startswith("»") for p in problems), problems
    assert parse_note("@Kim", (), (), today=TODAY).problems[0].startswith("»")


def test_a_bug_in_the_parser_keeps_the_line_as_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> ParsedNote:
        raise RuntimeError("bug")

    monkeypatch.setattr(note_input, "_parse", broken)
    note = parse("  b: @AF  Vi kör ")
    assert (note.text, note.kind) == ("b: @AF Vi kör", None)
    assert note.problems == ("the note could not be read, so it is kept as typed",)


# ---------------------------------------------------------------- completion


def complete(line: str, cursor: int | None = None) -> list[str]:
    return complete_mention(line, len(line) if cursor is None else cursor, ORGS, PEOPLE)


def test_a_bare_at_offers_every_organisation_then_the_participants() -> None:
    assert complete("@")[:4] == ["@AF", "@FAL", "@SKE", "@SOD"]
    assert set(complete("@")[4:]) == {
        "@Per", "@Sara", "@Jonas", "@Fredrik", "@Anna-Karin", '@"Anna Berg"', '@"Anna Lindqvist"',
    }  # fmt: skip


def test_short_codes_come_first_then_names() -> None:
    assert complete("@s") == ["@SKE", "@SOD", "@Sara", '@"Per Sjöberg"', '@"Fredrik Sandberg"']
    assert complete("Hej @SK") == ["@SKE"]


def test_an_organisation_is_offered_by_a_word_of_its_name() -> None:
    assert complete("@arb") == ["@AF"]
    assert complete("@falu") == ["@FAL"]


def test_a_shared_first_name_is_offered_as_full_names() -> None:
    assert complete("@an") == ["@Anna-Karin", '@"Anna Berg"', '@"Anna Lindqvist"']
    assert complete("@fr") == ["@Fredrik"]


def test_a_last_name_offers_the_full_name() -> None:
    assert complete("@lind") == ['@"Anna Lindqvist"']


def test_after_a_quotation_mark_only_full_names_are_offered() -> None:
    assert complete('@"an') == ['@"Anna Berg"', '@"Anna-Karin Ek"', '@"Anna Lindqvist"']
    assert complete('@"Anna L') == ['@"Anna Lindqvist"']
    assert complete("@”ek") == ['@"Anna-Karin Ek"']


def test_completion_looks_at_the_word_before_the_cursor() -> None:
    assert complete("@sk och mer", 3) == ["@SKE"]
    assert complete("@ske och mer", 2) == [
        "@SKE",
        "@SOD",
        "@Sara",
        '@"Per Sjöberg"',
        '@"Fredrik Sandberg"',
    ]
    assert complete("@AF och", 7) == []
    assert complete("@AF ", 4) == []


def test_nothing_to_complete() -> None:
    assert complete("Vi har tre") == []
    assert complete("anna@af") == []
    assert complete("@@") == []
    assert complete("@xyz") == []
    assert complete("@sk", 99) == ["@SKE"]
    assert complete("@sk", -4) == []


def test_mention_at_finds_where_the_mention_starts() -> None:
    assert mention_at("Fråga @sk", 9) == (6, "sk")
    assert mention_at('@"Anna B', 8) == (0, '"Anna B')
    assert mention_at("Fråga sk", 8) is None


def test_apply_completion_replaces_the_word_and_adds_a_space() -> None:
    assert apply_completion("@sk", 3, "@SKE") == ("@SKE ", 5)
    assert apply_completion("Fråga @sk om det", 9, "@SKE") == ("Fråga @SKE om det", 11)
    assert apply_completion("@skxx om", 3, "@SKE") == ("@SKE om", 5)
    assert apply_completion("@sk, då", 3, "@SKE") == ("@SKE, då", 4)
    assert apply_completion('@"Anna L"', 8, '@"Anna Lindqvist"') == ('@"Anna Lindqvist" ', 18)
    assert apply_completion("ingen", 5, "@SKE") == ("ingen", 5)


# ---------------------------------------------------------------- never raises

FRAGMENTS = [
    "@", "@AF", "@af", "@SKE", '@"', '@"Anna Berg"', "@”Anna", "@Anna", "@Anna-Karin", "@@x",
    "b:", "å:", "todo:", "att göra:", "c:", "Obs :", '"', "”", "'", "«", "»", "(", ")", "[",
    ",", ".", ":", ";", "-", "–", "\n", "\t", "senast", "till", "på", "den", "the", "by",
    "fredag", "friday", "nästa", "vecka", "week", "v.", "v", "36", "53", "0", "00", "1/9",
    "31/2", "29/2", "1/9-18", "2018-09-01", "9999-12-31", "0001-01-01", "1:a", "sep", "Sep",
    "om", "in", "999", "en", "veckor", "months", "månadsskiftet", "idag", "imorgon", "?",
]  # fmt: skip
LINES = st.one_of(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=14).map(" ".join),
    st.lists(st.sampled_from(FRAGMENTS), max_size=10).map("".join),
    st.text(),
)
ORG_LISTS = st.lists(
    st.builds(
        OrganisationView,
        id=st.sampled_from(["o1", "o2", "o3", ""]),
        short=st.one_of(st.sampled_from(["AF", "af", "SKE", "", " ", "Anna"]), st.text(max_size=4)),
        name=st.text(max_size=12),
        kind=st.just("other"),
        position=st.integers(-2, 9),
    ),
    max_size=5,
)
PEOPLE_LISTS = st.lists(
    st.builds(
        PersonView,
        id=st.sampled_from(["p1", "p2", "p3"]),
        name=st.one_of(
            st.sampled_from(["Anna Berg", "Anna Lindqvist", "Anna", "", "  ", "O'Brien X"]),
            st.text(max_size=12),
        ),
        organisation_id=st.sampled_from(["o1", "o2", "o3", "nowhere"]),
    ),
    max_size=5,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    line=LINES,
    organisations=ORG_LISTS,
    people=PEOPLE_LISTS,
    today=st.dates(),
    default_kind=st.none() | st.sampled_from(list(NoteKind)),
    cursor=st.integers(-3, 80),
)
def test_no_line_makes_the_parser_raise(
    line: str,
    organisations: list[OrganisationView],
    people: list[PersonView],
    today: date,
    default_kind: NoteKind | None,
    cursor: int,
) -> None:
    note = parse_note(line, organisations, people, today=today, default_kind=default_kind)
    # The safety net in parse_note must never be what answered.
    assert "the note could not be read, so it is kept as typed" not in note.problems
    assert note.text == " ".join(note.text.split())
    assert all(isinstance(p, str) and p for p in note.problems)
    assert note.text or note.problems
    if (note.kind or default_kind) is not NoteKind.ACTION:
        assert (note.due, note.owner_organisation, note.owner_person) == (None, None, None)
    candidates = complete_mention(line, cursor, organisations, people)
    assert all(c.startswith("@") for c in candidates)
    for candidate in candidates[:2]:
        new_line, new_cursor = apply_completion(line, cursor, candidate)
        assert candidate in new_line
        assert 0 <= new_cursor <= len(new_line)


@settings(max_examples=200, deadline=None)
@given(text=LINES, today=st.dates())
def test_no_text_makes_the_date_reader_raise(text: str, today: date) -> None:
    found = find_due(text, today)
    if found is not None:
        assert (found.value is None) != (found.problem is None)
        assert 0 <= found.start < found.end <= len(text)
    parse_due(text, today)
