"""Esc then a letter is Esc then a letter, however the terminal's bytes are split."""

from __future__ import annotations

import pytest
from textual._xterm_parser import XTermParser

from samverkan.ui.terminal_keys import EscThenLetterParser, install


def keys(parser: XTermParser, *chunks: str) -> list[str]:
    return [getattr(m, "key", type(m).__name__) for chunk in chunks for m in parser.feed(chunk)]


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        (["\x1bd"], ["escape", "d"]),
        (["\x1b", "d"], ["escape", "d"]),  # split across two reads
        (["ab\x1bcd"], ["a", "b", "escape", "c", "d"]),
        (["\x1b" + "x" * 40], ["escape"] + ["x"] * 40),  # Textual alone: "^" and 40 x
        (["\x1b[A", "\x1bOP", "\x1b[15~"], ["up", "f1", "f5"]),  # sequences untouched
        (["\x1b", "[B"], ["down"]),
        (["\x1b\x1bx"], ["escape", "escape", "x"]),
        (["\x1b[200~rad ett\nrad två\x1b[201~"], ["Paste"]),
    ],
)
def test_escape_and_sequences(chunks: list[str], expected: list[str]) -> None:
    assert keys(EscThenLetterParser(), *chunks) == expected


def test_textual_alone_would_merge_them() -> None:
    """The behaviour this module exists for (if Textual changes it, this tells)."""
    assert keys(XTermParser(), "\x1b" + "x" * 40)[0] == "circumflex_accent"


def test_the_driver_reads_keys_with_it() -> None:
    from textual.drivers import linux_driver

    original = linux_driver.XTermParser
    try:
        install()
        assert linux_driver.XTermParser is EscThenLetterParser
    finally:
        linux_driver.XTermParser = original  # type: ignore[misc]
