"""``samverkan export``: a meeting's minutes as Markdown, to stdout or a file.

Imported whenever the parser is built, so it imports only argparse-level
things at the top; the database, the renderer and the file writer are
imported inside the handler.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from samverkan.domain.errors import UserError
from samverkan.i18n import _

Handler = Callable[[argparse.Namespace], int]


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Handler]:
    export = sub.add_parser(
        "export",
        help=_("write a meeting's minutes as Markdown"),
        description=_(
            "Write the minutes of one meeting as Markdown, to standard output or to a file. "
            "A meeting that is not closed gives a draft, marked as such."
        ),
    )
    export.add_argument(
        "ref", metavar="REF", help=_("the meeting, as PROJECT/NUMBER, e.g. grupp-1/2")
    )
    export.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help=_("write to FILE, not to standard output")
    )
    export.add_argument(
        "--org",
        metavar="SHORT",
        help=_(
            "one organisation's version: its remarks, every decision, its action items "
            "and the shared parts"
        ),
    )
    # Its own dest: the global --lang sets the interface, this one the minutes.
    export.add_argument(
        "--lang",
        dest="minutes_lang",
        choices=["sv", "en"],
        help=_("language of the minutes (default: the project's)"),
    )
    export.add_argument("--force", action="store_true", help=_("overwrite FILE if it exists"))
    return {"export": _cmd_export}


def _cmd_export(args: argparse.Namespace) -> int:
    from samverkan.cli import open_cli_services
    from samverkan.domain.minutes import render_minutes
    from samverkan.domain.minutes_data import find_organisation
    from samverkan.i18n import use_language
    from samverkan.services.minutes import MinutesService

    output: Path | None = args.output
    if output is not None:
        _check_target(output, force=args.force)
    services = open_cli_services(args)
    try:
        data = MinutesService(services.database).load(services.projects.resolve_ref(args.ref))
    finally:
        services.close()
    if args.org:
        find_organisation(data.meeting, args.org)  # fails in the interface's language
    with use_language(args.minutes_lang or data.meeting.project.lang):
        text = render_minutes(data, org=args.org)
    if output is None:
        _to_stdout(text)
        return 0
    _to_file(output, text, force=args.force)
    print(_("minutes written to {path}").format(path=output))
    return 0


def _check_target(path: Path, *, force: bool) -> None:
    """Refuse early, before any work, what the write would refuse anyway."""
    if path.is_dir():
        raise UserError(
            _("{path} is a folder; give a file name, e.g. {path}/minutes.md").format(path=path)
        )
    if path.exists() and not force:
        raise UserError(_exists_message(path))


def _exists_message(path: Path) -> str:
    return _("{path} already exists; add --force to overwrite it or choose another name").format(
        path=path
    )


def _to_file(path: Path, text: str, *, force: bool) -> None:
    from samverkan.fileio import write_atomically

    try:
        write_atomically(path, text, overwrite=force)
    except FileExistsError as exc:
        raise UserError(_exists_message(path)) from exc
    except OSError as exc:
        raise UserError(
            _(
                "cannot write the minutes to {path} ({reason}); choose another file with -o FILE"
            ).format(path=path, reason=exc.strerror or exc)
        ) from exc


def _to_stdout(text: str) -> None:
    # Bytes, not text: the minutes are UTF-8 whatever the console's encoding,
    # so a redirect gives the same file as -o.
    data = text.encode("utf-8")
    try:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(text)
        else:
            sys.stdout.flush()
            buffer.write(data)
            buffer.flush()
    except BrokenPipeError:
        # `samverkan export ... | head`: the reader left; that is not an error.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
