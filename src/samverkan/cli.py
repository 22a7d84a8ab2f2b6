"""Command line: parse arguments, build the services, run one command or the TUI.

Kept light on imports: ``samverkan --version`` and ``check`` must not pay for
Textual or SQLAlchemy. Errors a user can act on are one sentence on stderr
with exit status 1; bad usage is exit status 2 (argparse's convention).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Protocol, cast

from samverkan import __version__, locations
from samverkan.domain.errors import UserError
from samverkan.i18n import _, ngettext, resolve_language, set_language
from samverkan.store.location import DatabaseLocation, ServerURL

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from samverkan.services import Services
    from samverkan.store.reading import Reader
    from samverkan.ui.app import SamverkanApp

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
LANGUAGES = ["sv", "en"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(
            EXIT_USAGE,
            _("{prog}: {message}; see '{prog} --help'\n").format(prog=self.prog, message=message),
        )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="samverkan",
        description=_("Run the meetings of a lärprojekt: phases, notes, observer tags, minutes."),
    )
    parser.add_argument("--version", action="version", version=f"samverkan {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help=_("the database file or a postgresql:// URL (or SAMVERKAN_DB)"),
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, help=_("language of the interface (or SAMVERKAN_LANG)")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = sub.add_parser("demo", help=_("build a demo database and open it"))
    demo.add_argument("--reset", action="store_true", help=_("build the demo database anew"))
    demo.add_argument("--no-tui", action="store_true", help=_("only build it and print its path"))

    lst = sub.add_parser("list", help=_("list the projects and their meetings"))
    lst.add_argument("--json", action="store_true", help=_("print JSON"))

    backup = sub.add_parser("backup", help=_("write a consistent copy of the database"))
    backup.add_argument("-o", "--output", type=Path, metavar="FILE")
    backup.add_argument("--force", action="store_true", help=_("overwrite an existing FILE"))
    for module in _command_modules():
        _COMMANDS.update(module.add_commands(sub))
    return parser


# Each further group of commands lives in its own small module with
# ``add_commands(subparsers) -> {name: handler}``; they must import lightly.
_COMMAND_MODULES = (
    "samverkan.cli_project",
    "samverkan.cli_meeting",
    "samverkan.cli_observe",
    "samverkan.cli_minutes",
    "samverkan.cli_analysis",
    "samverkan.cli_sync",
    "samverkan.cli_serve",
)


def _command_modules() -> list[CommandModule]:
    found: list[CommandModule] = []
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        found.append(cast(CommandModule, module))
    return found


class CommandModule(Protocol):
    def add_commands(
        self, sub: argparse._SubParsersAction[_Parser]
    ) -> dict[str, Callable[[argparse.Namespace], int]]: ...


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    set_language(resolve_language(_peek_lang(args_list)))
    args = _tui_arguments(args_list) or build_parser().parse_args(args_list)
    handler = _COMMANDS.get(args.command or "", _cmd_tui)
    try:
        return handler(args)
    except UserError as exc:
        print(_("samverkan: {message}").format(message=exc), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `samverkan list | head`: the reader left; that is not an error.
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:
        # The database's own errors (locked by another program, disk full, damaged)
        # are the user's to act on too: one sentence, not a traceback.
        if not type(exc).__module__.startswith(("sqlalchemy", "sqlite3", "psycopg")):
            raise
        from samverkan.domain.errors import problem_sentence

        print(_("samverkan: {message}").format(message=problem_sentence(exc)), file=sys.stderr)
        return EXIT_INPUT


def _tui_arguments(argv: list[str]) -> argparse.Namespace | None:
    """``samverkan [--db PATH|URL] [--lang sv|en]``, the app's start, without building
    every command's parser (~13 ms of the start-up budget); anything else: None, and
    the full parser reads it (and explains any mistake)."""
    values: dict[str, str | None] = {"db": None, "lang": None}
    rest = iter(argv)
    for arg in rest:
        name, equals, value = arg.partition("=")
        if name not in ("--db", "--lang"):
            return None
        if not equals:
            value = next(rest, "")
        if not value or value.startswith("-") or (name == "--lang" and value not in LANGUAGES):
            return None
        values[name[2:]] = value
    return argparse.Namespace(command=None, **values)


def _peek_lang(argv: list[str]) -> str | None:
    """The interface language must be known before the parser's help texts are
    built. Only global options count: ``report X --lang en`` is the report's."""
    for index, arg in enumerate(argv):
        if not arg.startswith("-") and (index == 0 or argv[index - 1] not in ("--db", "--lang")):
            return None  # the subcommand: what follows is its own
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
    return None


# Only these may create a database file where there is none; every other command
# reads an existing one, and a mistyped --db must not leave an empty file behind.
_CREATES_DATABASE = frozenset({"", "import", "demo", "sync", "import-bundle"})


def open_cli_services(args: argparse.Namespace, path: DatabaseLocation | None = None) -> Services:
    """The services on the database the user chose (``--db``, ``SAMVERKAN_DB``, the
    settings, the default file)."""
    from samverkan.services import open_services

    return open_services(_chosen_database(args, path))


def open_cli_reader(args: argparse.Namespace) -> AbstractContextManager[Reader]:
    """A read-only :class:`Reader` on the user's database, for commands that only read:
    a file at the current schema is read without SQLAlchemy's ORM."""
    from samverkan.store.reading import open_reader

    return open_reader(_chosen_database(args))


