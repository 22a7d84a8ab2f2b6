"""Parsing ``project.md``: the lärprojekt, its member organisations and its codebook."""

from __future__ import annotations

import os
import re
from pathlib import Path

from yaml.nodes import MappingNode, Node, SequenceNode

from samverkan.domain.codebook import slugify
from samverkan.domain.frontmatter import (
    FrontMatter,
    as_text,
    duplicate_keys,
    split_front_matter,
    unknown_keys,
)
from samverkan.domain.model import (
    MinutesObservation,
    OrganisationKind,
    OrganisationSpec,
    Problem,
    ProjectSpec,
)
from samverkan.i18n import _

PROJECT_KEYS = (
    "name",
    "short",
    "lang",
    "codebook",
    "facilitator",
    "observers",
    "steering_group",
    "organisations",
    "minutes_observation",
)
ORGANISATION_KEYS = ("name", "short", "kind", "people", "renamed_from")
LANGS = ("sv", "en")
MAX_ORG_SHORT = 6

_SWEDISH_KINDS = {
    "kommun": OrganisationKind.MUNICIPALITY,
    "arbetsförmedlingen": OrganisationKind.EMPLOYMENT_SERVICE,
    "företag": OrganisationKind.COMPANY,
    "region": OrganisationKind.REGION,
    "förening": OrganisationKind.ASSOCIATION,
    "myndighet": OrganisationKind.AGENCY,
    "annan": OrganisationKind.OTHER,
}
_SHORT = re.compile(r"[a-z0-9][a-z0-9-]*")
_MAP_TAG = "tag:yaml.org,2002:map"


def organisation_kind(text: str) -> OrganisationKind | None:
    """An organisation kind from its English value or its Swedish name, ignoring case."""
    key = re.sub(r"[\s-]+", "_", text.strip().casefold())
    if key in _SWEDISH_KINDS:
        return _SWEDISH_KINDS[key]
    try:
        return OrganisationKind(key)
    except ValueError:
        return None


def relative_to_project(path: Path, value: str) -> Path:
    """A path written in project.md, taken from the project's folder: ``../kodbok.md`` works."""
    return Path(os.path.normpath(path.parent / value))


def codebook_reference(path: Path, text: str) -> tuple[Path, int] | None:
    """The codebook file a project names and the line that names it, even if the rest is bad."""
    front = split_front_matter(path, text)
    value = front.data.get("codebook")
    if not isinstance(value, str) or not value.strip():
        return None
    return relative_to_project(path, value.strip()), front.value_line("codebook")


def parse_project(path: Path, text: str) -> tuple[ProjectSpec | None, list[Problem]]:
    """A project, or None and every problem found; the spec is only returned without problems."""
    front = split_front_matter(path, text)
    if not front.present and not front.problems:
        message = _(
            "the project has no front matter; start the file with a line ---, then name: ..., "
            "short: ..., organisations: ... and another line ---"
        )
        return None, [Problem(path, 1, message)]
    if not front.loaded:
        return None, list(front.problems)
    reader = _Reader(front)
    reader.problems.extend(front.problems)
    reader.problems.extend(unknown_keys(front, PROJECT_KEYS))
    name = reader.text("name")
    if not name:
        reader.add(
            reader.missing_line("name"), _("the project has no name; add e.g. name: Grupp 1")
        )
    short = _project_short(reader, name or "")
    lang = (reader.text("lang") or "sv").casefold()
    if lang not in LANGS:
        message = _("the language {lang!r} is not supported; write lang: sv or lang: en")
        reader.add(front.value_line("lang"), message.format(lang=lang))
    codebook = reader.text("codebook")
    if codebook == "":
        message = _(
            "the codebook is empty; write the path of the codebook, e.g. codebook: ../kodbok.md"
        )
        reader.add(front.value_line("codebook"), message)
    organisations = _organisations(reader)
    observation = _minutes_observation(reader)
    spec = ProjectSpec(
        path=path,
        name=name or "",
        short=short,
        lang=lang,
        codebook=relative_to_project(path, codebook) if codebook else None,
        organisations=organisations,
        steering_group=reader.names("steering_group", front.data.get("steering_group"), None),
        facilitator=reader.text("facilitator") or "",
        observers=reader.names("observers", front.data.get("observers"), None),
        description=front.body.strip(),
        minutes_observation=observation,
    )
    if reader.problems:
        return None, sorted(reader.problems, key=lambda problem: problem.line)
    return spec, []


