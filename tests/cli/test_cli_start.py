"""The app's start reads its few options without building every command's parser."""

from __future__ import annotations

import pytest

from samverkan.cli import _tui_arguments, build_parser


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "x.db"],
        ["--db=x.db"],
        ["--lang", "sv"],
        ["--lang=en", "--db", "y.db"],
        ["--db", "x.db", "--db", "y.db"],
        ["--db=postgresql://me@host/team"],
    ],
)
def test_the_start_reads_what_the_full_parser_reads(argv: list[str]) -> None:
    fast = _tui_arguments(argv)
    full = build_parser().parse_args(argv)
    assert fast is not None
    assert (fast.command, fast.db, fast.lang) == (full.command, full.db, full.lang)


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["--db", "x.db", "list"],
        ["--help"],
        ["--version"],
        ["--lang", "de"],  # the full parser explains the mistake
        ["--db"],
        ["--db", "-x"],
        ["--d", "x.db"],  # an abbreviation: argparse's rules, not ours
    ],
)
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert _tui_arguments(argv) is None
