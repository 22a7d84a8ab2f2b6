"""The observation file: an observer's notes and tags of one meeting, as JSON.

Written on an observer's own laptop by ``samverkan observations export`` and
merged on the facilitator's by ``samverkan observations import``. Notes travel
with their UUIDs and tags are keyed by (note, code slug, observer), so a file
imported twice, or files of two observers, never duplicate anything.

Reading is strict: anything that is not exactly what :func:`to_json` writes is
refused with one sentence naming the place in the file, before the database
is touched.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from samverkan.domain.errors import UserError
from samverkan.domain.model import NoteKind
from samverkan.i18n import _

FORMAT = "samverkan-observations"
SCHEMA_VERSION = 1

# Limits on a file to import, far above a real meeting's (a few hundred notes),
# so a damaged or hostile file is refused in one sentence instead of filling
# memory or the stack. Each is named in its refusal.
MAX_FILE_BYTES = 50_000_000
MAX_DEPTH = 3  # the object, its lists of notes and tags, one note or tag
MAX_NOTES = 100_000
MAX_TAGS = 500_000
MAX_TEXT_CHARS = 20_000

_KEYS = {
    "": {"format", "schema_version", "exported_at", "observer", "meeting", "notes", "tags"},
    "meeting": {"project", "number", "id", "title"},
    "note": {
        "id",
        "text",
        "kind",
        "organisation",
        "phase",
        "author",
        "created_at",
        "updated_at",
        "offset",
        "revision",
        "deleted",
    },
    "tag": {"note_id", "code_slug", "observer", "active", "created_at", "updated_at"},
}

T = TypeVar("T")


@dataclass(frozen=True)
class FileMeeting:
    project: str
    number: int
    id: str
    title: str

    @property
    def ref(self) -> str:
        return f"{self.project}/{self.number}"


@dataclass(frozen=True)
class FileNote:
    id: str
    text: str
    kind: NoteKind
    organisation: str | None  # the organisation's short code; None: the whole group
    phase: int | None  # the phase's position in the agenda; None: not known
    author: str
    created_at: datetime
    updated_at: datetime
    offset_seconds: float
    revision: int
    deleted: bool


@dataclass(frozen=True)
class FileTag:
    note_id: str
    code_slug: str
    observer: str
    active: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ObservationFile:
    exported_at: datetime
    observer: str | None  # None: every observer's work on the meeting
    meeting: FileMeeting
    notes: tuple[FileNote, ...]
    tags: tuple[FileTag, ...]


# ------------------------------------------------------------------ writing


def to_json(data: ObservationFile) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": data.exported_at.isoformat(),
        "observer": data.observer,
        "meeting": {
            "project": data.meeting.project,
            "number": data.meeting.number,
            "id": data.meeting.id,
            "title": data.meeting.title,
        },
        "notes": [
            {
                "id": n.id,
                "text": n.text,
                "kind": str(n.kind),
                "organisation": n.organisation,
                "phase": n.phase,
                "author": n.author,
                "created_at": n.created_at.isoformat(),
                "updated_at": n.updated_at.isoformat(),
                "offset": n.offset_seconds,
                "revision": n.revision,
                "deleted": n.deleted,
            }
            for n in data.notes
        ],
        "tags": [
            {
                "note_id": g.note_id,
                "code_slug": g.code_slug,
                "observer": g.observer,
                "active": g.active,
                "created_at": g.created_at.isoformat(),
                "updated_at": g.updated_at.isoformat(),
            }
            for g in data.tags
        ],
    }


def dumps(data: ObservationFile) -> str:
    return json.dumps(to_json(data), ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------ reading


class _Damaged(Exception):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(where, problem)
        self.where = where
        self.problem = problem


def loads(text: str) -> ObservationFile:
    """Parse the file's text; :class:`UserError` with one sentence if it is not usable."""
    if len(text) > MAX_FILE_BYTES:
        raise too_large()
    _refuse_deep_nesting(text)
    try:
        raw = json.loads(text)
    except RecursionError:  # pragma: no cover - _refuse_deep_nesting comes first
        raise _too_deep() from None
    except ValueError as exc:
        raise UserError(
            _("the observation file is damaged (not JSON: {reason}); export it again").format(
                reason=exc
            )
        ) from exc
    return from_json(raw)


