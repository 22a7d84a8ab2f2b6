"""The minutes of a hand-built meeting: golden files in Swedish and English, and the rules.

``UPDATE_GOLDEN=1 pytest tests/domain/test_minutes.py`` writes the golden
files anew; read the diff before committing it.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from samverkan.domain.errors import UserError
from samverkan.domain.minutes import MinutesData, render_minutes
from samverkan.domain.model import MeetingStatus
from samverkan.i18n import current_language, use_language
from tests.domain.minutes_fixture import MEETING, NOTES, PHASES, minutes_data

GOLDEN = Path(__file__).parent.parent / "golden"
CASES = {
    "minutes-sv.md": ("sv", None),
    "minutes-en.md": ("en", None),
    "minutes-org-sv.md": ("sv", "FAL"),
}


def rendered(lang: str, org: str | None, data: MinutesData | None = None) -> str:
    with use_language(lang):
        return render_minutes(data or minutes_data(), org=org)


def check_golden(name: str, folder: Path) -> None:
    text = rendered(*CASES[name])
    path = folder / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert text == path.read_bytes().decode("utf-8"), f"differs from {path}; see the module doc"


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    check_golden(name, GOLDEN)


def test_update_golden_regenerates_the_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("UPDATE_GOLDEN", "1")
    for name in CASES:
        check_golden(name, tmp_path / "golden")
        assert (tmp_path / "golden" / name).read_bytes() == (GOLDEN / name).read_bytes()


def test_same_data_gives_the_same_bytes() -> None:
    first = rendered("sv", None)
    again = rendered("sv", None, replace(minutes_data(), notes=tuple(NOTES)))
    assert first.encode() == again.encode()


def test_rendering_leaves_the_interface_language_alone() -> None:
    rendered("sv", None)
    assert current_language() == "en"


def test_the_language_changes_every_label() -> None:
    sv, en = rendered("sv", None), rendered("en", None)
    assert sv.startswith("# Minnesanteckningar från möte 2:")
    assert en.startswith("# Minutes of meeting 2:")
    for label in ("## Närvaro", "## Beslut", "## Åtgärder", "## Nästa möte", "Planerad tid"):
        assert label in sv and label not in en


def test_a_meeting_not_closed_is_a_draft_marked_at_the_top() -> None:
    open_meeting = replace(
        MEETING,
        summary=replace(MEETING.summary, status=MeetingStatus.RUNNING),
        closed_at=None,
    )
    data = replace(minutes_data(), meeting=open_meeting)
    lines = rendered("sv", None, data).splitlines()
    assert lines[2].startswith("**Utkast**")
    assert "Utkast" not in rendered("sv", None).splitlines()[2]
    assert rendered("en", None, data).splitlines()[2].startswith("**Draft**")


def test_times_are_stockholm_time_unless_told_otherwise() -> None:
    # 08:14 UTC; the 10-minute pause excluded from the phase's duration.
    assert "10:14–10:50 (26 min)" in rendered("en", None)
    utc = rendered("en", None, replace(minutes_data(), tz="UTC"))
    assert "08:14–08:50 (26 min)" in utc


def test_notes_show_clock_times_and_offsets_only_on_request() -> None:
    # Note 5 was written 55 minutes after the 08:00 UTC start: 10:55 in Stockholm.
    assert "- 10:55 · Skellefteå kommun: Vi har en koordinator" in rendered("en", None)
    with use_language("en"):
        offsets = render_minutes(minutes_data(), offsets=True)
    assert "- +55:00 · Skellefteå kommun: Vi har en koordinator" in offsets


def test_durations_read_as_durations() -> None:
    from samverkan.domain.minutes import span

    assert [span(s) for s in (40, 60, 17 * 60 + 10, 3600, 3600 + 5 * 60)] == [
        "40 s",
        "1 min",
        "17 min",
        "1 h",
        "1 h 5 min",
    ]


def test_observers_are_those_who_took_part_and_done_items_are_listed() -> None:
    text = rendered("en", None)
    assert "- **Observers:** Cecilia Norberg\n" in text  # Anders was planned but not there
    assert "## Done since the last meeting" in text
    assert "| Boka lokal i Skellefteå | Skellefteå kommun | 2018-04-20 | 1 |" in text
    assert "2018-05-01 (carried on; first due 2018-04-01)" in text
    assert "| Skicka rutinen till alla | no owner named |" in text


def test_an_unknown_zone_falls_back_to_utc() -> None:
    assert "08:14–08:50" in rendered("en", None, replace(minutes_data(), tz="Mars/Olympus"))


def test_a_phase_not_held_says_so() -> None:
    assert "## 5. Nästa möte\n\n**Planerad tid:** – · **Faktisk tid:** hölls inte" in rendered(
        "sv", None
    )


def test_org_version_keeps_its_own_shared_and_decisions_but_no_other_remarks() -> None:
    text = rendered("en", "fal")  # short codes ignore case
    assert "Vi ringer varandra" in text  # FAL's quote
    assert "Välkomna! Vi börjar" in text  # the group's note
    assert "Gemensam kartläggningsmall" in text  # a decision of the group
    assert "SKE delar sin rutin" in text  # a decision voiced by SKE is still the group's
    assert "Ta fram ett utkast till mall" in text  # FAL's action item
    assert "Alla ska pröva mallen" in text  # the group's action item
    for other in ("koordinator", "sekretessen", "Kostnad", "Bjuda in", "Skicka rutinen"):
        assert other not in text, other
    assert "Sammanställa statistik" not in text  # AF's action carried from meeting 1
    assert "Sammanställa statistik" in rendered("en", None)


def test_org_version_quotes_only_visible_remarks_in_the_observers_summary() -> None:
    text = rendered("en", "SKE")
    summary = text.split("### Observer's summary")[1].split("## Decisions")[0]
    assert "sekretessen" not in summary and "Vi ringer" not in summary
    assert "koordinator" in summary


def test_an_unknown_organisation_is_one_sentence() -> None:
    with pytest.raises(UserError, match="there is no organisation XYZ in grupp-1; choose one of"):
        rendered("en", "XYZ")


def test_deleted_notes_never_appear() -> None:
    # Deleted notes are not in MinutesData (the service leaves them out); a
    # meeting with none left still renders every section.
    text = rendered("en", None, replace(minutes_data(), notes=()))
    assert "*No notes.*" in text and "No decisions were recorded." in text


def test_the_minutes_are_well_formed_markdown() -> None:
    tokens = MarkdownIt("gfm-like").parse(rendered("sv", None))
    headings = [t for t in tokens if t.type == "heading_open"]
    assert [t.tag for t in headings].count("h1") == 1
    assert len([t for t in headings if t.tag == "h2"]) == len(PHASES) + 5
    assert any(t.type == "table_open" for t in tokens)


def test_group_level_minutes_show_codes_and_counts_but_no_one_behind_them() -> None:
    from samverkan.domain.model import MinutesObservation

    with use_language("en"):
        group = render_minutes(minutes_data(), observation=MinutesObservation.GROUP)
        nothing = render_minutes(minutes_data(), observation=MinutesObservation.NONE)
        everything = render_minutes(minutes_data())  # the fixture project says all
    summary = group[group.index("### Observer's summary") : group.index("## 5.")]
    assert "- Gemensamt synsätt: 3" in summary
    assert "Falu kommun" not in summary and "Skellefteå kommun" not in summary
    assert "Gruppen ser individanpassning" not in group  # the observer's own remark
    assert "Observer's summary" not in nothing and "Gemensamt synsätt" not in nothing
    assert "Gruppen ser individanpassning" not in nothing
    assert "  - 10:16 · Falu kommun: \\# Inte en rubrik" in everything
    assert "Gruppen ser individanpassning" in everything
    # Decisions and action items are the group's whatever the setting.
    assert "Gemensam kartläggningsmall" in group and "Gemensam kartläggningsmall" in nothing


def test_the_questions_covered_are_listed_under_their_phase() -> None:
    """The facilitator ticked two of three questions (ctrl+y): the minutes name them."""
    data = minutes_data()
    discussion = replace(
        PHASES[2],
        prompts=("Vem gör vad?", "Vilka *ingångar* finns?", "Vad mäter ni?"),
        covered=(2, 0),
    )
    phases = tuple(discussion if p.id == discussion.id else p for p in PHASES)
    data = replace(data, meeting=replace(data.meeting, phases=phases))
    text = rendered("en", None, data)
    assert "**Questions discussed (2 of 3):** \\\n– Vem gör vad? \\\n– Vad mäter ni?\n" in text
    html = MarkdownIt("commonmark").render(text)
    assert "Vilka" not in html  # not covered, not listed
    with use_language("sv"):
        assert "Diskuterade frågor (2 av 3)" in render_minutes(data)
    assert "Questions discussed" not in rendered("en", None)  # none covered: no line
