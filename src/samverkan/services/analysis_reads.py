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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any

from samverkan.domain.model import CodeView, NoteKind
from samverkan.domain.observers import first_spellings, has_variants
from samverkan.domain.series import MeetingInfo, Remark
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
_NOTES_SQL = """
    SELECT note.id, note.meeting_id, note.phase_id, note.organisation_id, note.author,
           note.kind, {text}, note.created_at, note.offset_seconds,
           note.owner_organisation_id, note.due, note.done, note.owner_person_id
    FROM note
    WHERE note.meeting_id IN (SELECT id FROM meeting WHERE project_id = ?) AND NOT note.deleted
"""
# Without texts, only what the report prints whole keeps its text.
_KEPT_TEXT = "CASE WHEN note.kind IN ('decision', 'action') THEN note.text ELSE '' END"


@dataclass
class Tags:
    """Every tag of the project's codes, by note, as read (before the notes are)."""

    active: dict[str, tuple[Pair, ...]] = field(default_factory=dict)
    # observers of tags since removed: they still coded the meeting
    inactive: dict[str, list[str]] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)  # codes some active tag uses
    observers: set[str] = field(default_factory=set)  # every spelling, deleted notes too


@dataclass
class Notes:
    remarks: tuple[Remark, ...]  # by meeting number, then time
    counts: dict[tuple[str, str | None], int]  # (meeting, organisation) -> notes
    coders: dict[str, frozenset[str]]  # meeting -> observers of its record
    observations: dict[str, int]  # meeting -> observers' own notes


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
    shared = pairs.setdefault
    active = found.active
    inactive = found.inactive
    for note_id, code_id, observer, is_active in reader.rows(sql, code_ids):
        if is_active:
            pair = shared((code_id, observer), (code_id, observer))
            # Tuples, not lists: a note has two or three tags, and a list's separate
            # item array would be left as holes in memory once the notes take them.
            active[note_id] = (*active.get(note_id, ()), pair)
        else:
            inactive.setdefault(note_id, []).append(observer)
    found.codes = {code for code, _observer in pairs}
    found.observers = {observer for _code, observer in pairs}
    found.observers.update(o for names in inactive.values() for o in names)
    return found


def read_notes(
    reader: Reader,
    project_id: str,
    meetings: Iterable[MeetingInfo],
    tags: Tags,
    codes: tuple[CodeView, ...],
    *,
    every_note: bool = False,
    texts: bool = True,
) -> Notes:
    """The project's notes (not deleted) in one pass, taking their tags out of ``tags``.

    Tags of deleted notes are left out. An observer who tagged and then untagged still
    coded the meeting. Tags on observers' own notes count, but do not make a coder of
    the facilitator's record. Each remark's tags are in codebook order, then by observer.
    """
    number = {m.id: m.number for m in meetings}
    rank = _ranks(codes)
    active, inactive = tags.active, tags.inactive
    spelled_elsewhere: set[str] = set()  # removed tags on observers' own notes
    shared: dict[Any, Any] = {}
    same = shared.setdefault
    tag_sets: dict[tuple[Pair, ...], tuple[Pair, ...]] = {}
    same_tags = tag_sets.setdefault
    in_order: dict[tuple[Pair, ...], tuple[Pair, ...]] = {}
    counts: dict[tuple[str, str | None], int] = {}
    observations: dict[str, int] = {}
    coders: dict[str, set[str]] = {}
    kept: list[Remark] = []
    observer = itemgetter(1)
    sql = _NOTES_SQL.format(text="note.text" if texts else _KEPT_TEXT)
    for (
        nid,
        mid,
        phase_id,
        org_id,
        author,
        kind,
        text,
        created_at,
        offset,
        owner,
        due,
        done,
        owner_person,
    ) in reader.rows(sql, (project_id,)):
        mid = same(mid, mid)
        org_id = same(org_id, org_id)
        key = (mid, org_id)
        counts[key] = counts.get(key, 0) + 1
        found = active.pop(nid, None)
        removed = inactive.pop(nid, None) if inactive else None
        if kind == _OBSERVATION:
            observations[mid] = observations.get(mid, 0) + 1
            if removed is not None:
                spelled_elsewhere.update(removed)
        elif found is not None or removed is not None:
            names = coders.get(mid)
            if names is None:
                coders[mid] = names = set()
            if found is not None:
                names.update(map(observer, found))
            if removed is not None:
                names.update(removed)
        if found is None and kind not in _KEPT_KINDS and not every_note:
            continue
        note_tags: tuple[Pair, ...] = ()
        if found is not None:
            known = in_order.get(found)  # each list as read is sorted once
            if known is None:
                ordered = tuple(sorted(found, key=rank))
                known = in_order[found] = same_tags(ordered, ordered)
            note_tags = known
        kept.append(
            Remark(
                nid,
                mid,
                same(phase_id, phase_id),
                org_id,
                same(author or "", author or ""),
                _KINDS[kind],
                text,
                utc(created_at),
                float(offset or 0.0),
                note_tags,
                same(owner, owner),
                day(due),
                bool(done),
                same(owner_person, owner_person),
            )
        )
    # By meeting, then time (then id): sorted on the remarks themselves, so no second
    # object per remark (nor its stored time's text) is held meanwhile.
    # Three stable sorts on values the remarks already hold: one key tuple per remark
    # would be another 28 MB over 500 meetings, at the moment memory peaks.
    kept.sort(key=attrgetter("id"))
    kept.sort(key=attrgetter("created_at"))
    kept.sort(key=lambda r: number.get(r.meeting_id, 0))
    remarks = tuple(kept)
    del kept
    if has_variants(tags.observers):  # maybe only on deleted notes: look again
        spelled = {o for r in remarks for _code, o in r.tags}
        spelled.update(spelled_elsewhere, *coders.values())
        if has_variants(spelled):
            _one_spelling(reader, spelled, remarks, coders, codes)
    return Notes(
        remarks=remarks,
        counts=counts,
        coders={m: frozenset(names) for m, names in coders.items()},
        observations=observations,
    )


def _ranks(codes: tuple[CodeView, ...]) -> Callable[[Pair], tuple[int, str]]:
    """Sort key of a tag: codebook order, then observer."""
    position = {code.id: index for index, code in enumerate(codes)}
    last = len(position)

    def rank(pair: Pair) -> tuple[int, str]:
        return position.get(pair[0], last), pair[1]

    return rank


def _one_spelling(
    reader: Reader,
    spelled: set[str],
    remarks: tuple[Remark, ...],
    coders: dict[str, set[str]],
    codes: tuple[CodeView, ...],
) -> None:
    """Rewrite every spelling of an observer's name as the one first written (rare).

    The remarks were made here a moment ago and nobody else holds them yet.
    """
    names = sorted(spelled)
    marks = ", ".join("?" * len(names))
    sql = f"SELECT observer, min(created_at) FROM tag WHERE observer IN ({marks}) GROUP BY observer"
    canonical = first_spellings(dict(reader.rows(sql, names)))
    rank = _ranks(codes)
    for remark in remarks:
        if remark.tags:
            pairs = dict.fromkeys((code, canonical[o]) for code, o in remark.tags)
            remark.tags = tuple(sorted(pairs, key=rank))
    for meeting_id, observers in coders.items():
        coders[meeting_id] = {canonical[o] for o in observers}
