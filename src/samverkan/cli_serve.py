"""``samverkan serve REF`` and ``samverkan invitations add|list|revoke``.

Imported by ``samverkan.cli`` for every command, so only argparse and gettext
are imported here; aiohttp, textual-serve and the services come in when a
command actually runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from samverkan.domain.errors import UserError
from samverkan.i18n import _, ngettext

if TYPE_CHECKING:
    from samverkan.services import Services
    from samverkan.services.invitations import InvitationService

Handler = Callable[[argparse.Namespace], int]

DEFAULT_PORT = 8765
DEFAULT_MAX_OBSERVERS = 8


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Handler]:
    serve = sub.add_parser("serve", help=_("let invited observers follow a meeting in a browser"))
    serve.add_argument("ref", metavar="REF", help=_("the meeting, as PROJECT/NUMBER"))
    serve.add_argument(
        "--as-observers",
        nargs="+",
        default=[],
        metavar="NAME",
        help=_("invite these observers now (one link each)"),
    )
    serve.add_argument(
        "--lan",
        action="store_true",
        help=_("serve on this machine's network address, not only to this machine"),
    )
    serve.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        metavar="N",
        help=_("the port (default {port})").format(port=DEFAULT_PORT),
    )
    serve.add_argument("--cert", type=Path, metavar="FILE", help=_("TLS certificate (PEM)"))
    serve.add_argument("--key", type=Path, metavar="FILE", help=_("its private key (PEM)"))
    serve.add_argument(
        "--max-observers",
        type=int,
        default=DEFAULT_MAX_OBSERVERS,
        metavar="N",
        help=_("at most N browsers at once (default {count})").format(count=DEFAULT_MAX_OBSERVERS),
    )

    invitations = sub.add_parser(
        "invitations", help=_("invite, list or revoke the browser observers of a meeting")
    )
    actions = invitations.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(invitations)
    )
    add = actions.add_parser("add", help=_("invite an observer: prints their link"))
    add.add_argument("ref", metavar="REF", help=_("the meeting, as PROJECT/NUMBER"))
    add.add_argument("names", nargs="+", metavar="NAME")
    add.add_argument(
        "--url",
        metavar="BASE",
        help=_("the server's address (default: that of the running 'samverkan serve')"),
    )
    lst = actions.add_parser("list", help=_("the meeting's invitations and who is connected"))
    lst.add_argument("ref", metavar="REF", help=_("the meeting, as PROJECT/NUMBER"))
    lst.add_argument("--all", action="store_true", help=_("revoked invitations too"))
    lst.add_argument("--json", action="store_true", help=_("print JSON"))
    revoke = actions.add_parser("revoke", help=_("end an observer's invitation at once"))
    revoke.add_argument("ref", metavar="REF", help=_("the meeting, as PROJECT/NUMBER"))
    revoke.add_argument("names", nargs="+", metavar="NAME")
    return {"serve": _cmd_serve, "invitations": _cmd_invitations}


def _services(args: argparse.Namespace) -> Services:
    from samverkan.cli import open_cli_services

    return open_cli_services(args)


def _invitation_service(services: Services) -> InvitationService:
    from samverkan.services.invitations import InvitationService

    return InvitationService(services.database, services.clock)


def _cmd_serve(args: argparse.Namespace) -> int:
    import asyncio

    from samverkan.serve.run import (
        LOOPBACK_NAMES,
        Binding,
        join_url,
        lan_address,
        print_link,
        serve,
        stdout_announce,
        tls_context,
    )
    from samverkan.serve.server import ObserverServer

    if not 0 <= args.port <= 65535:
        raise UserError(_("--port must be a number from 0 (any free port) to 65535"))
    if args.max_observers < 1:
        raise UserError(_("--max-observers must be at least 1"))
    context = tls_context(args.cert, args.key)
    if args.lan:
        address = lan_address()
        binding = Binding(address, args.port, (address,), context)
    else:
        binding = Binding("127.0.0.1", args.port, LOOPBACK_NAMES, context)
    services = _services(args)
    try:
        meeting_id = services.projects.resolve_ref(args.ref)
        meeting = services.projects.meeting(meeting_id).summary
        invitations = _invitation_service(services)
        made = [invitations.invite(meeting_id, name) for name in args.as_observers]
        server = ObserverServer(
            db_path=services.location,
            meeting_id=meeting_id,
            title=f"{meeting.ref} {meeting.title}",
            invitations=invitations,
            max_connections=args.max_observers,
            announce=stdout_announce,
        )

        def ready(base: str) -> None:
            out = sys.stdout
            print(_("Serving meeting {ref} at {url}").format(ref=meeting.ref, url=base), file=out)
            if args.lan and context is None:
                print(
                    _(
                        "Warning: without --cert and --key the connection is not encrypted; "
                        "serve only on a network you trust."
                    ),
                    file=sys.stderr,
                )
            for new in made:
                print_link(new.invitation.observer, join_url(base, new.token), out)
            if not made:
                print(
                    _("Invite observers with: samverkan invitations add {ref} NAME").format(
                        ref=meeting.ref
                    ),
                    file=out,
                )
            print(_("Press Ctrl+C to stop serving."), file=out, flush=True)

        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(server, binding, ready))
    finally:
        services.close()
    return 0


def _cmd_invitations(args: argparse.Namespace) -> int:
    services = _services(args)
    try:
        meeting_id = services.projects.resolve_ref(args.ref)
        invitations = _invitation_service(services)
        if args.action == "add":
            return _add(args, meeting_id, invitations)
        if args.action == "revoke":
            for name in args.names:
                invitations.revoke(meeting_id, name)
                print(_("revoked the invitation of {name}").format(name=" ".join(name.split())))
            return 0
        return _list(args, meeting_id, invitations, services)
    finally:
        services.close()


def _add(args: argparse.Namespace, meeting_id: str, invitations: InvitationService) -> int:
    from samverkan.serve.run import join_url, print_link, running_url

    base = (args.url or "").rstrip("/") or running_url(meeting_id)
    for name in args.names:
        new = invitations.invite(meeting_id, name)
        if base:
            print_link(new.invitation.observer, join_url(base, new.token), sys.stdout)
        else:
            print(f"{new.invitation.observer}: /join/{new.token}")
    if not base:
        print(
            _(
                "No server is running for this meeting: start 'samverkan serve {ref}' "
                "and put its address before each link (or give --url BASE)."
            ).format(ref=args.ref),
            file=sys.stderr,
        )
    return 0


def _list(
    args: argparse.Namespace, meeting_id: str, invitations: InvitationService, services: Services
) -> int:
    rows = invitations.invitations(meeting_id, revoked=args.all)
    now = services.clock()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "observer": r.observer,
                        "invited": r.created_at.isoformat(),
                        "used": r.used_at.isoformat() if r.used_at else None,
                        "revoked": r.revoked_at.isoformat() if r.revoked_at else None,
                        "connected": r.connected(now),
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not rows:
        print(_("No open invitations to meeting {ref}.").format(ref=args.ref))
        return 0
    connected = sum(r.connected(now) for r in rows)
    for row in rows:
        if row.revoked_at is not None:
            state = _("revoked")
        elif row.connected(now):
            state = _("connected")
        elif row.used_at is not None:
            state = _("joined earlier")
        else:
            state = _("not yet used")
        invited = row.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        when = _("invited {when}").format(when=invited)
        print(f"{row.observer}\t{state}\t{when}")
    print(
        ngettext(
            "{count} observer connected now", "{count} observers connected now", connected
        ).format(count=connected)
    )
    return 0
