"""The architecture of DESIGN.md, checked: the core never imports Textual.

Each check runs in a fresh interpreter, so what the test process has already
imported cannot hide a violation.
"""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import samverkan.domain
import samverkan.services
import samverkan.store


def _modules(package: object) -> list[str]:
    path = package.__path__  # type: ignore[attr-defined]
    prefix = package.__name__ + "."  # type: ignore[attr-defined]
    return [m.name for m in pkgutil.walk_packages(path, prefix) if ".migrations." not in m.name]


CORE = _modules(samverkan.domain) + _modules(samverkan.store) + _modules(samverkan.services)


def _imported_after(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def _first_to_import(modules: list[str], forbidden: set[str]) -> dict[str, str]:
    """Import ``modules`` one after another in a fresh interpreter; name the first
    module after which a forbidden package is loaded (the one that brought it in)."""
    code = (
        "import importlib, sys, json\n"
        f"forbidden = {sorted(forbidden)!r}\n"
        "found = {}\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    for bad in forbidden:\n"
        "        if bad in sys.modules and bad not in found:\n"
        "            found[bad] = name\n"
        "print(json.dumps(found))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    import json

    found: dict[str, str] = json.loads(result.stdout)
    return found


def test_core_does_not_import_textual() -> None:
    assert _first_to_import(CORE, {"textual"}) == {}


def test_domain_does_not_import_the_database() -> None:
    domain = [m for m in CORE if m.startswith("samverkan.domain")]
    assert _first_to_import(domain, {"sqlalchemy", "sqlmodel", "sqlite3", "rich"}) == {}


def test_cli_starts_without_textual_or_sqlalchemy() -> None:
    """`samverkan --version` and `check` stay quick: nothing heavy at import,
    including the command modules the parser loads."""
    import samverkan

    root = Path(samverkan.__file__).parent
    modules = ["samverkan.cli", *(f"samverkan.{p.stem}" for p in sorted(root.glob("cli_*.py")))]
    assert _first_to_import(modules, {"textual", "sqlalchemy", "sqlmodel"}) == {}


def test_ui_never_writes_sql() -> None:
    """The UI talks to the services; no SQL or session in its source."""
    import samverkan.ui

    root = Path(samverkan.ui.__file__).parent
    pattern = re.compile(r"\b(sqlalchemy|sqlmodel|sqlite3|Session\(|select\()")
    offenders = [
        str(path) for path in root.rglob("*.py") if pattern.search(path.read_text("utf-8"))
    ]
    assert offenders == []
