"""One line typed in a meeting, read as a note: its kind, who spoke, an action item's owner and
due date. Pure Python, so the help screen can show these rules and tests can pin them down.

The facilitator writes one line per note, in Swedish or English, and presses Enter.

1. **Kind.** One of these prefixes at the start, in any case, then a colon (and only these,
   the ones the help and the README list): ``b:`` ``beslut:`` ``decision:`` decision;
   ``a:`` ``å:`` ``åtgärd:`` ``action:`` action item; ``f:`` ``fråga:`` ``q:`` ``question:``
   question; ``c:`` ``citat:`` ``quote:`` verbatim quote; ``n:`` ``anteckning:`` ``note:``
   plain note. Everyday words with a colon (``Obs:``, ``D:``, ``Todo:``) are text: an
   observation is the observer's, never made by a prefix on the facilitator's line.
   The prefix may also follow a leading mention (``@AF b: …``). Without a prefix, a line
   wholly inside quotation marks ("…", ”…”, “…”, «…», '…'), perhaps after a leading mention,
   is a quote and loses the marks (as after ``c:``). Otherwise the kind is the one selected
   on the screen; a final "?" changes nothing.
2. **Mentions.** ``@SKE`` is the organisation with that short code; ``@Anna`` the one
   participant with that first name; ``@"Anna Lindqvist"`` a participant by full name. Case
   never matters.
   In a note, decision, question, quote or observation, a mention first on the line (after
   the prefix) says who spoke and is removed; a later one is content and stays.
   In an action item, a mention anywhere names the owner (a participant also names their
   organisation) and is removed. An action item has one owner: a second stays in the text
   and is reported.
   A mention that names nobody, or more than one participant, stays and is reported.
3. **Due date**, action items only: ``2018-09-01``, ``1/9`` (day/month), ``1/9 2018``,
   ``1 sep``, ``1:a sep``, ``Sep 1``, ``idag``/``today``, ``imorgon``/``tomorrow``,
   ``fredag``/``friday`` (the next one, never today), ``nästa vecka``/``next week`` (its
   Monday), ``om 2 veckor``/``in 3 days``, ``v. 36``/``week 36`` (its Friday),
   ``månadsskiftet``/``end of month``, perhaps after ``senast``, ``till``, ``före``, ``innan``,
   ``by``, ``due``, ``before``, ``until``. The phrase, with that word, is removed. Without a
   year a date is this year, or next year if it would be over two months ago. A date that
   does not exist (``31/2``) stays in the text and is reported.
4. What is left, whitespace tidied, is the note's text; it may not be empty.

Problems are one sentence each in the user's language; the rest of the result is filled in as
well as it could be, so the screen can show the problem and keep the line for fixing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from samverkan.domain.model import NoteKind, OrganisationView, PersonView
from samverkan.domain.natural_dates import find_due
from samverkan.i18n import _

KIND_PREFIXES = {
    **dict.fromkeys(("b", "beslut", "decision"), NoteKind.DECISION),
    **dict.fromkeys(("a", "å", "åtgärd", "action"), NoteKind.ACTION),
    **dict.fromkeys(("f", "fråga", "q", "question"), NoteKind.QUESTION),
    **dict.fromkeys(("c", "citat", "quote"), NoteKind.QUOTE),
    **dict.fromkeys(("n", "anteckning", "note"), NoteKind.NOTE),
}
_PREFIX_WORDS = sorted((w.replace(" ", r"\s+") for w in KIND_PREFIXES), key=len, reverse=True)
_KIND = re.compile(rf"(?P<word>{'|'.join(_PREFIX_WORDS)})\s*:\s*", re.IGNORECASE)
_QUOTES = '"“”„'
_MENTION = re.compile(
    rf"(?<![\w@])@(?:[{_QUOTES}](?P<quoted>[^{_QUOTES}]+)[{_QUOTES}]|(?P<word>\w+(?:-\w+)*))"
)
_PARTIAL = re.compile(rf"@(?:(?P<quoted>[{_QUOTES}][^{_QUOTES}]*)|\w*(?:-\w*)*)")
_BARE_NAME = re.compile(r"\w+(?:-\w+)*")
_QUOTE_FAMILIES = ('"“”„«»', "'‘’‚")
_LEADING_JUNK = re.compile(r"^(?:[,;:]|[-–—](?=\s|$))\s*")
_TRAILING_JUNK = re.compile(r"(?:\s*[,;:]|\s+[-–—])$")
MAX_CHOICES = 10


@dataclass(frozen=True)
class ParsedNote:
    text: str
    """The note's text with the recognised markers removed, whitespace tidied."""
    kind: NoteKind | None
    """None: the text gives no kind, so the screen uses the kind it has selected."""
    speaker: OrganisationView | None
    """From a leading mention (not in action items): the organisation that spoke."""
    owner_organisation: OrganisationView | None
    owner_person: PersonView | None
    due: date | None
    problems: tuple[str, ...]
    """One sentence each; empty when the line was understood completely."""
    speaker_person: PersonView | None = None
    """From a leading ``@Anna``: the participant who spoke (``speaker`` is her organisation)."""


