"""Esc then a letter is Esc then a letter, however the bytes arrive.

A terminal sends Esc as the byte ESC and Alt+d as ESC d, so Textual's parser
tells them apart by time: ESC followed by a letter within ESCDELAY (100 ms) is
Alt+letter. When the app lags behind the keyboard, or a typist is quick, Esc
and the letters after it arrive in one read and are taken for Alt+letter; with
more than 32 letters behind it the ESC even becomes a typed "^". On the
meeting screen Esc leaves the note list or cancels an edit, and the letters
then went to the list, where they used to be commands.

samverkan binds no Alt key, so this parser reads ESC followed by anything that
cannot continue an escape sequence (a CSI ``ESC [``, an SS3 ``ESC O``, an OSC
``ESC ]``, a DCS ``ESC P``, or another ESC) as Esc, then the rest as typed:
the escape is flushed as if ESCDELAY had passed, which is what the parser
itself does on its timeout.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual._parser import ParseTimeout
from textual._xterm_parser import XTermParser
from textual.message import Message

ESC = "\x1b"
# What may follow ESC in a sequence a terminal sends for a key, a paste, a report.
_SEQUENCE_STARTS = frozenset("[O]P" + ESC)


class EscThenLetterParser(XTermParser):
    """XTermParser that never merges Esc with the letter after it."""

    _ended_with_esc = False  # the last read ended with ESC: its follower is in this one

    def feed(self, data: str) -> Iterable[Message]:
        if not data:
            yield from super().feed(data)
            return
        start = 0
        for index, character in enumerate(data):
            follows_esc = data[index - 1] == ESC if index else self._ended_with_esc
            if follows_esc and character not in _SEQUENCE_STARTS:
                if index > start:  # (an empty feed would mean the end of input)
                    yield from super().feed(data[start:index])
                yield from self._flush_escape()
                start = index
        self._ended_with_esc = data.endswith(ESC)
        yield from super().feed(data[start:])

    def _flush_escape(self) -> Iterable[Message]:
        parser: Any = self
        if parser._timeout_time is None:
            return
        parser._timeout_time = None
        parser._awaiting = parser._gen.throw(ParseTimeout())
        while parser._tokens:
            yield parser._tokens.popleft()


def install() -> None:
    """Make Textual's Linux/macOS driver read keys with :class:`EscThenLetterParser`."""
    try:
        from textual.drivers import linux_driver
    except ImportError:  # pragma: no cover - Windows
        return
    setattr(linux_driver, "XTermParser", EscThenLetterParser)  # noqa: B010
