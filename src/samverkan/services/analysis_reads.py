"""The two big reads of the analysis: a project's tags, then its notes, each in one pass.

Over 500 meetings these are 1,000,000 tags and 500,000 notes, and the report must
stay within 5 s and 300 MB, so each table is read once, as a stream, and nothing
is held per row that the series does not keep:

- the tags first, into each note's list of (code id, observer) pairs; the pairs
  and the observers' names are shared objects (a few dozen), not one per row;
- then the notes: each note takes its tags out of that index as it passes, counts
  towards its meeting and organisation, and becomes a :class:`Remark` only if it
  is kept (tagged, a decision or an action item; every note for the tag export).
  Ids and names repeated on every row (meeting, phase, organisation, author) are
  shared too.

Values are converted here (:mod:`samverkan.store.values`: SQLite keeps times as UTC
ISO text, dates as ISO text, booleans as 0/1; a server gives typed values).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from samverkan.domain.model import CodeView, NoteKind
from samverkan.domain.observers import first_spellings, has_variants
from samverkan.domain.series import Remark
from samverkan.domain.series_tally import Cell, SeriesTally, TagSet
from samverkan.store.reading import Reader
from samverkan.store.values import day, utc

_KINDS = {kind.value: kind for kind in NoteKind}
_OBSERVATION = NoteKind.OBSERVATION.value
# Notes the analysis keeps whole even when nobody tagged them.
_KEPT_KINDS = frozenset({NoteKind.DECISION.value, NoteKind.ACTION.value})

Pair = tuple[str, str]  # (code id, observer)

# A project's codes are its own, so its tags are those with its code ids. When the
# project holds a good part of the file, one sequential pass over the table beats the
# code index (which ends in a random read per tag): 0.17 s against 0.39 s for 200,000
# tags; for a tenth of the file the index wins (0.06 s against 0.19 s).
_TAGS_SQL = "SELECT note_id, code_id, observer, active FROM tag {hint} WHERE code_id IN ({codes})"
_SCAN_SHARE = 3  # scan when the project has more than a third of the notes
# In series order (meeting number, time, id), so the remarks need no sorting and the
# tally sees them in order. Times sort as text on SQLite (one width, UTC). The first
# four columns are what every note is counted by; the rest make a remark.
_NOTES_SQL = """
    SELECT note.id, note.meeting_id, note.organisation_id, note.kind = 'observation'{whole}
    FROM meeting JOIN note ON note.meeting_id = meeting.id
    WHERE meeting.project_id = ? AND NOT note.deleted{only}
    ORDER BY meeting.number, note.created_at, note.id{collate}
"""
_WHOLE = (
    ", note.kind, note.created_at, note.phase_id, note.author, note.text, note.offset_seconds, "
    "note.owner_organisation_id, note.due, note.done, note.owner_person_id"
)
# Without the tagged remarks, the counting pass fetches four columns a note (0.6 s
# over 500,000 notes where the whole rows take 1.2 s) and the decisions and action
# items are read whole on their own.
_KEPT_ONLY = " AND note.kind IN ('decision', 'action')"
_SOME_NOTES_SQL = (
    "SELECT note.id, note.meeting_id, note.organisation_id, note.kind = 'observation'"
    + _WHOLE
    + " FROM note WHERE note.id IN ({marks})"
)


@dataclass
class Tags:
    """Every tag of the project's codes, by note, as read (before the notes are)."""

    active: dict[str, tuple[Pair, ...]] = field(default_factory=dict)
    # observers of tags since removed: they still coded the meeting
    inactive: dict[str, list[str]] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)  # codes some active tag uses
    pairs: set[Pair] = field(default_factory=set)  # (code, observer) of active tags
    observers: set[str] = field(default_factory=set)  # every spelling, deleted notes too


@dataclass
class Notes:
    remarks: tuple[Remark, ...]  # by meeting number, then time, then id
    counts: dict[tuple[str, str | None], int]  # (meeting, organisation) -> notes
    coders: dict[str, frozenset[str]]  # meeting -> observers of its record
    observations: dict[str, int]  # meeting -> observers' own notes
    tally: SeriesTally  # every tagged note, counted