def parse_note(
    line: str,
    organisations: Sequence[OrganisationView],
    people: Sequence[PersonView] = (),
    *,
    today: date,
    default_kind: NoteKind | None = None,
) -> ParsedNote:
    """Read one typed line. ``default_kind`` is the kind selected on the screen: the rules of
    an action item (owner, due date) apply when the text gives no kind and it is ACTION."""
    try:
        return _parse(line, organisations, people, today, default_kind)
    except Exception:  # a bug here must never cost the facilitator the line they typed
        message = _("the note could not be read, so it is kept as typed")
        return ParsedNote(" ".join(str(line).split()), None, None, None, None, None, (message,))


def _parse(
    line: str,
    organisations: Sequence[OrganisationView],
    people: Sequence[PersonView],
    today: date,
    default_kind: NoteKind | None,
) -> ParsedNote:
    kind, text = _take_kind(" ".join(line.split()))
    lead = _MENTION.match(text)
    head = "" if lead is None else lead.group()
    body = text[len(head) :].lstrip(":," if head else "").strip()
    if kind is None and head:
        kind, after = _take_kind(body)
        text = f"{head} {after}".strip() if kind is not None else text
        body = after
    if kind in (None, NoteKind.QUOTE) and (inner := _unwrap_quote(body)) is not None:
        kind, text = NoteKind.QUOTE, f"{head} {inner}".strip()
    action = (kind or default_kind) is NoteKind.ACTION

    problems: list[str] = []
    speaker: OrganisationView | None = None
    speaker_person: PersonView | None = None
    owner: OrganisationView | None = None
    owner_person: PersonView | None = None
    cuts: list[tuple[int, int]] = []
    for mention in _MENTION.finditer(text):
        found = _lookup(mention, organisations, people)
        if isinstance(found, str):
            problems.append(found)
            continue
        person, org = (
            (found, _organisation(found.organisation_id, organisations))
            if isinstance(found, PersonView)
            else (None, found)
        )
        if action:
            if (org and owner and org.id != owner.id) or (
                person and owner_person and person.id != owner_person.id
            ):
                message = _("an action item has one owner; {mention} is left in the text")
                problems.append(message.format(mention=mention.group()))
                continue
            owner, owner_person = owner or org, owner_person or person
            cuts.append(mention.span())
        elif head and mention.start() == 0:  # not a mention that opens a quotation
            speaker, speaker_person = org, person
            cuts.append(mention.span())
    for start, end in reversed(cuts):
        text = _cut(text, start, end)

    due: date | None = None
    if action and (phrase := find_due(text, today)) is not None:
        if phrase.value is None:
            problems.append(phrase.problem or "")
        else:
            due, text = phrase.value, _cut(text, phrase.start, phrase.end)
    if not text:
        problems.append(_("the note has no text; write what was said, decided or is to be done"))
    return ParsedNote(
        text=text,
        kind=kind,
        speaker=speaker,
        owner_organisation=owner,
        owner_person=owner_person,
        due=due,
        problems=tuple(dict.fromkeys(problems)),
        speaker_person=speaker_person,
    )


def _take_kind(text: str) -> tuple[NoteKind | None, str]:
    match = _KIND.match(text)
    if match is None:
        return None, text
    return KIND_PREFIXES[_fold(match.group("word"))], text[match.end() :]


def _unwrap_quote(text: str) -> str | None:
    """The text inside quotation marks that wrap all of ``text``, else None."""
    for family in _QUOTE_FAMILIES:
        if len(text) > 2 and text[0] in family and text[-1] in family:
            inner = text[1:-1].strip()
            # A mark next to a space inside means two quotations, not one ('We don't' is one).
            marks = f"[{re.escape(family)}]"
            if inner and not re.search(rf"(?:^|\s){marks}|{marks}(?:\s|$)", inner):
                return inner
    return None


def _cut(text: str, start: int, end: int) -> str:
    """``text`` without ``text[start:end]``, mending the punctuation at the seam."""
    left, right = text[:start].rstrip(), text[end:].lstrip()
    while left and right and left[-1] in "([" and right[0] in ")]":
        left, right = left[:-1].rstrip(), right[1:].lstrip()
    if not left:
        return _LEADING_JUNK.sub("", right)
    if not right:
        return _TRAILING_JUNK.sub("", left)
    if left[-1] in ",;" and right[0] in ",.;:!?":
        left = left[:-1]
    return left + right if right[0] in ",.;:!?)]" else f"{left} {right}"


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _first_name(person: PersonView) -> str:
    return _fold(person.name).partition(" ")[0]


