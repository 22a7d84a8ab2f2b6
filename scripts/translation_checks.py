#!/usr/bin/env python3
"""What Babel's pybabel does not check, run by ``scripts/update-translations``.

    scripts/translation_checks.py                  # list what sv lacks; warn about calls
    scripts/translation_checks.py --english-empty  # en.po: msgids only (gettext falls back)
    scripts/translation_checks.py --compile        # the .mo files
    scripts/translation_checks.py --check          # exit 1 if a .mo is stale (or --stale)

pybabel extracts, merges and compiles. This adds: the list of Swedish entries still
to translate (empty or fuzzy), the Plural-Forms both catalogues must have, an English
catalogue whose msgstrs stay empty (the msgids are English), the .mo files compiled
without pybabel's %-format check (it takes "95 % interval" for a placeholder), a check that the
committed .mo files are compiled from the .po files, and warnings (stderr, exit
status unchanged) about calls that cannot be extracted or translated well:
f-strings, variables or concatenations inside ``_()``, translated fragments glued to
other words, counts formatted with ``_()`` instead of ``ngettext()``, and ``_()``
evaluated at import time (class-level ``BINDINGS``).
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "src" / "samverkan"
I18N_DIR = PACKAGE_DIR / "i18n"
LOCALE_DIR = I18N_DIR / "locale"
DOMAIN = "samverkan"
LANGUAGES = ("sv", "en")
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
# The markers samverkan.i18n defines (the same as pybabel's -k options).
KEYWORDS = ("_", "ngettext", "N_", "pgettext", "npgettext")
_LITERAL_ARGS = {
    "_": (0,),
    "N_": (0,),
    "ngettext": (0, 1),
    "pgettext": (0, 1),
    "npgettext": (0, 1, 2),
}


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def load(lang: str) -> Catalog:
    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN, abort_invalid=True)


def english_empty() -> None:
    """en.po keeps every msgid with an empty msgstr: gettext then shows the msgid."""
    catalog = load("en")
    for message in catalog:
        if message.id:
            message.string = ("", "") if message.pluralizable else ""
            message.flags.discard("fuzzy")
    catalog.obsolete.clear()
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, include_lineno=False)
    if po_path("en").read_bytes() != buf.getvalue():
        po_path("en").write_bytes(buf.getvalue())


def compile_mo() -> None:
    """The .mo files, as ``pybabel compile`` writes them but without its %-format check:
    Babel flags "95 % interval" as a %-placeholder, while samverkan formats with
    ``str.format`` only (placeholders are checked by tests/test_translations.py)."""
    for lang in LANGUAGES:
        buf = io.BytesIO()
        write_mo(buf, load(lang), use_fuzzy=False)
        if not mo_path(lang).exists() or mo_path(lang).read_bytes() != buf.getvalue():
            mo_path(lang).write_bytes(buf.getvalue())


def stale_mo(lang: str) -> bool:
    """Whether the committed .mo differs from what the .po compiles to."""
    buf = io.BytesIO()
    write_mo(buf, load(lang), use_fuzzy=False)
    return not mo_path(lang).exists() or mo_path(lang).read_bytes() != buf.getvalue()


# --------------------------------------------------------------------------- lint

_MARKUP = re.compile(r"\[[^\]]*\]")
_WORD = re.compile(r"[^\W\d_]{2,}")
_COUNT = re.compile(r"\{(count|n)\} (?!more\b)[^\W\d_]{2,}")  # "{count} notes", not "Phase {n}/"


class _CallLinter(ast.NodeVisitor):
    """Finds marked calls that cannot be extracted or translated well."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.depth = 0  # > 0 inside a function body or lambda: evaluated at call time
        self.warnings: list[str] = []
        self.import_time: list[int] = []

    def warn(self, node: ast.AST, text: str) -> None:
        self.warnings.append(f"{self.path}:{getattr(node, 'lineno', '?')}: {text}")

    # Scopes: decorators and defaults run at definition time, bodies at call time.
    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for item in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
            if item is not None:
                self.visit(item)
        self.depth += 1
        for stmt in node.body:
            self.visit(stmt)
        self.depth -= 1

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for item in [*node.args.defaults, *node.args.kw_defaults]:
            if item is not None:
                self.visit(item)
        self.depth += 1
        self.visit(node.body)
        self.depth -= 1

    @staticmethod
    def _keyword(node: ast.AST) -> str | None:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in KEYWORDS
        ):
            return node.func.id
        return None

    def visit_Call(self, node: ast.Call) -> None:
        name = self._keyword(node)
        if name is not None:
            for pos in _LITERAL_ARGS[name]:
                if pos >= len(node.args):
                    self.warn(node, f"{name}() without a literal message: not extracted")
                    continue
                arg = node.args[pos]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    if not arg.value.strip():
                        self.warn(node, f"{name}() of an empty or blank string")
                    elif name in ("_", "pgettext") and _COUNT.search(arg.value):
                        self.warn(
                            node,
                            f"_({arg.value!r}) formats a count: use ngettext() so that "
                            "1 and 2 read right in every language",
                        )
                    continue
                if isinstance(arg, ast.JoinedStr):
                    kind = "an f-string (never matches the catalogue; use a {placeholder} "
                    kind += "and .format() after _())"
                elif isinstance(arg, ast.BinOp):
                    kind = "an expression built by concatenation/formatting (not extracted)"
                elif isinstance(arg, ast.Call):
                    kind = "the result of a call (format after translating, not before)"
                else:
                    kind = (
                        f"a variable ({ast.unparse(arg)}): not extracted; make sure every "
                        "possible value is marked with N_() where it is defined"
                    )
                self.warn(node, f"{name}() of {kind}")
            if name != "N_" and self.depth == 0:
                self.import_time.append(node.lineno)
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.Add) and (
            self._keyword(node.left) not in (None, "N_")
            or self._keyword(node.right) not in (None, "N_")
        ):
            other = node.right if self._keyword(node.left) else node.left
            if self._has_words(other):
                self.warn(
                    node,
                    "translated text glued to other text with + "
                    "(word order cannot change; use one msgid with {placeholders})",
                )
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        has_call = any(
            isinstance(v, ast.FormattedValue) and self._keyword(v.value) not in (None, "N_")
            for v in node.values
        )
        literal = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
        if has_call and _WORD.search(_MARKUP.sub("", literal)):
            self.warn(
                node,
                "f-string mixes translated and untranslated words "
                "(use one msgid with {placeholders})",
            )
        self.generic_visit(node)

    @staticmethod
    def _has_words(node: ast.AST) -> bool:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return bool(_WORD.search(_MARKUP.sub("", node.value)))
        if isinstance(node, ast.JoinedStr):
            return any(_CallLinter._has_words(v) for v in node.values)
        if isinstance(node, ast.BinOp):
            return _CallLinter._has_words(node.left) or _CallLinter._has_words(node.right)
        return False


