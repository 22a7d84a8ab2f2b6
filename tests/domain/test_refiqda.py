"""REFI-QDA codebook exchange: valid against the schema, stable, and back to the same codes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import samverkan
from samverkan.domain.codebook import parse_codebook
from samverkan.domain.errors import UserError
from samverkan.domain.model import CodebookSpec, CodeView, Polarity
from samverkan.domain.refiqda import NAMESPACE, code_guid, export_codebook
from samverkan.domain.refiqda_import import import_codebook
from samverkan.services.importing import code_id

CODEBOOK = Path(samverkan.__file__).parent / "sample_agendas" / "codebook.md"
XSD = Path(__file__).resolve().parent.parent / "data" / "refi-qda" / "Codebook.xsd"


def _sample() -> CodebookSpec:
    spec, problems = parse_codebook(CODEBOOK, CODEBOOK.read_text(encoding="utf-8"))
    assert spec is not None, problems
    return spec


def _views(spec: CodebookSpec) -> list[CodeView]:
    return [
        CodeView(c.slug, c.slug, c.label, c.description, c.dimension, c.polarity, "", i)
        for i, c in enumerate(spec.codes)
    ]


def _key(spec: CodebookSpec) -> list[tuple[str, str, str, str, Polarity]]:
    return [(c.slug, c.label, c.description, c.dimension, c.polarity) for c in spec.codes]


def _parse_back(text: str) -> CodebookSpec:
    spec, problems = parse_codebook(Path("imported.md"), text)
    assert spec is not None, problems
    return spec


def test_export_is_valid_against_the_refi_qda_codebook_schema() -> None:
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    document = etree.fromstring(export_codebook("grupp-1", _views(_sample())).encode("utf-8"))
    assert schema.validate(document), schema.error_log


def test_the_schema_catches_a_broken_file() -> None:
    """The validation above means something: the schema rejects what the standard forbids."""
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    broken = (
        f'<CodeBook xmlns="{NAMESPACE}"><Codes><Code name="x" isCodable="true"/></Codes></CodeBook>'
    )
    assert not schema.validate(etree.fromstring(broken.encode()))


def test_export_structure() -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(export_codebook("grupp-1", _views(_sample())).encode("utf-8"))
    ns = {"q": NAMESPACE}
    dimensions = root.findall("q:Codes/q:Code", ns)
    assert [d.get("name") for d in dimensions] == [
        "Kultur, person, attityd",
        "Organisation och arbetsformer",
        "Generella framgångsfaktorer (Dua)",
    ]
    assert {d.get("isCodable") for d in dimensions} == {"false"}
    first = dimensions[0].findall("q:Code", ns)[0]
    assert first.get("name") == "Gemensamt synsätt"
    assert first.get("isCodable") == "true"
    assert first.get("guid") == code_id("grupp-1", "gemensamt-synsatt")
    description = first.find("q:Description", ns)
    assert description is not None and description.text is not None
    assert description.text.startswith("Parterna beskriver målgruppen")
    assert description.text.endswith("[samverkan:gemensamt-synsatt]")
    sets = {s.get("name"): s for s in root.findall("q:Sets/q:Set", ns)}
    assert list(sets) == ["Framgångsfaktorer", "Hinder", "Ambivalenta"]
    members = [m.get("guid") for m in sets["Ambivalenta"].findall("q:MemberCode", ns)]
    assert members == [
        code_guid("grupp-1", s)
        for s in ("samlokalisering", "klar-ansvarsfordelning", "individanpassning")
    ]


def test_guids_are_stable_across_exports_and_projects_differ() -> None:
    codes = _views(_sample())
    assert export_codebook("grupp-1", codes) == export_codebook("grupp-1", list(reversed(codes)))
    assert export_codebook("grupp-1", codes) != export_codebook("foretag", codes)


def test_english_set_names() -> None:
    text = export_codebook("grupp-1", _views(_sample()), lang="en")
    assert 'name="Success factors"' in text and 'name="Obstacles"' in text


def test_an_empty_codebook_is_refused() -> None:
    with pytest.raises(UserError):
        export_codebook("grupp-1", [])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_round_trip_gives_the_same_codes(lang: str) -> None:
    spec = _sample()
    imported = import_codebook(export_codebook("grupp-1", _views(spec), lang=lang).encode())
    assert imported.warnings == []
    assert imported.codes == len(spec.codes)
    assert _key(_parse_back(imported.text)) == _key(spec)


PROJECT_VARIANT = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="From ATLAS.ti">
  <CodeBook>
    <Codes>
      <Code guid="{11111111-1111-1111-1111-111111111111}" name="Kultur">
        <Code guid="22222222-2222-2222-2222-222222222222" name="Tillit">
          <Description>Man litar
            på varandra.</Description>
        </Code>
        <Code guid="33333333-3333-3333-3333-333333333333" name="Revir - och prestige"/>
        <Code guid="44444444-4444-4444-4444-444444444444" name="Hinder" isCodable="false">
          <Code guid="55555555-5555-5555-5555-555555555555" name="Byråkrati"/>
        </Code>
      </Code>
      <Code guid="66666666-6666-6666-6666-666666666666" name="Lösa koder" />
    </Codes>
  </CodeBook>
  <Sets>
    <Set guid="77777777-7777-7777-7777-777777777777" name="Success factors">
      <MemberCode targetGUID="22222222-2222-2222-2222-222222222222"/>
    </Set>
    <Set guid="88888888-8888-8888-8888-888888888888" name="Favourites">
      <MemberCode targetGUID="33333333-3333-3333-3333-333333333333"/>
    </Set>
  </Sets>
</Project>
"""