def _chosen_database(
    args: argparse.Namespace, path: DatabaseLocation | None = None
) -> DatabaseLocation:
    chosen = path or locations.database_location(args.db)
    if isinstance(chosen, ServerURL):
        return chosen
    creates = (args.command or "") in _CREATES_DATABASE
    if not chosen.exists() and not creates:
        raise UserError(
            _(
                "there is no database at {path}; import a project first "
                "(samverkan import FOLDER) or choose another with --db PATH"
            ).format(path=chosen)
        )
    if not creates and chosen.is_file() and chosen.stat().st_size == 0:
        # An empty file is not a database yet; a reading command must not make it one.
        raise UserError(
            _(
                "{path} is an empty file, not a samverkan database; import a project into "
                "it first (samverkan import FOLDER) or choose another with --db PATH"
            ).format(path=chosen)
        )
    return chosen


# ------------------------------------------------------------------ commands


def _cmd_list(args: argparse.Namespace) -> int:
    from samverkan.domain.labels import status_label
    from samverkan.services.listing import list_projects
    from samverkan.store.inspection import check_database
    from samverkan.store.migrations import HEAD

    path = locations.database_location(args.db)
    if isinstance(path, Path) and path.exists() and check_database(path) == HEAD:
        projects = list_projects(path)  # no ORM needed: a quick command stays quick
    else:
        services = open_cli_services(args)  # refuses a missing file; migrates an old one
        try:
            projects = services.projects.list_projects()
        finally:
            services.close()
    if args.json:
        data = [
            {
                "short": p.short,
                "name": p.name,
                "meetings": [
                    {
                        "ref": m.ref,
                        "number": m.number,
                        "title": m.title,
                        "date": m.date.isoformat() if m.date else None,
                        "host": m.host_short,
                        "status": str(m.status),
                        "notes": m.notes,
                    }
                    for m in p.meetings
                ],
            }
            for p in projects
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not projects:
        print(
            _("no projects yet; import one with 'samverkan import FOLDER' or try 'samverkan demo'")
        )
    for project in projects:
        print(f"{project.short}  {project.name}")
        for m in project.meetings:
            when = m.date.isoformat() if m.date else "----------"
            print(
                f"  {m.ref:<14} {when}  {m.host_short:<5} {status_label(m.status):<10} "
                + _("{count} notes").format(count=m.notes)
                + f"  {m.title}"
            )
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from datetime import datetime

    services = open_cli_services(args)
    try:
        target = args.output or (
            locations.backups_dir() / f"samverkan-{datetime.now():%Y%m%d-%H%M%S}.db"
        )
        try:
            written = services.backup(target, force=args.force)
        except OSError as exc:
            raise UserError(
                _(
                    "cannot write the backup to {path} ({reason}); choose another with -o FILE"
                ).format(path=target, reason=exc.strerror or exc)
            ) from exc
    finally:
        services.close()
    print(_("backup written to {path}").format(path=written))
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from samverkan.services.demo import build_demo

    path = locations.demo_db_path()
    if args.reset or not path.exists():
        build_demo(path)
    if args.no_tui:
        print(path)
        return EXIT_OK
    return _run_tui(args, path)


def _cmd_tui(args: argparse.Namespace) -> int:
    return _run_tui(args, None)


def _run_tui(args: argparse.Namespace, path: Path | None) -> int:
    from samverkan.store.inspection import check_database
    from samverkan.store.migrations import HEAD

    where = path or locations.database_location(args.db)
    if isinstance(where, ServerURL):
        from samverkan.ui.app import SamverkanApp

        app = SamverkanApp(open_cli_services(args, where))
        run_app(app)
        return EXIT_OK
    path = where
    # A bad file is refused here, as one sentence, before the screen is taken over.
    if check_database(path) == HEAD:
        from samverkan.services.listing import list_projects_ahead

        listing = list_projects_ahead(path)  # read while Textual is imported and starts

        def opener() -> Services:
            from samverkan.services import open_services

            return open_services(path)

        from samverkan.ui.app import SamverkanApp

        app = SamverkanApp(opener, path=path, listing=listing)
    else:
        from samverkan.ui.app import SamverkanApp

        app = SamverkanApp(open_cli_services(args, path))  # new or old file: migrate first
    return run_app(app)


def run_app(app: SamverkanApp) -> int:
    """Run the app, then finish its writes (see finish_app).

    What the imports built (modules, classes, Textual's tables) lives as long as the
    process: frozen out of the collector's reach, a full collection no longer walks it
    (~20 ms in the middle of the first frame, and again now and then while typing).
    """
    gc.freeze()
    try:
        app.run()
    finally:
        status = finish_app(app)
    return status


def finish_app(app: SamverkanApp) -> int:
    """After the screen is gone: write what is still queued, then close the database.

    Notes that could not be written are in the recovery file (offered at the next
    start), or, if even that could not be written, printed here: never lost, and
    never an exit status of 0.
    """
    kept, unsaved = app.finish_writes()
    app.close_services()
    if unsaved:
        print(
            ngettext(
                "samverkan: {n} note could be written neither to the database nor to a "
                "recovery file; here it is, copy it:",
                "samverkan: {n} notes could be written neither to the database nor to a "
                "recovery file; here they are, copy them:",
                len(unsaved),
            ).format(n=len(unsaved)),
            file=sys.stderr,
        )
        for text in unsaved:
            print(text, file=sys.stderr)
        return EXIT_INPUT
    if kept:
        print(
            ngettext(
                "samverkan: {n} note could not be written to the database; it is kept in "
                "{path} and samverkan offers to import it when it next starts",
                "samverkan: {n} notes could not be written to the database; they are kept "
                "in {path} and samverkan offers to import them when it next starts",
                len(kept),
            ).format(n=len(kept), path=app.recovery_file()),
            file=sys.stderr,
        )
        return EXIT_INPUT
    return EXIT_OK


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "list": _cmd_list,
    "backup": _cmd_backup,
    "demo": _cmd_demo,
}
