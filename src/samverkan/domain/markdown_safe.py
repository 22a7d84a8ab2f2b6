"""User text made literal in Markdown: whatever a note says, it stays that text.

Minutes and reports put text people typed (notes, names, titles, code labels)
into Markdown. A note such as ``# inte en rubrik``, ``1. inte en lista``,
``<script>``, ``[länk](x)``, ``&amp;`` or ``a | b`` must come back from any
CommonMark parser (markdown-it-py, Textual's ``Markdown`` widget, GitHub) as
exactly that text, in exactly one paragraph, list item or table cell.

The contract, for every function here: parse the result with CommonMark
(markdown-it-py's ``commonmark``, ``gfm-like`` or ``gfm-like2`` presets), join
the text of the resulting inline tokens, reading a hard line break as ``\\n``,
and you get the input back, with these normalisations only:

- ``\\r\\n`` and a lone ``\\r`` are line breaks, as in every Markdown parser: they
  come back as ``\\n``;
- line breaks at the very start or end of the text are dropped (a paragraph
  cannot begin or end with a line break; notes are stored stripped anyway);
- NUL becomes U+FFFD, as CommonMark requires;
- the control characters that count as whitespace but have no character
  reference CommonMark accepts (VT, FF, the separators FS–US, NEL) become
  spaces — nobody types them, and at the edge of a line nothing else survives.

(The ``gfm-like`` presets also *linkify* URLs; the link's text is the URL as
written, except that linkify decodes percent-escapes and punycode in what it
shows. The Markdown file itself keeps the URL exactly.)

How, and why this way:

- Characters that mean something anywhere in a line are always escaped with a
  backslash: ``\\ ` * _ [ ] < > & | ~ #``. (``&`` so that ``&amp;`` stays five
  characters; ``|`` for tables; ``~`` for strikethrough; ``#`` for the closing
  sequence of headings.)
- Characters that mean something only at the start of a line are escaped
  only there, so ordinary prose stays readable in the raw file: ``-``, ``+``,
  ``=`` (setext underline) and the ``.`` or ``)`` after leading digits
  (``1\\. x``).
- Whitespace at the start or end of a line would be stripped (or start an
  indented code block), so it is written as a numeric character reference
  (``&#32;``, ``&#9;``).
- Several lines: in a paragraph or list item each line ends with a backslash
  hard break (``\\`` + newline), and continuation lines are indented to the
  list item's content (``indent``), so a line never starts a new block. In a
  table cell or a heading, which are one line by definition, a line break is
  the character reference ``&#10;``: the cell's text still contains the
  newline, and viewers show a space.

Another module (the analysis report) uses these functions too: keep the names.
"""

from __future__ import annotations

import re

__all__ = ["heading", "inline", "list_item", "table_cell"]

# Significant wherever they stand (inline syntax, tables, heading closers).
_ANYWHERE = re.compile(r"([\\`*_\[\]<>&|~#])")
# Significant only at the start of a line: list bullets, setext underlines,
# ordered list markers (digits then . or ) — up to nine digits count, escape any).
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")


# Whitespace controls without a valid character reference (see the module doc).
_CONTROL_SPACES = str.maketrans(dict.fromkeys("\x0b\x0c\x1c\x1d\x1e\x1f\x85", " "))
# Anything that needs normalising first; one scan finds out (most notes need none).
_UNUSUAL = re.compile("[\r\x00\x0b\x0c\x1c-\x1f\x85]")
# First characters that may need the slow path in _edges.
_MARKER_START = frozenset("-+=0123456789")


def _lines(text: str) -> list[str]:
    """``text`` escaped and split into lines, each with its edges made safe.

    Escaping runs once over the whole text (minutes escape thousands of
    notes; a pass per line costs twice as much) — it never touches
    whitespace or line breaks, so the lines and their edges stay where they were.
    """
    if _UNUSUAL.search(text):
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
        text = text.translate(_CONTROL_SPACES)
    text = text.strip("\n")
    if _ANYWHERE.search(text):
        text = _ANYWHERE.sub(r"\\\1", text)
    if "\n" not in text:
        return [_edges(text)]
    return [_edges(line) for line in text.split("\n")]


def _reference(char: str) -> str:
    return f"&#{ord(char)};"


def _edges(line: str) -> str:
    """Outer whitespace as character references; a block marker at the start escaped."""
    if not line or not (line[0].isspace() or line[-1].isspace() or line[0] in _MARKER_START):
        return line
    body = line.strip()
    start = len(line) - len(line.lstrip())
    lead = "".join(_reference(c) for c in line[:start])
    trail = "".join(_reference(c) for c in line[start + len(body) :])
    if not lead:
        # Only a line that starts at its first column can be a block marker.
        body = _LINE_START.sub(
            lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}",
            body,
            count=1,
        )
    return lead + body + trail


def inline(text: str, *, indent: int = 0) -> str:
    """``text`` for a paragraph, or for a list item after its marker.

    Lines are joined with backslash hard breaks; ``indent`` is the number of
    spaces continuation lines need to stay inside a list item (2 after
    ``- ``). An empty line inside the text is written as a lone hard break, so
    it does not end the paragraph.
    """
    lines = _lines(text)
    if len(lines) == 1:
        return lines[0]
    pad = " " * indent
    # A line that is empty after escaping stays inside the paragraph because
    # the line before it ended with a hard break and it consists of one too.
    head, *rest = lines
    joined = [head, *(pad + line for line in rest)]
    return "\\\n".join(joined)


def list_item(text: str, *, marker: str = "-", level: int = 0) -> str:
    """One list item (``- text``), nested ``level`` deep (two spaces a level)."""
    outer = "  " * level
    prefix = f"{outer}{marker} "
    return prefix + inline(text, indent=len(prefix))


def table_cell(text: str) -> str:
    """``text`` for one cell of a GFM table: one line, pipes escaped.

    Line breaks become ``&#10;`` (tables cannot hold a hard break); an empty
    text stays an empty cell.
    """
    return "&#10;".join(_lines(text))


def heading(text: str) -> str:
    """``text`` for an ATX heading, after the ``## ``: one line, like a table cell."""
    return table_cell(text)