def lint(package_dir: Path = PACKAGE_DIR) -> list[str]:
    warnings: list[str] = []
    for path in sorted(package_dir.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
        if path.parent == I18N_DIR and path.name == "__init__.py":
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        except SyntaxError as exc:
            warnings.append(f"{rel}:{exc.lineno}: cannot parse ({exc.msg}); strings may be missed")
            continue
        linter = _CallLinter(rel)
        linter.visit(tree)
        warnings.extend(linter.warnings)
        if linter.import_time:
            lines = sorted(set(linter.import_time))
            shown = ", ".join(map(str, lines[:8])) + (", …" if len(lines) > 8 else "")
            warnings.append(
                f"{rel}:{lines[0]}: {len(linter.import_time)} translating calls run at import "
                f"time (lines {shown}), e.g. in BINDINGS: they take the language set before the "
                "module is first imported and ignore use_language()"
            )
    return warnings


def _untranslated(catalog: Catalog) -> tuple[list[str], list[str]]:
    empty, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        if message.context:
            msgid = f"[{message.context}] {msgid}"
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if not all(strings):
            empty.append(msgid)
        elif message.fuzzy:
            fuzzy.append(msgid)
    return empty, fuzzy


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--english-empty", action="store_true", help="empty en.po's msgstrs")
    parser.add_argument("--compile", action="store_true", help="compile the .mo files")
    parser.add_argument("--check", action="store_true", help="exit 1 if a .mo is stale")
    parser.add_argument("--stale", action="store_true", help="(from the shell) a file is stale")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.english_empty:
        english_empty()
        return 0
    if args.compile:
        compile_mo()
        return 0
    status = 1 if args.stale else 0
    for lang in LANGUAGES:
        catalog = load(lang)
        if catalog.plural_forms != PLURAL_FORMS:
            print(f"{po_path(lang)}: Plural-Forms must be {PLURAL_FORMS!r}", file=sys.stderr)
            status = 1
        if stale_mo(lang):
            print(f"out of date: {mo_path(lang).relative_to(ROOT)}", file=sys.stderr)
            status = 1
    empty, fuzzy = _untranslated(load("sv"))
    print(f"sv: {len(empty)} untranslated, {len(fuzzy)} fuzzy")
    for msgid in empty:
        print(f"  untranslated: {msgid!r}")
    for msgid in fuzzy:
        print(f"  fuzzy:        {msgid!r}")
    for line in lint():
        print(f"warning: {line}", file=sys.stderr)
    if status and args.check:
        print("run scripts/update-translations", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
