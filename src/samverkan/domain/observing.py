"""Pure helpers of the observer's screen: code keys and the observation line.

**Code keys.** A codebook can hold 40 codes or more, too many for single keys
beside the screen's own. Every code gets a two-key sequence: the first key is
its dimension's number in codebook order (``1``-``9``), the second its place
within the dimension (``1``-``9``, ``0``, then ``a``-``z``). ``2`` then ``3``
toggles the third code of the second dimension; the codebook pane shows
``23`` beside it. Digits are never bound by the screen, so the first key
cannot clash; the second key is read while a sequence is pending, so it may
be any key. Codes beyond those ranges are reached by searching.

**The observation line.** ``@SKE Lösningsinriktat samtal #losningsinriktning``
is an observation attributed to SKE (no ``@``: the whole group) tagged with
the code ``losningsinriktning``; the ``#`` tokens leave the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from samverkan.domain.errors import UserError
from samverkan.domain.model import CodeView, OrganisationView
from samverkan.i18n import _

DIMENSION_KEYS = "123456789"
CODE_KEYS = "1234567890abcdefghijklmnopqrstuvwxyz"
_TRAILING = ".,;:!?)»”\"'"


@dataclass(frozen=True)
class CodeKeys:
    """The two-key sequences of a codebook."""

    dimensions: dict[str, str]  # dimension key -> dimension name
    codes: dict[tuple[str, str], CodeView]  # (dimension key, code key) -> code
    labels: dict[str, str]  # code id -> "23"

    def code(self, dimension_key: str, code_key: str) -> CodeView | None:
        return self.codes.get((dimension_key, code_key.casefold()))

    def label(self, code: CodeView) -> str:
        return self.labels.get(code.id, "")


def assign_code_keys(codes: Sequence[CodeView]) -> CodeKeys:
    dimensions: dict[str, str] = {}
    by_dimension: dict[str, list[CodeView]] = {}
    for code in sorted(codes, key=lambda c: c.position):
        by_dimension.setdefault(code.dimension, []).append(code)
    keyed: dict[tuple[str, str], CodeView] = {}
    labels: dict[str, str] = {}
    for dim_key, (dimension, members) in zip(DIMENSION_KEYS, by_dimension.items(), strict=False):
        dimensions[dim_key] = dimension
        for code_key, code in zip(CODE_KEYS, members, strict=False):
            keyed[(dim_key, code_key)] = code
            labels[code.id] = dim_key + code_key
    return CodeKeys(dimensions, keyed, labels)


@dataclass(frozen=True)
class ParsedObservation:
    text: str
    organisation_id: str | None
    code_ids: tuple[str, ...]


def parse_observation(
    line: str, organisations: Sequence[OrganisationView], codes: Sequence[CodeView]
) -> ParsedObservation:
    """Split the typed line into text, organisation and tags; a clear error if it cannot."""
    words = line.split()
    organisation_id: str | None = None
    if words and words[0].startswith("@"):
        short = words.pop(0)[1:].rstrip(_TRAILING)
        found = next((o for o in organisations if o.short.casefold() == short.casefold()), None)
        if found is None:
            known = ", ".join("@" + o.short for o in organisations)
            raise UserError(
                _("@{short} is not an organisation of this project; use one of {known}, "
                  "or no @ for the whole group").format(short=short, known=known)
            )  # fmt: skip
        organisation_id = found.id
    by_slug = {c.slug.casefold(): c for c in codes}
    code_ids: list[str] = []
    kept: list[str] = []
    for word in words:
        if word.startswith("#") and len(word) > 1:
            slug = word[1:].rstrip(_TRAILING).casefold()
            code = by_slug.get(slug)
            if code is None:
                raise UserError(
                    _("#{slug} is not a code of this codebook; search the codebook with /")
                    .format(slug=slug)
                )  # fmt: skip
            if code.id not in code_ids:
                code_ids.append(code.id)
            continue
        kept.append(word)
    text = " ".join(kept)
    if not text:
        raise UserError(_("write what you observed before pressing Enter"))
    return ParsedObservation(text, organisation_id, tuple(code_ids))


def complete_observation(
    line: str, organisations: Sequence[OrganisationView], codes: Sequence[CodeView]
) -> str | None:
    """The line with its last word completed to an ``@organisation`` or ``#code``."""
    start = line.rfind(" ") + 1
    word = line[start:]
    if len(word) < 2 or word[0] not in "@#":
        return None
    prefix = word[1:].casefold()
    if word[0] == "@":
        if start != 0:
            return None
        names = [o.short for o in organisations]
    else:
        names = [c.slug for c in sorted(codes, key=lambda c: c.position)]
    for name in names:
        if name.casefold().startswith(prefix) and len(name) > len(prefix):
            return line[:start] + word[0] + word[1:] + name[len(prefix) :]
    return None
