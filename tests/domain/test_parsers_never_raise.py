"""Whatever a user saves, the parsers answer with problems, never with a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.domain.agenda import parse_agenda
from samverkan.domain.check import check_paths, detect_kind
from samverkan.domain.codebook import parse_codebook
from samverkan.domain.frontmatter import decode_text, split_front_matter
from samverkan.domain.model import AgendaSpec, CodebookSpec, Problem, ProjectSpec
from samverkan.domain.project import parse_project

P = Path("fuzz.md")

# Pieces of the files users write, so random text reaches deep into the parsers.
FRAGMENTS = [
    "---",
    "...",
    "meeting: 1",
    "meeting: -3",
    "meeting: [1, 2]",
    "title: Möte",
    "title:",
    "date: 2018-02-30",
    "date: !!timestamp 2018-13-01",
    "start: 9:30",
    "start: {a: 1}",
    "host: KRA",
    "host: &a [*a]",
    "name: G",
    "short: g",
    "short: 012",
    "lang: xx",
    "codebook: ../k.md",
    "codebook: [x]",
    "observers: x",
    "organisations:",
    "  - name: Kramfors kommun",
    "    short: KRA",
    "    short: kra",
    "    kind: kommun",
    "    kind: [x]",
    "    people: [a, {b: c}]",
    "  - x",
    "  - <<: {name: y}",
    "? [a]",
    ": b",
    "a: !!python/object:os.system x",
    "# Kultur",
    "## Hinder",
    "## Samtal (30 min)",
    "## Samtal (x min)",
    "## (1,5 h)",
    "## C'est compliqué",
    "- [tillit] Tillit — beskrivning",
    "- [Bad Slug] x",
    "- [] — ",
    "  - nested",
    "1. ordered",
    "> quote",
    "```",
    "    code",
    "<div>",
    "",
    "\t",
    "\r",
    "\u2028",
    "\ufeff",
]

markdownish = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=40
).map("\n".join)
any_text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=())),  # lone surrogates included
    markdownish,
)
PARSERS = (parse_agenda, parse_codebook, parse_project)
SPECS = (AgendaSpec, CodebookSpec, ProjectSpec)


def assert_well_formed(spec: object, problems: list[Problem]) -> None:
    assert all(isinstance(p, Problem) and isinstance(p.message, str) for p in problems)
    assert all(isinstance(p.line, int) and p.line >= 1 for p in problems)
    # Nothing is imported from a file with problems, and no file is refused in silence.
    assert (spec is None) == bool(problems)
    assert spec is None or isinstance(spec, SPECS)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_parsers_never_raise_on_any_text(text: str) -> None:
    for parse in PARSERS:
        spec, problems = parse(P, text)
        assert_well_formed(spec, problems)
    assert detect_kind(P, text) in ("project", "agenda", "codebook", "unknown")
    front = split_front_matter(P, text)
    assert all(isinstance(p, Problem) for p in front.problems)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(), markdownish.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_parsers_never_raise_on_any_bytes(data: bytes) -> None:
    text, problems = decode_text(P, data)
    assert (text is None) == bool(problems)
    assert all(isinstance(p, Problem) and p.line >= 1 for p in problems)
    if text is not None:
        for parse in PARSERS:
            assert_well_formed(*parse(P, text))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["project.md", "01-mote.md", "codebook.md", "README.md", "x.txt"]),
    st.one_of(st.binary(), markdownish.map(lambda t: t.encode("utf-8", "surrogatepass"))),
)
def test_check_paths_never_raises_on_a_file(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        for target in (path, Path(folder)):
            for result in check_paths([target]):
                assert result.kind in ("project", "agenda", "codebook", "folder", "unknown")
                assert all(isinstance(p, Problem) for p in result.problems)
