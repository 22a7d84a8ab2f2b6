"""Codebook exchange with QDA tools: the REFI-QDA codebook format (``.qdc``).

Export writes the project's codebook so that QualCoder, ATLAS.ti, MAXQDA and NVivo
can read it: each dimension is a non-codable parent ``<Code isCodable="false">``,
each code a codable child with its ``<Description>``, and each polarity a
``<Set>`` whose ``<MemberCode>`` elements name its codes. GUIDs are derived from
the project's short name and the code's slug (or the dimension's name), so the
same codebook exported twice gives the same file, and a code's GUID is its id in
the database.

The standard has no place for a slug, so the description ends with a line
``[samverkan:SLUG]``; :func:`samverkan.domain.refiqda_import.import_codebook` reads
it back, so a codebook edited in another tool keeps its slugs, hence its tags.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from samverkan.domain.errors import UserError
from samverkan.domain.model import CodeView, Polarity, stable_id
from samverkan.i18n import _

NAMESPACE = "urn:QDA-XML:codebook:1.0"
SLUG_MARKER = "[samverkan:{slug}]"
# Set names in the file: words the codebook parser knows, in either language.
SET_NAMES = {
    "sv": {
        Polarity.SUCCESS: "Framgångsfaktorer",
        Polarity.OBSTACLE: "Hinder",
        Polarity.AMBIVALENT: "Ambivalenta",
    },
    "en": {
        Polarity.SUCCESS: "Success factors",
        Polarity.OBSTACLE: "Obstacles",
        Polarity.AMBIVALENT: "Ambivalent",
    },
}
# Colours QDA tools show for the codes: green, red, amber.
COLOURS = {
    Polarity.SUCCESS: "#2E7D32",
    Polarity.OBSTACLE: "#C62828",
    Polarity.AMBIVALENT: "#F9A825",
}


def code_guid(project_short: str, slug: str) -> str:
    """The same id the code has in the database (``services.importing.code_id``)."""
    return stable_id("code", project_short, slug)


def dimension_guid(project_short: str, dimension: str) -> str:
    return stable_id("refi-qda", "dimension", project_short, dimension)


def set_guid(project_short: str, polarity: Polarity) -> str:
    return stable_id("refi-qda", "set", project_short, polarity.value)


def export_codebook(
    project_short: str, codes: Sequence[CodeView], *, lang: str = "sv", origin: str = "samverkan"
) -> str:
    """The codebook as a REFI-QDA ``.qdc`` document (UTF-8 text with an XML declaration)."""
    if not codes:
        # The schema needs at least one <Code>: an empty file would open nowhere.
        raise UserError(_("the project's codebook has no codes to export"))
    ET.register_namespace("", NAMESPACE)

    def tag(name: str) -> str:
        return f"{{{NAMESPACE}}}{name}"

    root = ET.Element(tag("CodeBook"), {"origin": origin})
    codes_element = ET.SubElement(root, tag("Codes"))
    parents: dict[str, ET.Element] = {}
    members: dict[Polarity, list[str]] = {}
    for code in sorted(codes, key=lambda c: c.position):
        parent = parents.get(code.dimension)
        if parent is None:
            parent = ET.SubElement(
                codes_element,
                tag("Code"),
                {
                    "guid": dimension_guid(project_short, code.dimension),
                    "name": code.dimension,
                    "isCodable": "false",
                },
            )
            parents[code.dimension] = parent
        guid = code_guid(project_short, code.slug)
        element = ET.SubElement(
            parent,
            tag("Code"),
            {
                "guid": guid,
                "name": code.label,
                "isCodable": "true",
                "color": COLOURS[code.polarity],
            },
        )
        description = ET.SubElement(element, tag("Description"))
        marker = SLUG_MARKER.format(slug=code.slug)
        description.text = f"{code.description}\n\n{marker}" if code.description else marker
        members.setdefault(code.polarity, []).append(guid)
    names = SET_NAMES.get(lang, SET_NAMES["en"])
    if members:
        sets = ET.SubElement(root, tag("Sets"))
        for polarity in (Polarity.SUCCESS, Polarity.OBSTACLE, Polarity.AMBIVALENT):
            if polarity not in members:
                continue
            element = ET.SubElement(
                sets,
                tag("Set"),
                {"guid": set_guid(project_short, polarity), "name": names[polarity]},
            )
            for guid in members[polarity]:
                # The codebook schema names the member by ``guid``; the project
                # schema (.qde) by ``targetGUID``. Import reads either.
                ET.SubElement(element, tag("MemberCode"), {"guid": guid})
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"