def too_large() -> UserError:
    return UserError(
        _(
            "the observation file is larger than samverkan imports ({limit} MB); "
            "nothing was imported"
        ).format(limit=MAX_FILE_BYTES // 1_000_000)
    )


def _too_deep() -> UserError:
    return UserError(
        _(
            "the observation file is nested more than {depth} levels deep, which no "
            "samverkan file is; nothing was imported"
        ).format(depth=MAX_DEPTH)
    )


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _refuse_deep_nesting(text: str) -> None:
    """Measure the nesting before parsing: deep JSON would exhaust the parser's stack."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for token in _TOKENS.finditer(text):
        match token.group()[0]:
            case "[" | "{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep()
            case "]" | "}":
                depth -= 1


def from_json(raw: object) -> ObservationFile:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise UserError(
            _(
                "this is not a samverkan observation file; export one with "
                "'samverkan observations export'"
            )
        )
    version = raw.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise UserError(
            _(
                "the observation file was written by a newer version of samverkan (schema "
                "{version}); update samverkan to import it"
            ).format(version=version)
        )
    try:
        if version != SCHEMA_VERSION:
            raise _Damaged("schema_version", _("is not a known schema version"))
        return _parse(raw)
    except _Damaged as exc:
        raise UserError(
            _("the observation file is damaged: {where} {problem}; nothing was imported").format(
                where=exc.where, problem=exc.problem
            )
        ) from None


def _known_keys(raw: dict[str, Any], kind: str, where: str) -> None:
    unknown = sorted(str(key) for key in raw if key not in _KEYS[kind])
    if unknown:
        raise _Damaged(
            where or _("the file"), _("has an unknown key “{key}”").format(key=unknown[0])
        )


def _parse(raw: dict[str, Any]) -> ObservationFile:
    _known_keys(raw, "", "")
    meeting = _field(raw, "meeting", "", dict)
    _known_keys(meeting, "meeting", "meeting")
    notes = _field(raw, "notes", "", list)
    tags = _field(raw, "tags", "", list)
    if len(notes) > MAX_NOTES or len(tags) > MAX_TAGS:
        raise _Damaged(
            "notes" if len(notes) > MAX_NOTES else "tags",
            _("hold more than {notes} notes or {tags} tags, the most samverkan imports").format(
                notes=MAX_NOTES, tags=MAX_TAGS
            ),
        )
    observer = _optional(raw, "observer", "", str)
    parsed_notes = tuple(_note(item, f"notes[{i}]") for i, item in enumerate(notes))
    parsed_tags = tuple(_tag(item, f"tags[{i}]") for i, item in enumerate(tags))
    _unique([n.id for n in parsed_notes], "notes")
    _unique([(g.note_id, g.code_slug, g.observer.casefold()) for g in parsed_tags], "tags")
    return ObservationFile(
        exported_at=_time(raw, "exported_at", ""),
        observer=observer or None,
        meeting=FileMeeting(
            project=_text(meeting, "project", "meeting"),
            number=_field(meeting, "number", "meeting", int),
            id=_uuid(meeting, "id", "meeting"),
            title=_field(meeting, "title", "meeting", str),
        ),
        notes=parsed_notes,
        tags=parsed_tags,
    )


def _note(item: object, where: str) -> FileNote:
    if not isinstance(item, dict):
        raise _Damaged(where, _("is not an object"))
    _known_keys(item, "note", where)
    text = item.get("text")
    if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
        raise _Damaged(
            f"{where}.text",
            _("is longer than {limit} characters, the most a note may hold").format(
                limit=MAX_TEXT_CHARS
            ),
        )
    kind = _text(item, "kind", where)
    if kind not in {str(k) for k in NoteKind}:
        raise _Damaged(f"{where}.kind", _("is not a kind of note"))
    phase = _optional(item, "phase", where, int)
    offset: float = _field(item, "offset", where, (int, float))
    revision = _field(item, "revision", where, int)
    if (phase is not None and phase < 0) or offset < 0 or revision < 1:
        raise _Damaged(where, _("has a negative phase, offset or revision"))
    return FileNote(
        id=_uuid(item, "id", where),
        text=_text(item, "text", where),
        kind=NoteKind(kind),
        organisation=_optional(item, "organisation", where, str) or None,
        phase=phase,
        author=_field(item, "author", where, str),
        created_at=_time(item, "created_at", where),
        updated_at=_time(item, "updated_at", where),
        offset_seconds=float(offset),
        revision=revision,
        deleted=_field(item, "deleted", where, bool),
    )


def _tag(item: object, where: str) -> FileTag:
    if not isinstance(item, dict):
        raise _Damaged(where, _("is not an object"))
    _known_keys(item, "tag", where)
    return FileTag(
        note_id=_uuid(item, "note_id", where),
        code_slug=_text(item, "code_slug", where),
        observer=_text(item, "observer", where),
        active=_field(item, "active", where, bool),
        created_at=_time(item, "created_at", where),
        updated_at=_time(item, "updated_at", where),
    )


def _field(raw: dict[str, Any], key: str, where: str, kind: type[T] | tuple[type, ...]) -> T:
    place = f"{where}.{key}" if where else key
    if key not in raw:
        raise _Damaged(place, _("is missing"))
    value = raw[key]
    # bool is an int in Python; a file with "number": true is damaged, not meeting 1.
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise _Damaged(place, _("has the wrong type"))
    return value  # type: ignore[return-value]


def _optional(raw: dict[str, Any], key: str, where: str, kind: type[T]) -> T | None:
    if raw.get(key) is None:
        return None
    return _field(raw, key, where, kind)


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = _field(raw, key, where, str).strip()
    if not value:
        raise _Damaged(f"{where}.{key}" if where else key, _("is empty"))
    return value


def _uuid(raw: dict[str, Any], key: str, where: str) -> str:
    return _convert(raw, key, where, lambda v: str(uuid.UUID(v)), _("is not a UUID"))


def _time(raw: dict[str, Any], key: str, where: str) -> datetime:
    parsed = _convert(raw, key, where, datetime.fromisoformat, _("is not an ISO 8601 time"))
    if parsed.tzinfo is None:
        raise _Damaged(f"{where}.{key}" if where else key, _("has no time zone"))
    return parsed


def _convert(
    raw: dict[str, Any], key: str, where: str, convert: Callable[[str], T], problem: str
) -> T:
    value = _field(raw, key, where, str)
    try:
        return convert(value)
    except ValueError:
        raise _Damaged(f"{where}.{key}" if where else key, problem) from None


def _unique(keys: list[Any], where: str) -> None:
    if len(set(keys)) != len(keys):
        raise _Damaged(where, _("hold the same entry twice"))
