"""Reading a REFI-QDA codebook (``.qdc``, or the codebook inside a ``.qde`` project).

Tools write several variants, and all are read: the codebook namespace
``urn:QDA-XML:codebook:1.0``, the project namespace ``urn:QDA-XML:project:1.0``
(a ``<Project>`` holding a ``<CodeBook>``), no namespace at all; ``isCodable``
missing (a code with children is then a group); set members named by ``guid`` or
``targetGUID``. The result is a codebook file in samverkan's own Markdown format,
which :func:`samverkan.domain.codebook.parse_codebook` reads back to the same codes.

Mapping: a top-level group is a dimension; every codable code below it, at any
depth, is one of its codes. A code's polarity comes from the set it belongs to
(``Framgångsfaktorer``, ``Hinder``, ``Obstacles`` ...) or from a group above it
with such a name; a code with neither is put under *Ambivalent* and named in a
warning, so the researcher decides. Codes at the top level without children go
to a dimension called "Other codes".

What samverkan's codebook cannot hold is said, one warning line per kind of loss,
never dropped silently: groups between a dimension and a code (other than a
polarity group) become a prefix of the code's label ("Grupp › Kod"), so the
hierarchy stays readable; colours of a code's own (samverkan colours codes by
polarity) are not kept; a description keeps its line breaks, but blank lines and
lines that would start a list or heading are joined to the line before.

ElementTree does not resolve external entities, but it does expand internal
ones, so a file with a DOCTYPE or ENTITY declaration is refused before parsing
(no billion laughs); defusedxml is not available.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from samverkan.domain.codebook import MAX_SLUG, polarity_of, slugify
from samverkan.domain.errors import UserError
from samverkan.domain.model import Polarity
from samverkan.domain.refiqda import COLOURS, SET_NAMES
from samverkan.i18n import _, current_language, ngettext

MAX_BYTES = 10 * 1024 * 1024
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_MARKER = re.compile(r"\s*\[samverkan:([a-z0-9][a-z0-9-]*)\]\s*$")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
# What the codebook parser would read as the start of the description.
_SEPARATOR = re.compile(r"(\s)[—–-](?=\s|$)")
_TRAILING_HASHES = re.compile(r"\s+#+$")
# A description line starting like this would start a block inside the list item.
_BLOCK_START = re.compile(r"([-+*>#=|`~]|\d+[.)])")
NON_BREAKING_HYPHEN = "\u2011"
PATH_SEPARATOR = " › "


@dataclass
class ImportedCodebook:
    text: str  # the codebook as Markdown
    codes: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Code:
    slug: str
    label: str
    description: str
    polarity: Polarity | None


@dataclass
class _Losses:
    """What could not be kept, per kind, with the labels it concerns."""

    nameless: int = 0
    dashes: list[str] = field(default_factory=list)
    nested: list[str] = field(default_factory=list)
    colours: list[str] = field(default_factory=list)
    breaks: list[str] = field(default_factory=list)

    def warnings(self) -> list[str]:
        found: list[str] = []
        if self.nameless:
            found.append(
                ngettext(
                    "{count} code without a name was left out",
                    "{count} codes without a name were left out",
                    self.nameless,
                ).format(count=self.nameless)
            )
        if self.dashes:
            found.append(
                ngettext(
                    "a dash in {count} label became a non-breaking hyphen, since a dash there "
                    "would end the label: {labels}",
                    "a dash in {count} labels became a non-breaking hyphen, since a dash there "
                    "would end the label: {labels}",
                    len(self.dashes),
                ).format(count=len(self.dashes), labels=_listed(self.dashes))
            )
        if self.nested:
            found.append(
                ngettext(
                    "{count} code sat in a group below its dimension; the groups became a "
                    "prefix of the label: {labels}",
                    "{count} codes sat in groups below their dimension; the groups became a "
                    "prefix of the label: {labels}",
                    len(self.nested),
                ).format(count=len(self.nested), labels=_listed(self.nested))
            )
        if self.colours:
            found.append(
                ngettext(
                    "{count} code had a colour of its own, which is not kept (samverkan "
                    "colours codes by polarity): {labels}",
                    "{count} codes had colours of their own, which are not kept (samverkan "
                    "colours codes by polarity): {labels}",
                    len(self.colours),
                ).format(count=len(self.colours), labels=_listed(self.colours))
            )
        if self.breaks:
            found.append(
                ngettext(
                    "in {count} description, blank lines or lines that would start a list or "
                    "heading were joined to the line before: {labels}",
                    "in {count} descriptions, blank lines or lines that would start a list or "
                    "heading were joined to the line before: {labels}",
                    len(self.breaks),
                ).format(count=len(self.breaks), labels=_listed(self.breaks))
            )
        return found


def _listed(labels: list[str]) -> str:
    return ", ".join(repr(label) for label in labels)


def import_codebook(data: bytes) -> ImportedCodebook:
    """A ``.qdc`` document as a samverkan codebook; :class:`UserError` if it cannot be used."""
    root = _parse(data)
    codes_element = _find_codes(root)
    if codes_element is None:
        raise UserError(_("the file has no <Codes> element; it is not a REFI-QDA codebook"))
    set_polarity = _set_polarities(root)
    losses = _Losses()
    dimensions: dict[str, list[_Code]] = {}
    used: set[str] = set()
    other = _("Other codes")
    for top in _children(codes_element, "Code"):
        if _is_group(top):
            name = _dimension_name(_name(top), other)
            for element, group_polarity, path in _codable(top, None, ()):
                code = _code(element, set_polarity, group_polarity, path, used, losses)
                if code is not None:
                    dimensions.setdefault(name, []).append(code)
        else:
            code = _code(top, set_polarity, None, (), used, losses)
            if code is not None:
                dimensions.setdefault(other, []).append(code)
    warnings = losses.warnings()
    count = sum(len(codes) for codes in dimensions.values())
    if count == 0:
        raise UserError(_("the file holds no codes to import"))
    undecided = [c.label for codes in dimensions.values() for c in codes if c.polarity is None]
    if undecided:
        warnings.append(
            _(
                "{count} codes belong to no polarity set and were put under Ambivalent; "
                "move them: {labels}"
            ).format(count=len(undecided), labels=", ".join(undecided))
        )
    return ImportedCodebook(_markdown(dimensions), count, warnings)


class _Declared(Exception):
    """Raised from inside expat the moment a DOCTYPE or an entity is declared."""


def _parse(data: bytes) -> ET.Element:
    if len(data) > MAX_BYTES:
        raise UserError(_("the file is larger than 10 MB; a codebook is much smaller"))
    _refuse_declarations(data)
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise _not_xml(exc.position[0] if exc.position else 0) from exc


def _refuse_declarations(data: bytes) -> None:
    """Refuse any DOCTYPE or ENTITY declaration, in whatever encoding the file is written.

    The byte pattern catches UTF-8 and ASCII files at once; a first pass of expat,
    which reads UTF-16 as well, stops at the declaration itself, before any entity
    could be expanded (defusedxml's method, without defusedxml).
    """
    declared = UserError(
        _("the file declares a DOCTYPE or entities, which a codebook never needs; refused")
    )
    if _DECLARATION.search(data):
        raise declared

    def refuse(*_args: object) -> None:
        raise _Declared

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except _Declared:
        raise declared from None
    except expat.ExpatError as exc:
        raise _not_xml(exc.lineno) from exc


def _not_xml(line: int) -> UserError:
    return UserError(
        _("the file is not well-formed XML (line {line}); is it a .qdc codebook?").format(line=line)
    )


def _local(tag: object) -> str:
    """An element's name without its namespace: every variant tools write reads the same."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (child for child in element if _local(child.tag) == name)


def _first(element: ET.Element, name: str) -> ET.Element | None:
    return next(_children(element, name), None)


def _find_codes(root: ET.Element) -> ET.Element | None:
    if _local(root.tag) == "CodeBook":
        return _first(root, "Codes")
    book = _first(root, "CodeBook")
    return _first(book, "Codes") if book is not None else None


def _set_polarities(root: ET.Element) -> dict[str, Polarity]:
    """Code GUID -> polarity, from sets named after a polarity (other sets are ignored)."""
    sets = _first(root, "Sets")
    found: dict[str, Polarity] = {}
    for element in _children(sets, "Set") if sets is not None else ():
        polarity = polarity_of(element.get("name", ""))
        if polarity is None:
            continue
        for member in _children(element, "MemberCode"):
            guid = (member.get("guid") or member.get("targetGUID") or "").strip().lower()
            if guid:
                found.setdefault(guid, polarity)
    return found


def _name(element: ET.Element) -> str:
    return " ".join(element.get("name", "").split())


def _is_group(element: ET.Element) -> bool:
    codable = element.get("isCodable")
    has_children = _first(element, "Code") is not None
    if codable is None:
        return has_children
    return codable.strip().lower() in ("false", "0") or has_children


def _codable(
    group: ET.Element, polarity: Polarity | None, path: tuple[str, ...]
) -> Iterator[tuple[ET.Element, Polarity | None, tuple[str, ...]]]:
    """Every codable code below ``group``, with the polarity a group above it names and
    the names of the groups between (a group named after a polarity is not one)."""
    for child in _children(group, "Code"):
        named = polarity_of(_name(child))
        if _is_group(child):
            if child.get("isCodable", "").strip().lower() in ("true", "1"):
                yield child, polarity, path
            below = path if named is not None or not _name(child) else (*path, _name(child))
            yield from _codable(child, named or polarity, below)
        else:
            yield child, polarity, path


def _dimension_name(name: str, fallback: str) -> str:
    # A heading's closing #s would vanish when the codebook is read.
    return _TRAILING_HASHES.sub("", name).strip() or fallback


def _code(
    element: ET.Element,
    set_polarity: dict[str, Polarity],
    group_polarity: Polarity | None,
    path: tuple[str, ...],
    used: set[str],
    losses: _Losses,
) -> _Code | None:
    label = _name(element)
    if not label:
        losses.nameless += 1
        return None
    if path:
        label = PATH_SEPARATOR.join((*path, label))
        losses.nested.append(label)
    safe_label = _SEPARATOR.sub(lambda m: m.group(1) + NON_BREAKING_HYPHEN, label)
    if safe_label != label:
        losses.dashes.append(label)
    description_element = _first(element, "Description")
    description = (description_element.text or "") if description_element is not None else ""
    marker = _MARKER.search(description)
    given = marker.group(1) if marker else None
    description, joined = _description(description[: marker.start()] if marker else description)
    if joined:
        losses.breaks.append(label)
    slug = _unique(given if given and len(given) <= MAX_SLUG else slugify(label) or "code", used)
    guid = element.get("guid", "").strip().lower()
    polarity = set_polarity.get(guid) or group_polarity
    colour = element.get("color", "").strip().upper()
    if colour and (polarity is None or colour != COLOURS[polarity].upper()):
        losses.colours.append(label)
    return _Code(slug, safe_label, description, polarity)


def _description(text: str) -> tuple[str, bool]:
    """The description's lines, each stripped; and whether a break had to be given up.

    Blank lines would end the list item, and a line starting with a list marker, a
    heading or a quote would start a block inside it: those are joined to the line
    before. Leading and trailing blank lines are simply trimmed.
    """
    raw = text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    lines: list[str] = []
    joined = False
    blank_before = False
    for part in raw:
        line = " ".join(part.split())
        if not line:
            blank_before = True
            continue
        if lines and (blank_before or _BLOCK_START.match(line)):
            lines[-1] = f"{lines[-1]} {line}"
            joined = True
        else:
            lines.append(line)
        blank_before = False
    return "\n".join(lines), joined


def _unique(slug: str, used: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in used or not _SLUG.fullmatch(candidate):
        suffix = f"-{number}"
        candidate = slug[: MAX_SLUG - len(suffix)].strip("-") + suffix
        number += 1
    used.add(candidate)
    return candidate


def _markdown(dimensions: dict[str, list[_Code]]) -> str:
    words = SET_NAMES.get(current_language(), SET_NAMES["en"])
    blocks: list[str] = []
    for dimension, codes in dimensions.items():
        blocks.append(f"# {dimension}")
        for polarity in (Polarity.SUCCESS, Polarity.OBSTACLE, Polarity.AMBIVALENT):
            mine = [c for c in codes if (c.polarity or Polarity.AMBIVALENT) is polarity]
            if not mine:
                continue
            blocks.append(f"## {words[polarity]}")
            blocks.append("\n".join(_item(code) for code in mine))
    return "\n\n".join(blocks) + "\n"


def _item(code: _Code) -> str:
    if code.description:
        # Continuation lines indented to the item's text stay inside the item.
        description = code.description.replace("\n", "\n  ")
        return f"- [{code.slug}] {code.label} — {description}"
    return f"- [{code.slug}] {code.label}"