def _organisation(
    organisation_id: str, organisations: Sequence[OrganisationView]
) -> OrganisationView | None:
    return next((org for org in organisations if org.id == organisation_id), None)


def _lookup(
    mention: re.Match[str],
    organisations: Sequence[OrganisationView],
    people: Sequence[PersonView],
) -> OrganisationView | PersonView | str:
    """Who a mention names, or the problem with it as one sentence."""
    key = _fold(mention.group("quoted") or mention.group("word") or "")
    for org in organisations:
        if key and _fold(org.short) == key:
            return org
    same = [p for p in people if key and _fold(p.name) == key]
    same = same or [p for p in people if key and _first_name(p) == key]
    if len(same) == 1:
        return same[0]
    if same:
        message = _(
            "more than one participant is called {mention}: {names}; "
            "write the full name, e.g. {example}"
        )
        names = ", ".join(p.name for p in same)
        return message.format(mention=mention.group(), names=names, example=f'@"{same[0].name}"')
    choices = [f"@{org.short}" for org in organisations if org.short.strip()]
    choices = choices or [_mention_of(p, organisations, people) for p in people]
    if not choices:
        return _("no organisation or participant is called {mention}").format(
            mention=mention.group()
        )
    listed = ", ".join([*choices[:MAX_CHOICES], *(["…"] if len(choices) > MAX_CHOICES else [])])
    return _("no organisation or participant is called {mention}; write one of {choices}").format(
        mention=mention.group(), choices=listed
    )


def _mention_of(
    person: PersonView,
    organisations: Sequence[OrganisationView],
    people: Sequence[PersonView],
) -> str:
    """The shortest mention that names ``person``: ``@Anna`` if it is unambiguous."""
    first = _first_name(person)
    unique = sum(_first_name(p) == first for p in people) == 1
    clashes = any(_fold(org.short) == first for org in organisations)
    if unique and not clashes and _BARE_NAME.fullmatch(first):
        return "@" + person.name.split()[0]
    return f'@"{" ".join(person.name.split())}"'


def mention_at(line: str, cursor: int) -> tuple[int, str] | None:
    """Where the mention being typed at ``cursor`` starts, and what has been typed after @."""
    cursor = max(0, min(cursor, len(line)))
    at = line.rfind("@", 0, cursor)
    if at < 0 or (at > 0 and re.match(r"[\w@]", line[at - 1])):
        return None
    if _PARTIAL.fullmatch(line, at, cursor) is None:
        return None
    return at, line[at + 1 : cursor]


def complete_mention(
    line: str,
    cursor: int,
    organisations: Sequence[OrganisationView],
    people: Sequence[PersonView] = (),
) -> list[str]:
    """Mentions that complete the @word before ``cursor``, most likely first: organisations
    by short code, then by a word of their name, then participants by first name, then by
    another name; shorter first within each. After ``@"`` only full names are offered."""
    found = mention_at(line, cursor)
    if found is None:
        return []
    quoted = found[1].startswith(tuple(_QUOTES))
    prefix = _fold(found[1][1:] if quoted else found[1])
    ranked: list[tuple[int, int, int, str]] = []
    for org in organisations:
        mention = f"@{org.short}"
        if quoted or not org.short.strip():
            continue
        if _fold(org.short).startswith(prefix):
            ranked.append((0, len(mention), org.position, mention))
        elif prefix and any(word.startswith(prefix) for word in _fold(org.name).split()):
            ranked.append((1, len(mention), org.position, mention))
    for index, person in enumerate(people):
        words = _fold(person.name).split()
        full = f'@"{" ".join(person.name.split())}"'
        if quoted and any(w.startswith(prefix) for w in (" ".join(words), *words)):
            ranked.append((0, len(full), index, full))
        elif not quoted and words and words[0].startswith(prefix):
            mention = _mention_of(person, organisations, people)
            ranked.append((2, len(mention), index, mention))
        elif not quoted and prefix and any(word.startswith(prefix) for word in words[1:]):
            ranked.append((3, len(full), index, full))
    return list(dict.fromkeys(mention for *_, mention in sorted(ranked)))


def apply_completion(line: str, cursor: int, candidate: str) -> tuple[str, int]:
    """``line`` with the mention at ``cursor`` replaced by ``candidate``, and the new cursor."""
    found = mention_at(line, cursor)
    if found is None:
        return line, cursor
    at, typed = found
    cursor = max(0, min(cursor, len(line)))
    rest = line[cursor:]
    if typed.startswith(tuple(_QUOTES)):
        rest = rest[1:] if rest[:1] and rest[0] in _QUOTES else rest
    else:
        rest = re.sub(r"^[\w-]*", "", rest)
    if not rest or rest[0] not in " ,.;:!?)":
        rest = " " + rest
    return line[:at] + candidate + rest, at + len(candidate) + rest.startswith(" ")
