"""A translated string inside an f-string is invisible to the extractor on Python 3.11:
it would stay English in the Swedish interface without the catalogue test noticing."""

from __future__ import annotations

import ast
from pathlib import Path

import samverkan

KEYWORDS = {"_", "ngettext", "N_", "pgettext"}


def test_no_translation_call_inside_an_f_string() -> None:
    root = Path(samverkan.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in KEYWORDS
                ):
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == [], "move the _() call out of the f-string: " + ", ".join(found)
