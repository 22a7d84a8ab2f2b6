"""What the analysis counts over a series' tagged remarks, gathered as they pass, in order.

The report over 500 meetings covers 440,000 tagged notes, and it prints only figures
per code (per meeting, per organisation, the observers' agreement) and two quoted
remarks per code. So the read counts each tagged note into a :class:`SeriesTally`
as it streams past, in series order (meeting number, time, id), instead of building
a remark for it: remarks per (code, meeting, organisation), the facilitator's
remarks per (meeting, tags) (the agreement's units), and the remarks to quote,
chosen as they pass (:class:`QuoteChoice`) by the same rule whatever feeds the tally.
Each distinct set of tags is a :class:`TagSet`, worked out once; a tagged note only
appends its tag set to its (meeting, organisation) :class:`Cell`, and the counting is
done at the end by :class:`collections.Counter` (a dict update per note and code in
Python took 0.7 s over 500 meetings).

:func:`tally_of` feeds one from remarks already read (the same counting, for a
series built without the read's tally).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from itertools import chain
from operator import attrgetter
from typing import Any

from samverkan.domain.model import NoteKind

Tags = tuple[tuple[str, str], ...]  # (code id, observer), codebook order, then observer
Runs = tuple[tuple[str, int], ...]  # (code id, observers who gave it)


def code_runs(tags: Tags) -> Runs:
    """Each code of ``tags`` (sorted by code) with how many observers gave it."""
    runs: list[tuple[str, int]] = []
    for code, _observer in tags:
        if runs and runs[-1][0] == code:
            runs[-1] = (code, runs[-1][1] + 1)
        else:
            runs.append((code, 1))
    return tuple(runs)


class QuoteChoice:
    """The remarks to quote for one code, chosen as its remarks pass in series order.

    The rule: most observers agreeing first, from different meetings; ties go to
    the earlier remark. So the first quote is the earliest remark with the most
    observers; the second the earliest with the most observers in another meeting,
    or, when every remark is in one meeting, the runner-up there. Each candidate is
    (observers, index in the series, meeting id, item, tags); only strictly more
    observers replaces one, so earlier remarks win ties.
    """

    __slots__ = ("best", "other", "second")

    def __init__(self, candidate: tuple[int, int, str, Any, Tags]) -> None:
        self.best = candidate
        self.other: tuple[int, int, str, Any, Tags] | None = None  # best of other meetings
        self.second: tuple[int, int, str, Any, Tags] | None = None  # runner-up of all

    def offer(self, candidate: tuple[int, int, str, Any, Tags]) -> None:
        observers, meeting_id = candidate[0], candidate[2]
        best = self.best
        if observers > best[0]:
            if meeting_id != best[2]:
                self.other = best  # the best so far, and in another meeting
            self.second = best
            self.best = candidate
            return
        other = self.other
        if meeting_id != best[2] and (other is None or observers > other[0]):
            self.other = candidate
        second = self.second
        if second is None or observers > second[0]:
            self.second = candidate

    def settled(self, most: int) -> bool:
        """Whether no later remark can change the choice (``most``: the most observers
        any remark can have for this code)."""
        return self.best[0] >= most and self.other is not None and self.other[0] >= most

    def chosen(self) -> list[tuple[int, int, str, Any, Tags]]:
        """The quotes in series order."""
        pair = self.other or self.second
        return sorted((self.best, pair) if pair else (self.best,), key=lambda c: c[1])


class TagSet:
    """One distinct set of tags, as the tally needs it (shared by every note that has it)."""

    __slots__ = ("codes", "open", "runs", "seen", "tags")

    def __init__(self, tags: Tags) -> None:
        self.tags = tags
        self.runs = code_runs(tags)
        self.codes = tuple(code for code, _n in self.runs)
        self.open: Runs = self.runs  # the runs of codes whose quotes may still change
        self.seen = 0  # the tally's count of settled codes when ``open`` was worked out


class Cell:
    """The notes of one organisation (or none) at one meeting.

    Each tagged note only appends its tag set here (the counting is done once at
    the end, by :class:`collections.Counter`); ``notes`` and ``observations`` are
    for the read to count every note, tagged or not.
    """

    __slots__ = ("meeting_id", "notes", "observations", "observed", "organisation_id", "record")

    def __init__(self, meeting_id: str, organisation_id: str | None) -> None:
        self.meeting_id = meeting_id
        self.organisation_id = organisation_id
        self.notes = 0
        self.observations = 0
        self.record: list[TagSet] = []  # per tagged note of the facilitator's record
        self.observed: list[TagSet] = []  # per tagged note an observer wrote


_codes_of = attrgetter("codes")


class SeriesTally:
    """Tagged notes counted per cell, and the quotes chosen, fed in series order.

    ``most`` gives, per code, the most observers any note can have for it (those
    who tagged with it at all): a code whose quotes can no longer change is not
    looked at again.
    """

    def __init__(self, most: Mapping[str, int] | None = None) -> None:
        self.cells: dict[tuple[str, str | None], Cell] = {}
        self.choices: dict[str, QuoteChoice] = {}
        self.quotes: dict[str, tuple[Any, ...]] = {}  # code id -> quoted remarks
        self._most = most or {}
        self._settled: set[str] = set()

    def cell(self, meeting_id: str, organisation_id: str | None) -> Cell:
        found = self.cells.get((meeting_id, organisation_id))
        if found is None:
            found = self.cells[(meeting_id, organisation_id)] = Cell(meeting_id, organisation_id)
        return found

    def add(self, cell: Cell, tag_set: TagSet, observation: bool, index: int, item: Any) -> None:
        """One tagged note of ``cell``; ``index`` grows along the series, ``item`` names it."""
        (cell.observed if observation else cell.record).append(tag_set)
        if tag_set.seen != len(self._settled):
            settled = self._settled
            tag_set.open = tuple(run for run in tag_set.runs if run[0] not in settled)
            tag_set.seen = len(settled)
        if tag_set.open:
            self._offer(tag_set.open, cell.meeting_id, index, item, tag_set.tags)

    def _offer(self, runs: Runs, meeting_id: str, index: int, item: Any, tags: Tags) -> None:
        choices = self.choices
        for code, observers in runs:
            candidate = (observers, index, meeting_id, item, tags)
            choice = choices.get(code)
            if choice is None:
                choices[code] = QuoteChoice(candidate)
                continue
            choice.offer(candidate)
            most = self._most.get(code)
            if most is not None and choice.settled(most):
                self._settled.add(code)

    def choose(self, remark: Callable[[Any, Tags], Any]) -> None:
        """Settle :attr:`quotes`: ``remark(item, tags)`` makes each chosen one a remark."""
        self.quotes = {
            code: tuple(remark(item, tags) for _n, _i, _m, item, tags in choice.chosen())
            for code, choice in self.choices.items()
        }

    def chosen_items(self) -> list[Any]:
        """The items of every quote (to read them whole)."""
        return [c[3] for choice in self.choices.values() for c in choice.chosen()]

    # ---------------------------------------------------------------- figures

    def code_counts(
        self, code_ids: Iterable[str]
    ) -> tuple[
        dict[tuple[str, str | None], int], dict[tuple[str, str | None], int], dict[str, int]
    ]:
        """Remarks per (code, meeting), per (code, organisation) and per code.

        A remark counts once per code however many observers gave it.
        """
        totals = dict.fromkeys(code_ids, 0)
        per_meeting: dict[tuple[str, str | None], int] = {}
        per_org: dict[tuple[str, str | None], int] = {}
        for cell in self.cells.values():
            tag_sets = chain(cell.record, cell.observed)
            for code, n in Counter(chain.from_iterable(map(_codes_of, tag_sets))).items():
                if code in totals:
                    totals[code] += n
                    by_meeting = (code, cell.meeting_id)
                    per_meeting[by_meeting] = per_meeting.get(by_meeting, 0) + n
                    by_org = (code, cell.organisation_id)
                    per_org[by_org] = per_org.get(by_org, 0) + n
        return per_meeting, per_org, totals

    def units(
        self, coders: Mapping[str, frozenset[str]]
    ) -> tuple[dict[tuple[frozenset[str], Tags], int], dict[str, int]]:
        """The facilitator's tagged remarks in the meetings of ``coders`` (meeting id ->
        its coders): counted by (the meeting's coders, tags), alike remarks of any of
        those meetings together, and counted per meeting."""
        records: dict[frozenset[str], list[list[TagSet]]] = {}
        per_meeting: dict[str, int] = {}
        for cell in self.cells.values():
            group = coders.get(cell.meeting_id)
            if group is not None and cell.record:
                records.setdefault(group, []).append(cell.record)
                per_meeting[cell.meeting_id] = per_meeting.get(cell.meeting_id, 0) + len(
                    cell.record
                )
        found: dict[tuple[frozenset[str], Tags], int] = {}
        for group, lists in records.items():
            for tag_set, n in Counter(chain.from_iterable(lists)).items():
                found[(group, tag_set.tags)] = n
        return found, per_meeting

    def coders(self) -> dict[str, set[str]]:
        """Meeting id -> observers who tagged a note of its record (tags now held)."""
        found: dict[str, set[str]] = {}
        for cell in self.cells.values():
            if cell.record:
                names = found.setdefault(cell.meeting_id, set())
                names.update(o for tag_set in set(cell.record) for _code, o in tag_set.tags)
        return found


def tally_of(remarks: Iterable[Any]) -> SeriesTally:
    """The tally of remarks already read, in series order (quotes are the remarks)."""
    tally = SeriesTally()
    observation = NoteKind.OBSERVATION
    tag_sets: dict[Tags, TagSet] = {}
    for index, remark in enumerate(remarks):
        if remark.tags:
            tag_set = tag_sets.get(remark.tags)
            if tag_set is None:
                tag_set = tag_sets[remark.tags] = TagSet(remark.tags)
            cell = tally.cell(remark.meeting_id, remark.organisation_id)
            tally.add(cell, tag_set, remark.kind is observation, index, remark)
    tally.choose(lambda remark, _tags: remark)
    return tally
