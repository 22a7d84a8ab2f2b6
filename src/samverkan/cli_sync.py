"""``samverkan sync``, ``export-bundle`` and ``import-bundle``.

Imported by ``samverkan.cli`` for every command, so only argparse and gettext
are imported at the top; the services come in when a command runs.

A bundle is a samverkan database file holding one meeting and its project:
exporting syncs that meeting into a new file, importing syncs it back out,
one way, so the same merge rules apply on a USB stick as over the network.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from samverkan.domain.errors import UserError
from samverkan.i18n import _

if TYPE_CHECKING:
    from samverkan.services.sync import SyncReport
    from samverkan.store.engine import Database
    from samverkan.store.location import DatabaseLocation

Handler = Callable[[argparse.Namespace], int]


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Handler]:
    sync = sub.add_parser(
        "sync", help=_("exchange projects and meetings with the team database or another file")
    )
    sync.add_argument(
        "projects", nargs="*", metavar="PROJECT", help=_("the projects to sync (default: all)")
    )
    sync.add_argument(
        "--with",
        dest="peer",
        metavar="URL",
        help=_("the other database: a postgresql:// URL or a samverkan file (remembered)"),
    )
    sync.add_argument(
        "--dry-run", action="store_true", help=_("list what would travel, change nothing")
    )
    sync.add_argument(
        "--split",
        action="append",
        default=[],
        metavar="REF",
        help=_("a meeting started on both sides: move this database's run to a new meeting number"),
    )
    export = sub.add_parser(
        "export-bundle", help=_("write one meeting and its project to a bundle file")
    )
    export.add_argument("ref", metavar="REF", help=_("the meeting, as PROJECT/NUMBER"))
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    export.add_argument("--force", action="store_true", help=_("overwrite FILE if it exists"))
    imp = sub.add_parser("import-bundle", help=_("merge a bundle file into this database"))
    imp.add_argument("file", type=Path, metavar="FILE")
    return {"sync": _cmd_sync, "export-bundle": _cmd_export_bundle, "import-bundle": _cmd_import}


# ------------------------------------------------------------------ the other database


def _remembered_peer() -> str:
    from samverkan.cli_output import remembered

    return remembered("sync_with")


def _remember_peer(peer: str) -> None:
    from samverkan.cli_output import remember

    remember(
        "sync_with",
        peer,
        _("samverkan: could not remember the database to sync with ({reason})"),
    )


def peer_location(peer: str) -> DatabaseLocation:
    """The other database: a ``postgresql://`` URL, an ``sqlite:///`` URL or a path."""
    from samverkan.store.location import is_server_url, parse_location

    if peer.startswith("sqlite:///"):
        return Path(peer[len("sqlite:///") :]).expanduser()
    if "://" in peer and not is_server_url(peer):
        raise UserError(
            _("cannot sync with {url}: give a samverkan file or a postgresql:// URL").format(
                url=shown(peer)
            )
        )
    return parse_location(peer)


def open_peer(peer: str) -> Database:
    from samverkan.store.opening import open_database

    return open_database(peer_location(peer))


def shown(peer: str) -> str:
    """The other database as it may be printed: never a password."""
    from samverkan.store.location import redact

    return redact(peer) if "://" in peer else peer


def without_password(peer: str) -> str:
    """The URL to remember in the settings: libpq's ~/.pgpass holds the password."""
    from urllib.parse import urlsplit

    if "://" not in peer:
        return peer
    parts = urlsplit(peer)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = f"{userinfo.split(':', 1)[0]}@{host}"
    query = "&".join(
        item for item in parts.query.split("&") if item and not item.lower().startswith("password=")
    )
    # Put together by hand: urlunsplit drops the "//" of an empty host (a local socket).
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


@contextmanager
def _here(args: argparse.Namespace) -> Iterator[Database]:
    from samverkan.cli import open_cli_services

    services = open_cli_services(args)
    try:
        yield services.database
    finally:
        services.close()


@contextmanager
def _there(peer: str) -> Iterator[Database]:
    database = open_peer(peer)
    try:
        yield database
    finally:
        database.dispose()


def _progress() -> Callable[[str], None] | None:
    # For the tests that kill a sync midway: die at the Nth meeting.
    limit = os.environ.get("SAMVERKAN_SYNC_DIE_AT")
    if not limit:
        return None
    seen = [0]

    def step(_ref: str) -> None:
        seen[0] += 1
        if seen[0] >= int(limit):
            os.kill(os.getpid(), 9)

    return step


# ------------------------------------------------------------------ commands