def read_tags(reader: Reader, project_id: str, code_ids: list[str]) -> Tags:
    """Active tags per note (unsorted), and the observers of removed ones."""
    found = Tags()
    if not code_ids:
        return found
    notes = reader.one(
        "SELECT count(*) FROM note "
        "WHERE meeting_id IN (SELECT id FROM meeting WHERE project_id = ?)",
        (project_id,),
    )[0]
    hint = reader.full_scan_hint(notes * _SCAN_SHARE)
    sql = _TAGS_SQL.format(hint=hint, codes=", ".join("?" * len(code_ids)))
    pairs: dict[Pair, Pair] = {}
    shared = pairs.get
    active = found.active
    tags_of = active.get
    inactive = found.inactive
    for note_id, code_id, observer, is_active in reader.rows(sql, code_ids):
        if is_active:
            pair = (code_id, observer)
            pair = shared(pair) or pairs.setdefault(pair, pair)
            # Tuples, not lists: a note has two or three tags, and a list's separate
            # item array would be left as holes in memory once the notes take them.
            held = tags_of(note_id)
            active[note_id] = (pair,) if held is None else (*held, pair)
        else:
            inactive.setdefault(note_id, []).append(observer)
    found.pairs = set(pairs)
    found.codes = {code for code, _observer in pairs}
    found.observers = {observer for _code, observer in pairs}
    found.observers.update(o for names in inactive.values() for o in names)
    return found


def read_notes(
    reader: Reader,
    project_id: str,
    tags: Tags,
    codes: tuple[CodeView, ...],
    *,
    every_note: bool = False,
    tagged: bool = True,
) -> Notes:
    """The project's notes (not deleted) in one pass in series order, taking their tags
    out of ``tags``; every tagged note is counted into the tally as it passes.

    The remarks are the tagged notes, decisions and action items (every note with
    ``every_note``; only decisions and action items without ``tagged``). Tags of
    deleted notes are left out. An observer who tagged and then untagged still
    coded the meeting. Tags on observers' own notes count, but do not make a coder
    of the facilitator's record. Each remark's tags are in codebook order, then by
    observer, each observer under the spelling first written.
    """
    _one_spelling(reader, tags, codes)
    rank = _ranks(codes, tags.pairs)
    most: dict[str, int] = {}
    for code, _observer in tags.pairs:
        most[code] = most.get(code, 0) + 1
    tally = SeriesTally(most)
    count_tagged = tally.add
    active, inactive = tags.active, tags.inactive
    shared: dict[Any, Any] = {}
    same = shared.setdefault
    tag_sets: dict[tuple[Pair, ...], TagSet] = {}
    in_order: dict[tuple[Pair, ...], TagSet] = {}  # each note's tags as read -> sorted

    def tag_set(found: tuple[Pair, ...]) -> TagSet:
        known = in_order.get(found)
        if known is None:
            ordered = tuple(sorted(found, key=rank))
            known = tag_sets.get(ordered)
            if known is None:
                known = tag_sets[ordered] = TagSet(ordered)
            in_order[found] = known
        return known

    def tags_of(note_id: str) -> tuple[Pair, ...]:
        found = active.get(note_id)
        return () if found is None else tag_set(found).tags

    whole = tagged or every_note
    collate = ' COLLATE "C"' if reader.kind == "postgresql" else ""
    kept: list[Remark] = []
    if not whole:  # before the pass, which takes the tags out
        sql = _NOTES_SQL.format(whole=_WHOLE, only=_KEPT_ONLY, collate=collate)
        kept = [_remark(row, tags_of(row[0]), same) for row in reader.rows(sql, (project_id,))]
    removed_by: dict[str, set[str]] = {}  # meeting -> observers of removed tags
    sql = _NOTES_SQL.format(whole=_WHOLE if whole else "", only="", collate=collate)
    meeting = None
    cells: dict[str | None, Cell] = {}  # the meeting's, by organisation
    for index, row in enumerate(reader.rows(sql, (project_id,))):
        nid, mid, org_id, observation = row[0], row[1], row[2], row[3]
        if mid != meeting:  # notes come meeting by meeting
            meeting, cells = mid, {}
        cell = cells.get(org_id)
        if cell is None:
            cell = cells[org_id] = tally.cell(same(mid, mid), same(org_id, org_id))
        cell.notes += 1
        if observation:
            cell.observations += 1
        if inactive:
            removed = inactive.pop(nid, None)
            if removed is not None and not observation:
                names = removed_by.get(mid)
                if names is None:
                    removed_by[mid] = names = set()
                names.update(removed)
        found = active.pop(nid, None)
        if found is not None:
            known = in_order.get(found)
            if known is None:
                known = tag_set(found)
            count_tagged(cell, known, observation, index, nid)
            if whole:
                kept.append(_remark(row, known.tags, same))
        elif every_note or (whole and row[4] in _KEPT_KINDS):
            kept.append(_remark(row, (), same))
    # The quoted remarks, read whole: a few dozen.
    chosen = list(dict.fromkeys(tally.chosen_items()))
    rows: dict[str, Any] = {}
    for start in range(0, len(chosen), 500):
        part = chosen[start : start + 500]
        sql = _SOME_NOTES_SQL.format(marks=", ".join("?" * len(part)))
        rows.update((row[0], row) for row in reader.rows(sql, part))
    tally.choose(lambda nid, note_tags: _remark(rows[nid], note_tags, same))
    coders = tally.coders()
    for mid, names in removed_by.items():
        coders.setdefault(mid, set()).update(names)
    observations: dict[str, int] = {}
    for cell in tally.cells.values():
        if cell.observations:
            observations[cell.meeting_id] = observations.get(cell.meeting_id, 0) + cell.observations
    return Notes(
        remarks=tuple(kept),
        counts={key: cell.notes for key, cell in tally.cells.items()},
        coders={m: frozenset(names) for m, names in coders.items()},
        observations=observations,
        tally=tally,
    )


