"""Parsing a codebook: ``#`` dimensions, ``##`` polarities, ``- [slug] Label — description``."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from samverkan.domain.blocks import ListItem, one_line, parse_blocks
from samverkan.domain.frontmatter import split_front_matter
from samverkan.domain.model import CodebookSpec, CodeSpec, Polarity, Problem
from samverkan.i18n import _

MAX_SLUG = 40

_POLARITIES: dict[str, Polarity] = {
    **dict.fromkeys(
        ("framgångsfaktorer", "framgångsfaktor", "success factors", "success factor"),
        Polarity.SUCCESS,
    ),
    **dict.fromkeys(("hinder", "obstacles", "obstacle", "barriers", "barrier"), Polarity.OBSTACLE),
    **dict.fromkeys(("ambivalenta", "ambivalent", "c'est compliqué"), Polarity.AMBIVALENT),
}
POLARITY_WORDS = ("Framgångsfaktorer", "Hinder", "Ambivalenta", "C'est compliqué")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_ITEM = re.compile(r"\[([^\]]*)\]\s*(.*)", re.DOTALL)
_DESCRIPTION = re.compile(r"\s+[—–-](?:\s+|$)")
# "Ambivalenta (C'est compliqué)" or "Hinder – organisation" still name a polarity.
_QUALIFIER = re.compile(r"\s*(?:\(|\s[—–-]\s|:).*$", re.DOTALL)
_TRANSLITERATE = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e"})


def slugify(label: str) -> str:
    """A slug made from a label: ``"Tillit och förtroende"`` -> ``"tillit-och-fortroende"``."""
    text = unicodedata.normalize("NFKD", label.casefold().translate(_TRANSLITERATE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:MAX_SLUG].strip("-")


def polarity_of(heading: str) -> Polarity | None:
    text = re.sub(r"\s+", " ", heading.replace("’", "'").casefold()).strip(" .:…!")
    found = _POLARITIES.get(text)
    if found is None:
        found = _POLARITIES.get(_QUALIFIER.sub("", text).strip(" .:…!"))
    return found


def parse_codebook(path: Path, text: str) -> tuple[CodebookSpec | None, list[Problem]]:
    """A codebook, or None and every problem found; the spec is only returned without problems."""
    front = split_front_matter(path, text)
    problems = list(front.problems)
    if problems and not front.present:
        return None, problems
    codes: list[CodeSpec] = []
    first_line: dict[str, int] = {}
    dimension: str | None = None
    polarity: Polarity | None = None
    bad_heading = False  # the heading above already has a problem; its codes add nothing new
    saw_item = False
    for block in parse_blocks(front.body):
        line = front.body_offset + block.line + 1
        if block.kind == "heading" and block.level == 1:
            dimension, polarity, bad_heading = block.text or None, None, not block.text
            if not block.text:
                message = _("the dimension heading is empty; write its name, e.g. # Kultur, person")
                problems.append(Problem(path, line, message))
        elif block.kind == "heading" and block.level == 2:
            polarity, bad_heading = _polarity(path, line, block.text, dimension, problems)
        elif block.kind == "list":
            saw_item = True
            if bad_heading:
                continue
            if dimension is None or polarity is None:
                problems.append(_orphan(path, line, dimension))
                continue
            for item in block.items:
                item_line = front.body_offset + item.line + 1
                code = _code(path, item_line, item, dimension, polarity, first_line, problems)
                if code is not None:
                    codes.append(code)
    if not saw_item:
        message = _(
            "the codebook has no codes; add list items such as - [tillit] Tillit — description "
            "under a # dimension and a ## Framgångsfaktorer heading"
        )
        problems.append(Problem(path, max(1, front.body_offset + 1), message))
    if problems:
        return None, sorted(problems, key=lambda problem: problem.line)
    return CodebookSpec(path=path, codes=tuple(codes)), []


def _polarity(
    path: Path, line: int, heading: str, dimension: str | None, problems: list[Problem]
) -> tuple[Polarity | None, bool]:
    if dimension is None:
        message = _(
            "the heading ## {heading} comes before any dimension; "
            "put a # heading with the dimension's name above it"
        ).format(heading=heading)
        problems.append(Problem(path, line, message))
        return None, True
    found = polarity_of(heading)
    if found is None:
        message = _("the polarity {heading!r} is not known; write one of {choices}").format(
            heading=heading, choices=", ".join(POLARITY_WORDS)
        )
        problems.append(Problem(path, line, message))
        return None, True
    return found, False


def _orphan(path: Path, line: int, dimension: str | None) -> Problem:
    if dimension is None:
        message = _(
            "a list of codes before the first dimension heading; put a # heading with the "
            "dimension's name and a ## Framgångsfaktorer or ## Hinder heading above it"
        )
    else:
        message = _(
            "a list of codes under # {dimension} without a polarity heading; "
            "put ## Framgångsfaktorer, ## Hinder or ## Ambivalenta above it"
        ).format(dimension=dimension)
    return Problem(path, line, message)


def _code(
    path: Path,
    line: int,
    item: ListItem,
    dimension: str,
    polarity: Polarity,
    first_line: dict[str, int],
    problems: list[Problem],
) -> CodeSpec | None:
    # The item's own lines: a description keeps its line breaks, a label is one line.
    text = item.lines or item.text
    given = _ITEM.fullmatch(text)
    slug = given.group(1).strip() if given else None
    rest = given.group(2).strip() if given else text
    separator = _DESCRIPTION.search(rest)
    label = one_line(rest[: separator.start()] if separator else rest)
    description = rest[separator.end() :].strip() if separator else ""
    count = len(problems)
    if not label:
        message = _("the code has no label; write e.g. - [tillit] Tillit — what it means")
        problems.append(Problem(path, line, message))
    if slug is None:
        slug = slugify(label)
        if label and not slug:
            message = _(
                "no slug can be made from the label {label!r}; write one in brackets, "
                "e.g. - [my-code] {label}"
            ).format(label=label)
            problems.append(Problem(path, line, message))
    elif not _SLUG.fullmatch(slug) or len(slug) > MAX_SLUG:
        suggestion = slugify(slug) or slugify(label) or "my-code"
        message = _(
            "the slug [{slug}] may only hold a-z, digits and hyphens, at most {most} characters; "
            "write e.g. [{suggestion}]"
        ).format(slug=slug, most=MAX_SLUG, suggestion=suggestion)
        problems.append(Problem(path, line, message))
    if slug and slug in first_line:
        message = _(
            "the slug {slug!r} is already used on line {first}; give this code its own slug, "
            "e.g. [{slug}-2]"
        ).format(slug=slug, first=first_line[slug])
        problems.append(Problem(path, line, message))
    elif slug:
        first_line[slug] = line
    if len(problems) > count or not slug:
        return None
    return CodeSpec(slug, label, description, dimension, polarity, line)