def test_the_project_namespace_variant_other_tools_write() -> None:
    imported = import_codebook(PROJECT_VARIANT.encode())
    spec = _parse_back(imported.text)
    codes = {c.label: c for c in spec.codes}
    # Within a dimension: success factors, obstacles, then ambivalent codes.
    assert list(codes) == ["Tillit", "Byråkrati", "Revir \u2011 och prestige", "Lösa koder"]
    assert codes["Tillit"].polarity is Polarity.SUCCESS
    assert codes["Tillit"].description == "Man litar\npå varandra."  # its line break kept
    assert codes["Tillit"].dimension == "Kultur"
    assert codes["Byråkrati"].polarity is Polarity.OBSTACLE  # from the group above it
    assert codes["Revir \u2011 och prestige"].polarity is Polarity.AMBIVALENT  # undecided
    assert codes["Lösa koder"].dimension == "Other codes"
    assert codes["Tillit"].slug == "tillit"
    assert len(imported.warnings) == 2
    assert "Revir - och prestige" in imported.warnings[0]
    assert "Lösa koder" in imported.warnings[1]


def test_no_namespace_and_duplicate_names_get_their_own_slugs() -> None:
    text = """<CodeBook><Codes>
      <Code guid="11111111-1111-1111-1111-111111111111" name="Dim" isCodable="false">
        <Code guid="22222222-2222-2222-2222-222222222222" name="Tillit" isCodable="true"/>
        <Code guid="33333333-3333-3333-3333-333333333333" name="Tillit" isCodable="true"/>
        <Code guid="44444444-4444-4444-4444-444444444444" name="中文" isCodable="true"/>
      </Code></Codes></CodeBook>""".encode()
    spec = _parse_back(import_codebook(text).text)
    assert [c.slug for c in spec.codes] == ["tillit", "tillit-2", "code"]


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><CodeBook/>',
        b'<!doctype x SYSTEM "file:///etc/passwd"><CodeBook/>',
        b"<CodeBook><Codes>",
        b"not xml at all",
        b"<CodeBook><Sets/></CodeBook>",
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>',
        b"<Other/>",
    ],
)
def test_unusable_files_are_refused_with_one_sentence(data: bytes) -> None:
    with pytest.raises(UserError) as raised:
        import_codebook(data)
    assert "\n" not in str(raised.value)


def test_a_declaration_in_utf16_is_refused_too() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><CodeBook/>'
    with pytest.raises(UserError, match="DOCTYPE"):
        import_codebook(text.encode("utf-16"))


def test_a_codebook_in_utf16_is_read() -> None:
    text = export_codebook("grupp-1", _views(_sample())).replace("utf-8", "UTF-16")
    assert import_codebook(text.encode("utf-16")).codes == 39


def test_a_billion_laughs_never_expands() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
            for i in range(1, 10)
        )
        + b"]><CodeBook><Codes>&lol9;</Codes></CodeBook>"
    )
    with pytest.raises(UserError, match="DOCTYPE"):
        import_codebook(bomb)


NESTED = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA">
  <Codes>
    <Code guid="a0000000-0000-0000-0000-000000000001" name="Organisation" isCodable="false"
          color="#112233">
      <Code guid="a0000000-0000-0000-0000-000000000002" name="Hinder" isCodable="false">
        <Code guid="a0000000-0000-0000-0000-000000000003" name="Styrning" isCodable="false">
          <Code guid="a0000000-0000-0000-0000-000000000004" name="Olika logiker" isCodable="true"
                color="#ABCDEF">
            <Description>Kommunen och AF styrs olika.
Det märks i vardagen.

- även i budgeten</Description>
          </Code>
        </Code>
      </Code>
      <Code guid="a0000000-0000-0000-0000-000000000005" name="Framgångsfaktorer" isCodable="false">
        <Code guid="a0000000-0000-0000-0000-000000000006" name="Korta beslutsvägar"
              isCodable="true" color="#2E7D32"/>
      </Code>
    </Code>
  </Codes>
</CodeBook>
"""


def test_a_three_level_codebook_keeps_its_hierarchy_and_says_what_it_could_not_keep() -> None:
    imported = import_codebook(NESTED.encode())
    spec = _parse_back(imported.text)
    codes = {c.slug: c for c in spec.codes}
    nested = codes["styrning-olika-logiker"]
    assert nested.label == "Styrning › Olika logiker"  # the group is a label prefix
    assert nested.dimension == "Organisation"
    assert nested.polarity is Polarity.OBSTACLE
    # Line breaks kept; the blank line and the line that would start a list are joined.
    assert (
        nested.description
        == "Kommunen och AF styrs olika.\nDet märks i vardagen. - även i budgeten"
    )
    assert codes["korta-beslutsvagar"].label == "Korta beslutsvägar"  # a polarity group: no prefix
    # One line per kind of loss; the success factor's green is samverkan's own, so kept.
    assert len(imported.warnings) == 3
    nested_line, colour_line, breaks_line = imported.warnings
    assert "groups" in nested_line and "Styrning › Olika logiker" in nested_line
    assert "colours" in colour_line and "Olika logiker" in colour_line
    assert "Korta" not in colour_line
    assert "blank lines" in breaks_line


def test_descriptions_keep_their_line_breaks_through_a_round_trip() -> None:
    spec = _sample()
    views = list(_views(spec))
    views[0] = replace(views[0], description="Första raden.\nAndra raden.")
    imported = import_codebook(export_codebook("grupp-1", views).encode())
    assert imported.warnings == []
    back = _parse_back(imported.text)
    assert back.codes[0].description == "Första raden.\nAndra raden."
