"""The tally's choice of quotes, made as remarks pass, is the rule applied to the whole list."""

from __future__ import annotations

import random

import pytest

from samverkan.domain.series_tally import QuoteChoice, SeriesTally, TagSet, code_runs


def ranked_choice(observers: list[int], meetings: list[str]) -> list[int]:
    """The rule as stated: rank by most observers then earliest; take two from different
    meetings if there are, else the two best."""
    ranked = sorted(range(len(observers)), key=lambda i: (-observers[i], i))
    chosen: list[int] = []
    seen: set[str] = set()
    for index in ranked:
        if len(chosen) == 2:
            break
        if meetings[index] not in seen:
            chosen.append(index)
            seen.add(meetings[index])
    for index in ranked:
        if len(chosen) == 2:
            break
        if index not in chosen:
            chosen.append(index)
    return sorted(chosen)


@pytest.mark.parametrize("seed", range(300))
def test_the_streamed_choice_is_the_ranked_one(seed: int) -> None:
    rng = random.Random(seed)
    size = rng.randint(1, 14)
    observers = [rng.randint(1, 3) for _ in range(size)]
    meetings = [rng.choice("ab" if seed % 3 else "abcd") for _ in range(size)]
    choice = QuoteChoice((observers[0], 0, meetings[0], 0, ()))
    for index in range(1, size):
        choice.offer((observers[index], index, meetings[index], index, ()))
    assert [c[3] for c in choice.chosen()] == ranked_choice(observers, meetings)


@pytest.mark.parametrize("seed", range(100))
def test_codes_settled_early_keep_the_same_quotes(seed: int) -> None:
    """With ``most`` the tally stops looking at a code once nothing can change its quotes."""
    rng = random.Random(seed)
    people = ["A", "B", "C"]
    notes = []
    for index in range(rng.randint(1, 40)):
        tags = tuple(
            sorted((code, person) for code in "xyz" for person in people if rng.random() < 0.4)
        )
        if tags:
            notes.append((index, rng.choice("mnop"), tags))
    sets: dict[tuple[tuple[str, str], ...], TagSet] = {}

    def fed(most: dict[str, int] | None) -> dict[str, tuple[int, ...]]:
        tally = SeriesTally(most)
        for index, meeting, tags in notes:
            tag_set = sets.setdefault(tags, TagSet(tags))
            tally.add(tally.cell(meeting, None), tag_set, False, index, index)
        tally.choose(lambda item, _tags: item)
        return tally.quotes

    settled = fed({code: 3 for code in "xyz"})
    for tag_set in sets.values():  # a tag set's open codes belong to one tally
        tag_set.seen, tag_set.open = 0, tag_set.runs
    plain = fed(None)
    assert settled == plain
    for code, quoted in plain.items():
        having = [(i, m, dict(code_runs(t)).get(code, 0)) for i, m, t in notes]
        having = [h for h in having if h[2]]
        expected = ranked_choice([n for *_x, n in having], [m for _i, m, _n in having])
        assert quoted == tuple(having[i][0] for i in expected)


def test_a_code_counts_once_per_remark_per_cell() -> None:
    tally = SeriesTally()
    both = TagSet((("x", "A"), ("x", "B"), ("y", "A")))
    one = TagSet((("y", "B"),))
    tally.add(tally.cell("m1", "o1"), both, False, 0, "n0")
    tally.add(tally.cell("m1", "o2"), one, True, 1, "n1")
    tally.add(tally.cell("m2", "o1"), both, False, 2, "n2")
    per_meeting, per_org, totals = tally.code_counts(["x", "y", "z"])
    assert totals == {"x": 2, "y": 3, "z": 0}
    assert per_meeting == {("x", "m1"): 1, ("y", "m1"): 2, ("x", "m2"): 1, ("y", "m2"): 1}
    assert per_org == {("x", "o1"): 2, ("y", "o1"): 2, ("y", "o2"): 1}
    # The observer's own note (n1) is no unit and makes nobody a coder.
    units, per = tally.units({"m1": frozenset("AB"), "m2": frozenset("AB")})
    assert units == {(frozenset("AB"), both.tags): 2}
    assert per == {"m1": 1, "m2": 1}
    assert tally.coders() == {"m1": {"A", "B"}, "m2": {"A", "B"}}
