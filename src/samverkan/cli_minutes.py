"""``samverkan export``: a meeting's minutes as Markdown, to stdout or a file.

Imported whenever the parser is built, so it imports only argparse-level
things at the top; the database, the renderer and the file writer are
imported inside the handler.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from samverkan.cli_output import check_target, to_file, to_stdout
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
    export.add_argument(
        "--observation",
        choices=["all", "group", "none"],
        help=_(
            "what the minutes show of the observation (default: the project's "
            "minutes_observation); the researcher's own copy can always ask for all"
        ),
    )
    export.add_argument(
        "--offsets",
        action="store_true",
        help=_("mark notes with the time since the meeting started, not the clock time"),
    )
    export.add_argument("--force", action="store_true", help=_("overwrite FILE if it exists"))
    return {"export": _cmd_export}


def _cmd_export(args: argparse.Namespace) -> int:
    from samverkan.cli import open_cli_reader
    from samverkan.domain.minutes import render_minutes
    from samverkan.domain.minutes_data import find_organisation
    from samverkan.domain.model import MinutesObservation
    from samverkan.i18n import use_language
    from samverkan.services.meeting_reads import resolve_ref
    from samverkan.services.minutes import read_minutes

    output: Path | None = args.output
    if output is not None:
        check_target(output, force=args.force)
    with open_cli_reader(args) as reader:  # a current file: no ORM imported
        data = read_minutes(reader, resolve_ref(reader, args.ref))
    if args.org:
        find_organisation(data.meeting, args.org)  # fails in the interface's language
    with use_language(args.minutes_lang or data.meeting.project.lang):
        text = render_minutes(
            data,
            org=args.org,
            offsets=args.offsets,
            observation=MinutesObservation(args.observation) if args.observation else None,
        )
    if output is None:
        to_stdout(text)
        return 0
    to_file(output, text, force=args.force)
    print(_("minutes written to {path}").format(path=output))
    return 0