class _Reader:
    """Reads values out of the front matter, collecting a problem for each one that is wrong."""

    def __init__(self, front: FrontMatter) -> None:
        self.front = front
        self.problems: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.front.path, line, message))

    def missing_line(self, key: str, mapping: MappingNode | None = None) -> int:
        node = self.front.value_node(key, mapping)
        if node is not None:
            return self.front.line(node)
        return self.front.line(mapping) if mapping is not None else max(1, self.front.yaml_offset)

    def text(
        self,
        key: str,
        values: dict[object, object] | None = None,
        mapping: MappingNode | None = None,
    ) -> str | None:
        value = (self.front.data if values is None else values).get(key)
        if isinstance(value, list | dict):
            message = _("the {key} must be a single text, not a list; write e.g. {key}: ...")
            self.add(self.front.value_line(key, mapping), message.format(key=key))
            return None
        return as_text(value, self.front.value_node(key, mapping))

    def names(self, key: str, value: object, mapping: MappingNode | None) -> tuple[str, ...]:
        """A list of names; a single name is accepted as a list of one."""
        node = self.front.value_node(key, mapping)
        if value is None:
            return ()
        if not isinstance(value, list):
            text = self.text(key, {key: value}, mapping)
            return (text,) if text else ()
        nodes = node.value if isinstance(node, SequenceNode) else []
        names = []
        for index, item in enumerate(value):
            item_node: Node | None = nodes[index] if index < len(nodes) else node
            text = None if isinstance(item, list | dict) else as_text(item, item_node)
            if text is None:
                message = _(
                    "each entry under {key} must be a name; write one - Name per line"
                ).format(key=key)
                self.add(self.front.line(item_node), message)
            elif text:
                names.append(text)
        return tuple(names)


# What the participants' minutes show of the observation; Swedish words accepted too.
MINUTES_OBSERVATION = {
    "all": MinutesObservation.ALL,
    "allt": MinutesObservation.ALL,
    "group": MinutesObservation.GROUP,
    "grupp": MinutesObservation.GROUP,
    "none": MinutesObservation.NONE,
    "inget": MinutesObservation.NONE,
}


def _minutes_observation(reader: _Reader) -> MinutesObservation:
    value = reader.text("minutes_observation")
    if value is None:
        return MinutesObservation.GROUP
    found = MINUTES_OBSERVATION.get(value.strip().casefold())
    if found is None:
        message = _(
            "minutes_observation {value!r} is not known; write all (codes, counts and the "
            "remarks behind them), group (codes and counts only) or none"
        ).format(value=value)
        reader.add(reader.front.value_line("minutes_observation"), message)
        return MinutesObservation.GROUP
    return found


def _project_short(reader: _Reader, name: str) -> str:
    short = reader.text("short")
    suggestion = slugify(short or name) or "grupp-1"
    if not short:
        message = _(
            "the project has no short code; add e.g. short: {suggestion} "
            "(lowercase letters, digits and hyphens)"
        ).format(suggestion=suggestion)
        reader.add(reader.missing_line("short"), message)
        return ""
    if not _SHORT.fullmatch(short):
        message = _(
            "the short code {short!r} may only hold lowercase a-z, digits and hyphens; "
            "write e.g. short: {suggestion}"
        ).format(short=short, suggestion=suggestion)
        reader.add(reader.front.value_line("short"), message)
    return short


