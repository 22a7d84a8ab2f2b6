"""The command line as a test drives it: ``main`` with its exit code, stdout and stderr."""

from __future__ import annotations

import pytest

from samverkan.cli import main
from samverkan.store.location import DatabaseLocation, ServerURL


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``samverkan ARGS``: exit code (argparse's ``--version`` and usage errors exit
    through SystemExit), what it printed and what it said on stderr."""
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def as_argument(location: DatabaseLocation) -> str:
    """A database location as typed after ``--db``."""
    return location.url if isinstance(location, ServerURL) else str(location)
