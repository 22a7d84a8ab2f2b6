"""``samverkan observe`` and ``samverkan observations export|import``.

Imported by ``samverkan.cli`` for every command, so only argparse and
gettext are imported here; the services and Textual come in when a command
actually runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from samverkan.domain.errors import UserError
from samverkan.i18n import _, ngettext

if TYPE_CHECKING:
    from samverkan.services import Services
    from samverkan.services.observations import ImportSummary, ObservationService

Handler = Callable[[argparse.Namespace], int]


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Handler]:
    observe = sub.add_parser("observe", help=_("observe a meeting and tag remarks live"))
    observe.add_argument("ref", metavar="REF", help=_("the meeting, as PROJECT/NUMBER"))
    observe.add_argument(
        "--as", dest="observer", metavar="NAME", help=_("your name as observer (remembered)")
    )
    observations = sub.add_parser(
        "observations", help=_("export or import an observer's observations and tags")
    )
    actions = observations.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(observations)
    )
    export = actions.add_parser("export", help=_("write an observer's work on a meeting to a file"))
    export.add_argument("ref", metavar="REF", help=_("the meeting, as PROJECT/NUMBER"))
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    export.add_argument(
        "--as",
        dest="observer",
        metavar="NAME",
        help=_("whose work (default: your remembered name; without one, every observer's)"),
    )
    export.add_argument("--force", action="store_true", help=_("overwrite FILE if it exists"))
    imp = actions.add_parser("import", help=_("merge an observation file into this database"))
    imp.add_argument("file", type=Path, metavar="FILE")
    return {"observe": _cmd_observe, "observations": _cmd_observations}


def _services(args: argparse.Namespace) -> Services:
    from samverkan.cli import open_cli_services

    return open_cli_services(args)


def _observation_service(services: Services) -> ObservationService:
    from samverkan.services.observations import ObservationService

    return ObservationService(services.database, services.clock)


def _remembered_name() -> str:
    from samverkan.cli_output import remembered

    return remembered("observer")


def remember_name(name: str) -> None:
    """Keep the observer's name in the config, so it is asked only once."""
    from samverkan.cli_output import remember

    remember("observer", name, _("samverkan: could not remember your name ({reason})"))


def _cmd_observe(args: argparse.Namespace) -> int:
    from samverkan.ui.observe.app import run_observer

    name = " ".join((args.observer or "").split())
    if args.observer is not None and not name:
        raise UserError(_("--as needs a name, e.g. --as 'Cecilia Norberg'"))
    services = _services(args)
    try:
        meeting_id = services.projects.resolve_ref(args.ref)
        if name:
            remember_name(name)
        run_observer(services, meeting_id, name or None)
    finally:
        services.close()
    return 0


def _cmd_observations(args: argparse.Namespace) -> int:
    return _export(args) if args.action == "export" else _import(args)


def _export(args: argparse.Namespace) -> int:
    from samverkan.domain.observation_file import dumps

    observer = " ".join((args.observer or "").split()) or _remembered_name() or None
    path: Path = args.output
    from samverkan.cli_output import check_target, to_file

    check_target(path, force=args.force)
    services = _services(args)
    try:
        meeting_id = services.projects.resolve_ref(args.ref)
        data = _observation_service(services).export_file(meeting_id, observer)
    finally:
        services.close()
    if observer and not data.notes and not data.tags:
        raise UserError(
            _("{name} has no observations or tags in meeting {ref}; check the name with --as NAME")
            .format(name=observer, ref=args.ref)
        )  # fmt: skip
    to_file(path, dumps(data), force=bool(args.force))
    print(
        ngettext(
            "wrote {notes} observation and {tags} tags by {who} of meeting {ref} to {path}",
            "wrote {notes} observations and {tags} tags by {who} of meeting {ref} to {path}",
            len(data.notes),
        ).format(
            notes=len(data.notes),
            tags=len(data.tags),
            who=observer or _("every observer"),
            ref=data.meeting.ref,
            path=path,
        )
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    from samverkan.domain.observation_file import MAX_FILE_BYTES, loads, too_large

    path: Path = args.file
    try:
        if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:
            raise too_large()
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(_("{path} does not exist").format(path=path)) from None
    except UnicodeDecodeError:
        raise UserError(
            _("{path} is not a samverkan observation file (not UTF-8 text)").format(path=path)
        ) from None
    except OSError as exc:
        raise UserError(
            _("cannot read {path} ({reason})").format(path=path, reason=exc.strerror or exc)
        ) from exc
    data = loads(text)
    services = _services(args)
    try:
        summary = _observation_service(services).import_observations(data)
    finally:
        services.close()
    print(describe(summary))
    return 0


def describe(summary: ImportSummary) -> str:
    notes = ngettext(
        "meeting {ref}: {added} observation added, {updated} updated, {same} unchanged",
        "meeting {ref}: {added} observations added, {updated} updated, {same} unchanged",
        summary.notes_added,
    ).format(
        ref=summary.meeting,
        added=summary.notes_added,
        updated=summary.notes_updated,
        same=summary.notes_unchanged,
    )
    tags = ngettext(
        "tags: {added} added, {updated} updated, {same} unchanged",
        "tags: {added} added, {updated} updated, {same} unchanged",
        summary.tags_added,
    ).format(added=summary.tags_added, updated=summary.tags_updated, same=summary.tags_unchanged)
    lines = [notes, tags]
    if summary.tags_skipped:
        lines.append(
            ngettext(
                "{count} tag skipped: its note is not in this database",
                "{count} tags skipped: their notes are not in this database",
                summary.tags_skipped,
            ).format(count=summary.tags_skipped)
        )
    return "\n".join(lines)