def _organisations(reader: _Reader) -> tuple[OrganisationSpec, ...]:
    front = reader.front
    value = front.data.get("organisations")
    node = front.value_node("organisations")
    if not isinstance(value, list) or not value:
        message = _(
            "the project has no list of organisations; add organisations: with one "
            "- name: ..., short: ..., kind: ... entry per member"
        )
        reader.add(reader.missing_line("organisations"), message)
        return ()
    nodes = node.value if isinstance(node, SequenceNode) else []
    result: list[OrganisationSpec] = []
    rename_lines: list[int] = []
    shorts: dict[str, tuple[str, int]] = {}
    names: dict[str, int] = {}
    for index, item in enumerate(value):
        item_node = nodes[index] if index < len(nodes) else node
        # Without its own node (an alias, say) an entry borrows the list's line for its keys.
        mapping = (
            item_node
            if isinstance(item_node, MappingNode)
            else MappingNode(_MAP_TAG, [], start_mark=item_node.start_mark if item_node else None)
        )
        if not isinstance(item, dict):
            message = _(
                "organisation {number} is not a set of keys; write - name: ..., then short: ... "
                "and kind: ... on the lines below"
            ).format(number=index + 1)
            reader.add(front.line(item_node), message)
            continue
        reader.problems.extend(unknown_keys(front, ORGANISATION_KEYS, mapping))
        reader.problems.extend(duplicate_keys(front, mapping))
        org = _organisation(reader, item, mapping)
        if org is None:
            continue
        short_line = front.value_line("short", mapping)
        name_line = front.value_line("name", mapping)
        folded = org.short.casefold()
        if folded in shorts:
            other, first = shorts[folded]
            message = _(
                "the short code {short!r} of {name} is already used by {other} on line {first}; "
                "give each organisation its own short code"
            ).format(short=org.short, name=org.name, other=other, first=first)
            reader.add(short_line, message)
        else:
            shorts[folded] = (org.name, short_line)
        if org.name.casefold() in names:
            message = _(
                "the organisation {name!r} is listed twice (first on line {first}); "
                "list each organisation once"
            ).format(name=org.name, first=names[org.name.casefold()])
            reader.add(name_line, message)
        else:
            names[org.name.casefold()] = name_line
        result.append(org)
        rename_lines.append(front.value_line("renamed_from", mapping))
    _check_renames(reader, result, rename_lines)
    return tuple(result)


def _check_renames(
    reader: _Reader, organisations: list[OrganisationSpec], lines: list[int]
) -> None:
    """A former short code may not be a member's present one: which would it mean?"""
    present = {org.short.casefold(): org for org in organisations}
    for org, line in zip(organisations, lines, strict=True):
        for old in org.renamed_from:
            other = present.get(old.casefold())
            if other is None:
                continue
            if other is org:
                message = _(
                    "renamed_from: {old} is the present short code of {name}; write the short "
                    "code it had before, or remove renamed_from"
                ).format(old=old, name=org.name)
            else:
                message = _(
                    "renamed_from: {old} is the short code of {other} now, so it cannot also "
                    "be the code {name} had; to swap two codes, import once with a code "
                    "neither had"
                ).format(old=old, other=other.name, name=org.name)
            reader.add(line, message)


def _organisation(
    reader: _Reader, item: dict[object, object], mapping: MappingNode
) -> OrganisationSpec | None:
    count = len(reader.problems)

    def where(key: str) -> int:
        return reader.front.value_line(key, mapping)

    name = reader.text("name", item, mapping)
    if not name:
        message = _("the organisation has no name; add e.g. name: Kramfors kommun")
        reader.add(where("name"), message)
    short = reader.text("short", item, mapping)
    suggestion = "".join(ch for ch in (name or "ORG") if ch.isalnum())[:3].upper() or "ORG"
    if not short:
        message = _("the organisation {name} has no short code; add e.g. short: {suggestion}")
        reader.add(where("short"), message.format(name=name or "", suggestion=suggestion))
    elif len(short) > MAX_ORG_SHORT or not short.isalnum():
        message = _(
            "the short code {short!r} must be 1 to 6 letters or digits; "
            "write e.g. short: {suggestion}"
        ).format(short=short, suggestion=suggestion)
        reader.add(where("short"), message)
    kind_text = reader.text("kind", item, mapping)
    kind = organisation_kind(kind_text) if kind_text else OrganisationKind.OTHER
    if kind is None:
        choices = ", ".join(dict.fromkeys([*_SWEDISH_KINDS, *OrganisationKind]))
        message = _("the kind {kind!r} is not known; write one of {choices}")
        reader.add(where("kind"), message.format(kind=kind_text, choices=choices))
    people = reader.names("people", item.get("people"), mapping)
    renamed_from = reader.names("renamed_from", item.get("renamed_from"), mapping)
    for old in renamed_from:
        if len(old) > MAX_ORG_SHORT or not old.isalnum():
            message = _(
                "renamed_from: {old!r} is not a short code; write the 1 to 6 letters or digits "
                "the organisation had before, e.g. renamed_from: {suggestion}"
            ).format(old=old, suggestion=suggestion)
            reader.add(where("renamed_from"), message)
    if len(reader.problems) > count or not name or not short or kind is None:
        return None
    return OrganisationSpec(
        name=name, short=short, kind=kind, people=people, renamed_from=renamed_from
    )
