"""Reading the Markdown files users write, and splitting off their YAML front matter.

Everything a user can get wrong here (encoding, binary content, size, broken YAML) becomes
a :class:`Problem` with the file's own line number; nothing in this module raises for bad
input, because the CLI and the TUI show these problems instead of a traceback.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from samverkan.domain.model import Problem
from samverkan.i18n import _

MAX_BYTES = 2 * 1024 * 1024

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):
    """Safe loading without implicit timestamps.

    PyYAML raises a bare ``ValueError`` for ``date: 2025-02-30``; keeping dates as text
    lets the agenda parser say what is wrong on the right line.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

_FENCE = re.compile(r"---[ \t]*")
_CLOSE = re.compile(r"(---|\.\.\.)[ \t]*")


def decode_text(path: Path, data: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes of a file as text, or the problems that keep it from being read."""
    if len(data) > MAX_BYTES:
        return None, [_too_big(path, len(data))]
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        message = _(
            "the file contains a NUL byte on line {line} and looks like a binary file; "
            "write it as plain Markdown text"
        ).format(line=line)
        return None, [Problem(path, line, message)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        line = data.count(b"\n", 0, err.start + bom) + 1
        bad = data[err.start + bom : err.start + bom + 1].hex()
        message = _(
            "the file is not UTF-8 text (byte 0x{byte} on line {line}); "
            "save it as UTF-8 in your editor"
        ).format(byte=bad, line=line)
        return None, [Problem(path, line, message)]
    problems = check_text(path, text)
    return (None, problems) if problems else (text, [])


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The text of a file, or the problems that keep it from being read; never raises."""
    try:
        if path.is_dir():
            message = _("this is a folder, not a file; give the path of a .md file")
            return None, [Problem(path, 1, message)]
        if path.exists() and not path.is_file():
            # A pipe or a device would block or never end; only regular files are read.
            message = _("this is not a regular file; give the path of a .md file")
            return None, [Problem(path, 1, message)]
        with path.open("rb") as handle:
            # One byte over the limit is enough to refuse; a 1 GB file is never read whole.
            data = handle.read(MAX_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError):
        return None, [Problem(path, 1, _("there is no such file or folder; check the path"))]
    except (OSError, ValueError) as err:  # ValueError: a NUL byte in the path itself
        message = _("the file cannot be read ({reason}); check that it exists and is readable")
        reason = getattr(err, "strerror", None) or err
        return None, [Problem(path, 1, message.format(reason=reason))]
    if len(data) > MAX_BYTES:
        try:
            size = path.stat().st_size
        except OSError:
            size = len(data)
        return None, [_too_big(path, size)]
    return decode_text(path, data)


def _too_big(path: Path, size: int) -> Problem:
    message = _(
        "the file is {size:.1f} MB, more than the 2 MB a file may have; "
        "split it or remove what does not belong in it"
    ).format(size=size / (1024 * 1024))
    return Problem(path, 1, message)


def check_text(path: Path, text: str) -> list[Problem]:
    """Problems with text as a whole: empty, binary, too big or not encodable."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        message = _(
            "the file contains a NUL character on line {line} and looks like a binary file; "
            "write it as plain Markdown text"
        ).format(line=line)
        return [Problem(path, line, message)]
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as err:
        line = text.count("\n", 0, err.start) + 1
        message = _(
            "the text has an invalid character (a lone surrogate) on line {line}; "
            "save the file as UTF-8 in your editor"
        ).format(line=line)
        return [Problem(path, line, message)]
    if size > MAX_BYTES:
        return [_too_big(path, size)]
    if not text.removeprefix("\ufeff").strip():
        message = _("the file is empty; write a project, an agenda or a codebook in it")
        return [Problem(path, 1, message)]
    return []


@dataclass
class FrontMatter:
    """The parts of a file: YAML data with its nodes (for line numbers) and the body."""

    path: Path
    present: bool = False
    # The YAML read as a mapping (or was empty), so its keys can be checked one by one.
    loaded: bool = False
    data: dict[object, object] = field(default_factory=dict)
    node: MappingNode | None = None
    body: str = ""
    # Lines before the body and before the YAML, so both can report file line numbers.
    body_offset: int = 0
    yaml_offset: int = 0
    problems: list[Problem] = field(default_factory=list)

    def line(self, node: Node | None) -> int:
        """The file line where a YAML node starts; the front matter's first line if unknown."""
        mark = None if node is None else node.start_mark
        if mark is None:
            return max(1, self.yaml_offset)
        return self.yaml_offset + mark.line + 1

    def key_line(self, key: str, mapping: MappingNode | None = None) -> int:
        target = self.node if mapping is None else mapping
        return self.line(_find(target, key, want_value=False) or target)

    def value_line(self, key: str, mapping: MappingNode | None = None) -> int:
        value = _find(self.node if mapping is None else mapping, key, want_value=True)
        return self.line(value) if value is not None else self.key_line(key, mapping)

    def value_node(self, key: str, mapping: MappingNode | None = None) -> Node | None:
        return _find(self.node if mapping is None else mapping, key, want_value=True)

    def keys(self, mapping: MappingNode | None = None) -> list[tuple[str, int]]:
        """Every key as written, with its line, in file order."""
        target = self.node if mapping is None else mapping
        if target is None:
            return []
        return [(_raw(k), self.line(k)) for k, _v in target.value]


def _raw(node: Node) -> str:
    return str(node.value) if isinstance(node, ScalarNode) else "?"


def _find(mapping: MappingNode | None, key: str, *, want_value: bool) -> Node | None:
    if mapping is None:
        return None
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return value_node if want_value else key_node
    return None


def split_front_matter(path: Path, text: str) -> FrontMatter:
    """Split ``---`` YAML front matter from the Markdown body and load it safely."""
    result = FrontMatter(path=path)
    result.problems.extend(check_text(path, text))
    if result.problems:
        return result
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = 0
    # Blank lines before the opening fence are forgiven: they are invisible in most editors.
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or not _FENCE.fullmatch(lines[start]):
        result.body = "\n".join(lines)
        return result
    end = next((i for i in range(start + 1, len(lines)) if _CLOSE.fullmatch(lines[i])), None)
    if end is None:
        message = _(
            "the front matter that starts on line {line} is never closed; "
            "end it with a line that holds only ---"
        ).format(line=start + 1)
        result.problems.append(Problem(path, start + 1, message))
        return result
    result.present = True
    result.yaml_offset = start + 1
    result.body_offset = end + 1
    result.body = "\n".join(lines[end + 1 :])
    _load_yaml(result, "\n".join(lines[start + 1 : end]))
    return result


def _load_yaml(result: FrontMatter, source: str) -> None:
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        result.problems.append(_yaml_problem(result, source, err))
        return
    except (ValueError, TypeError, OverflowError, RecursionError) as err:
        # Explicit tags such as ``!!timestamp 2025-13-01`` fail inside PyYAML's constructors.
        message = _(
            "the front matter has a value YAML cannot read ({reason}); "
            "write plain values such as title: Möte 1"
        ).format(reason=err)
        result.problems.append(Problem(result.path, max(1, result.yaml_offset), message))
        return
    finally:
        loader.dispose()
    if node is None or data is None:
        result.loaded = True
        return
    if not isinstance(node, MappingNode) or not isinstance(data, dict):
        kind = _("a list") if isinstance(node, SequenceNode) else _("a single value")
        message = _(
            "the front matter is {kind}, not a set of keys; "
            "write one key: value per line, e.g. title: Möte 1"
        ).format(kind=kind)
        result.problems.append(Problem(result.path, result.line(node), message))
        return
    result.node = node
    result.data = data
    result.loaded = True
    result.problems.extend(duplicate_keys(result, node))


def _yaml_problem(result: FrontMatter, source: str, err: yaml.YAMLError) -> Problem:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    context = getattr(err, "context_mark", None)
    # The scanner notices an unclosed quote, a missing colon or an unclosed [ or { only on
    # a later line; the line where that value began is the one to fix. A block structure's
    # context, by contrast, is where the mapping started, and its problem line is the wrong one.
    if context is not None and _began_on_the_wrong_line(err):
        mark = context
    if mark is not None:
        line = result.yaml_offset + mark.line + 1
    else:
        position = getattr(err, "position", 0)
        offset = position if isinstance(position, int) else 0
        line = result.yaml_offset + source.count("\n", 0, max(0, offset)) + 1
    unclosed = _unclosed_quote(source, line - result.yaml_offset - 1)
    if unclosed is not None:
        # A quote left open runs on to the next quote, lines later, and YAML complains
        # there; the line to fix is the one where the quote was opened.
        index, quote = unclosed
        message = _(
            "the value's opening quote {quote} is never closed on its line; "
            "end the value with {quote} or remove the quote"
        ).format(quote=quote)
        return Problem(result.path, result.yaml_offset + index + 1, message)
    reason = getattr(err, "problem", None) or getattr(err, "reason", None) or str(err)
    message = _(
        "the front matter is not valid YAML ({reason}); write one key: value per line "
        "and put quotes around values that contain a colon or #"
    ).format(reason=reason)
    return Problem(result.path, line, message)


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s:#'"][^:#]*:\s+)?(["'])(.*)$""")


def _unclosed_quote(source: str, upto: int) -> tuple[int, str] | None:
    """The first line up to ``upto`` whose quoted value is not closed on that line."""
    for index, text in enumerate(source.split("\n")[: max(0, upto) + 1]):
        match = _QUOTED_VALUE.match(text)
        if match is None:
            continue
        quote, rest = match.groups()
        rest = (
            rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else rest.replace("''", "")
        )
        if quote not in rest:
            return index, quote
    return None


def _began_on_the_wrong_line(err: yaml.YAMLError) -> bool:
    context = str(getattr(err, "context", "") or "")
    problem = str(getattr(err, "problem", "") or "")
    if context.startswith("while parsing a flow"):
        return problem.startswith("did not find expected")  # the [ or { was never closed
    return context.startswith(("while scanning a quoted scalar", "while scanning a simple key"))


def duplicate_keys(front: FrontMatter, mapping: MappingNode) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for key, line in front.keys(mapping):
        if key in seen:
            message = _(
                "the key {key!r} is written twice (first on line {first}); keep only one of them"
            ).format(key=key, first=seen[key])
            problems.append(Problem(front.path, line, message))
        else:
            seen[key] = line
    return problems


def unknown_keys(
    front: FrontMatter, accepted: Iterable[str], mapping: MappingNode | None = None
) -> list[Problem]:
    """One problem per key that is not accepted, with the nearest accepted key as a hint."""
    choices = list(accepted)
    problems = []
    for key, line in front.keys(mapping):
        if key in choices:
            continue
        close = difflib.get_close_matches(key, choices, n=1)
        if close:
            message = _("the key {key!r} is not known; did you mean {close!r}? ({choices})")
            message = message.format(key=key, close=close[0], choices=", ".join(choices))
        else:
            message = _("the key {key!r} is not known; write one of {choices}").format(
                key=key, choices=", ".join(choices)
            )
        problems.append(Problem(front.path, line, message))
    return problems


def as_text(value: object, node: Node | None) -> str | None:
    """A scalar as the user wrote it: ``short: 012`` stays "012" rather than YAML's octal 10."""
    if value is None or isinstance(value, list | dict):
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(node, ScalarNode):
        return str(node.value).strip()
    return str(value).strip()