def _remark(row: Any, tags: tuple[Pair, ...], same: Callable[[Any, Any], Any]) -> Remark:
    """A note's whole row (see _NOTES_SQL) as a remark; ids and names shared."""
    (nid, mid, org_id, _observation, kind, created_at, phase_id, author, text, offset, owner,
     due, done, person) = row  # fmt: skip
    return Remark(
        nid,
        same(mid, mid),
        same(phase_id, phase_id),
        same(org_id, org_id),
        same(author or "", author or ""),
        _KINDS[kind],
        text,
        utc(created_at),
        float(offset or 0.0),
        tags,
        same(owner, owner),
        day(due),
        bool(done),
        same(person, person),
    )


def _ranks(codes: tuple[CodeView, ...], pairs: set[Pair]) -> Callable[[Pair], tuple[int, str]]:
    """Sort key of a tag: codebook order, then observer (looked up, not worked out, for
    the few dozen pairs there are)."""
    position = {code.id: index for index, code in enumerate(codes)}
    last = len(position)
    return {pair: (position.get(pair[0], last), pair[1]) for pair in pairs}.__getitem__


_LIVE_OBSERVERS_SQL = (
    "SELECT DISTINCT tag.observer FROM tag JOIN note ON note.id = tag.note_id "
    "WHERE tag.code_id IN ({codes}) AND NOT note.deleted"
)


def _one_spelling(reader: Reader, tags: Tags, codes: tuple[CodeView, ...]) -> None:
    """Rewrite every spelling of an observer's name in ``tags`` as the one first written.

    Rare, and looked for only when the tags hold two spellings of one name: then
    among the notes not deleted (variants on deleted notes alone change nothing).
    """
    if not has_variants(tags.observers):
        return
    code_ids = [code.id for code in codes]
    sql = _LIVE_OBSERVERS_SQL.format(codes=", ".join("?" * len(code_ids)))
    spelled = sorted(row[0] for row in reader.rows(sql, code_ids))
    if not has_variants(spelled):
        return
    marks = ", ".join("?" * len(spelled))
    sql = f"SELECT observer, min(created_at) FROM tag WHERE observer IN ({marks}) GROUP BY observer"
    canonical = first_spellings(dict(reader.rows(sql, spelled)))
    pairs: dict[Pair, Pair] = {}
    for note_id, found in tags.active.items():
        tags.active[note_id] = tuple(
            dict.fromkeys(
                pairs.setdefault((code, o), (code, canonical.get(o, o))) for code, o in found
            )
        )
    for names in tags.inactive.values():
        names[:] = [canonical.get(o, o) for o in names]
    tags.pairs = set(pairs.values())