def _cmd_sync(args: argparse.Namespace) -> int:
    from samverkan.services.sync import Sync

    peer = (args.peer or "").strip() or _remembered_peer()
    if not peer:
        raise UserError(
            _("say which database to sync with: --with postgresql://server/db or --with FILE")
        )
    with _here(args) as here:
        if args.peer and not args.dry_run:
            _remember_peer(without_password(peer))
        there_location = peer_location(peer)
        if isinstance(there_location, Path):
            same = there_location.resolve() == getattr(here, "path", None)
        else:
            same = str(there_location) == str(here.location)
        if same:
            raise UserError(_("that is this very database; sync with another one"))
        if args.dry_run and isinstance(there_location, Path) and not there_location.exists():
            raise UserError(
                _("there is no database at {path} yet; a sync without --dry-run creates it")
                .format(path=peer)
            )  # fmt: skip
        with _there(peer) as there:
            if args.dry_run and args.split:
                raise UserError(_("--split changes this database; run it without --dry-run"))
            report = Sync(here, there, progress=_progress()).run(
                args.projects, dry_run=args.dry_run, split=args.split
            )
    _print_report(report, shown(peer), dry_run=args.dry_run)
    return 0


def _print_report(report: SyncReport, peer: str, *, dry_run: bool) -> None:
    for line in report.splits:
        print(line)
    for meeting in report.meetings:
        lines = []
        if not meeting.sent.empty:
            label = _("would send") if dry_run else _("sent")
            lines.append(f"  {label}: {meeting.sent.describe()}")
        if not meeting.received.empty:
            label = _("would receive") if dry_run else _("received")
            lines.append(f"  {label}: {meeting.received.describe()}")
        if lines:
            print(f"{meeting.ref}  {meeting.title}")
            print("\n".join(lines))
    for line in report.conflicts:
        print(line)
    projects = ", ".join(report.projects) or "-"
    if not report.changed:
        print(
            _("{projects}: already the same here and in {peer}").format(
                projects=projects, peer=peer
            )
        )
    elif dry_run:
        print(_("{projects}: nothing was changed (--dry-run)").format(projects=projects))
    else:
        print(_("{projects}: synced with {peer}").format(projects=projects, peer=peer))


def _cmd_export_bundle(args: argparse.Namespace) -> int:
    from samverkan.cli_output import check_target
    from samverkan.services.sync import Sync
    from samverkan.store.opening import open_database

    path: Path = args.output
    check_target(path, force=args.force, document=False)  # a bundle is a database
    from samverkan import locations
    from samverkan.store.backup import is_database_file

    # The database this command reads, wherever it was named (--db, SAMVERKAN_DB or
    # the settings' database line): a bundle must never be written over it.
    here_location = locations.database_location(args.db)
    if isinstance(here_location, Path) and is_database_file(path, here_location):
        raise UserError(
            _("{path} is the database itself; choose another file with -o FILE").format(path=path)
        )
    with _here(args) as here:
        from samverkan.services.projects import ProjectService

        projects = ProjectService(here)
        meeting_id = projects.resolve_ref(args.ref)
        short = args.ref.strip().rpartition("/")[0]
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        _remove_database(partial)
        try:
            bundle = open_database(partial)
            try:
                report = Sync(here, bundle, receive=False).run([short], meeting_ids=[meeting_id])
            finally:
                bundle.dispose()
            _remove_sidecars(partial)
            os.replace(partial, path)
        except BaseException:
            _remove_database(partial)
            raise
    traffic = next((m for m in report.meetings if m.ref == args.ref.strip()), None)
    what = traffic.sent.describe() if traffic is not None else ""
    print(_("wrote meeting {ref} to {path}: {what}").format(ref=args.ref, path=path, what=what))
    return 0


def _remove_sidecars(path: Path) -> None:
    for suffix in ("-wal", "-shm", ".lock"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _remove_database(path: Path) -> None:
    path.unlink(missing_ok=True)
    _remove_sidecars(path)


def _cmd_import(args: argparse.Namespace) -> int:
    from samverkan.services.sync import Sync
    from samverkan.store.opening import open_database
    from samverkan.store.sync_rows import fetch

    path: Path = args.file
    if not path.is_file():
        raise UserError(_("{path} does not exist").format(path=path))
    with _here(args) as here:
        bundle = open_database(path)
        try:
            # Only what the bundle holds: this database's other projects stay out of it.
            sync = Sync(here, bundle, send=False)
            with bundle.read() as session:
                shorts = [row["short"] for row in fetch(session, "project")]
            if not shorts:
                raise UserError(_("{path} holds no meeting to import").format(path=path))
            report = sync.run(shorts)
        finally:
            bundle.dispose()
    _print_report(report, str(path), dry_run=False)
    return 0
