"""The web server of ``samverkan serve``: tokens, sessions, checks, one app per tab.

Routes (nothing else answers, and there is no directory listing):

* ``GET /join/{token}``: an invitation link. A valid token opens a session
  (an HttpOnly cookie) and redirects to ``/``, so the token leaves the
  address bar and the history's current entry.
* ``GET /``: the terminal page; ``GET /static/{file}``: one of the fixed
  files of :mod:`samverkan.serve.files`.
* ``GET /ws``: the websocket that drives the observer's own app process.

Every request must name this server in its ``Host`` header and, if it has an
``Origin``, come from this server's own origin; the websocket must have one.
Everything but ``/join`` needs a session whose invitation is still valid
(not revoked, its meeting not closed). A watcher closes the connections of
revoked invitations within ``watch_seconds`` and marks the others as seen,
so ``samverkan invitations list`` can tell who is connected.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from samverkan.i18n import _, ngettext
from samverkan.serve import processes
from samverkan.serve.files import static_file
from samverkan.serve.page import observer_page, refusal_page, security_headers
from samverkan.serve.processes import APP_ARGV, ObserverProcess
from samverkan.services.invitations import InvitationService
from samverkan.store.location import DatabaseLocation

log = logging.getLogger("samverkan.serve")

COOKIE = "samverkan_session"
MAX_MESSAGE = 64 * 1024


@dataclass(frozen=True)
class ObserverSession:
    invitation_id: str
    observer: str


SESSION_KEY = web.RequestKey("samverkan.session", ObserverSession)


@dataclass(eq=False)
class Connection:
    session: ObserverSession
    websocket: web.WebSocketResponse
    process: ObserverProcess | None = None


@dataclass
class ServerState:
    sessions: dict[str, ObserverSession] = field(default_factory=dict)
    connections: list[Connection] = field(default_factory=list)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _clamp(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value or default)
    except ValueError:
        number = default
    return max(low, min(high, number))


class ObserverServer:
    """One meeting served to invited observers; see the module's docstring."""

    def __init__(
        self,
        *,
        db_path: DatabaseLocation,
        meeting_id: str,
        title: str,
        invitations: InvitationService,
        max_connections: int = 10,
        # The browser adds a hop (websocket, xterm.js) to the observer screen's poll:
        # a shorter poll keeps a facilitator's note within the 1 s budget. A poll's
        # cost does not grow with the meeting.
        poll_seconds: float = 0.25,
        watch_seconds: float = 2.0,
        seen_seconds: float = 5.0,
        announce: Callable[[str], None] = print,
        argv: tuple[str, ...] = APP_ARGV,
    ) -> None:
        self.db_path = db_path
        self.meeting_id = meeting_id
        self.title = title
        self.invitations = invitations
        self.max_connections = max_connections
        self.poll_seconds = poll_seconds
        self.watch_seconds = watch_seconds
        self.seen_seconds = seen_seconds
        self.announce = announce
        self.argv = argv
        self.state = ServerState()
        self.scheme = "http"
        self.hosts: set[str] = set()
        self.origins: set[str] = set()
        self._watcher: asyncio.Task[None] | None = None
        self._endings: set[asyncio.Future[None]] = set()

    # ------------------------------------------------------------ addresses

    def allow(self, scheme: str, names: Iterable[str], port: int) -> None:
        """The names this server is reached by (after binding, when the port is known)."""
        self.scheme = scheme
        for name in names:
            host = f"[{name}]" if ":" in name else name
            self.hosts.add(f"{host}:{port}")
            if (scheme, port) in (("http", 80), ("https", 443)):
                self.hosts.add(host)
            self.origins.add(f"{scheme}://{host}:{port}")
            if (scheme, port) in (("http", 80), ("https", 443)):
                self.origins.add(f"{scheme}://{host}")

    @property
    def secure(self) -> bool:
        return self.scheme == "https"

    def connected(self) -> list[str]:
        return sorted({c.session.observer for c in self.state.connections}, key=str.casefold)

    def pids(self) -> list[int]:
        return [
            c.process.pid
            for c in self.state.connections
            if c.process is not None and c.process.pid is not None
        ]

    # ------------------------------------------------------------ the application

    def application(self) -> web.Application:
        app = web.Application(middlewares=[self._guard], client_max_size=MAX_MESSAGE)
        app.add_routes(
            [
                web.get("/join/{token}", self._join),
                web.get("/", self._index),
                web.get("/ws", self._websocket),
                web.get("/static/{name:.+}", self._static),
            ]
        )
        app.on_response_prepare.append(self._headers)
        app.on_startup.append(self._start_watching)
        app.on_shutdown.append(self._shutdown)
        return app

    def _refuse(self, status: int, message: str) -> web.Response:
        return web.Response(status=status, text=refusal_page(message), content_type="text/html")

    def _websocket_url(self) -> str:
        scheme = "wss" if self.secure else "ws"
        return " ".join(sorted(f"{scheme}:{origin.split(':', 1)[1]}/ws" for origin in self.origins))

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(security_headers(self._websocket_url() or "'none'"))

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.host not in self.hosts:
            return self._refuse(403, _("This server is not reached by that name."))
        origin = request.headers.get("Origin")
        if origin is not None and origin not in self.origins:
            return self._refuse(403, _("Requests from other sites are refused."))
        if request.method != "GET":
            return self._refuse(405, _("Only pages are served here."))
        if request.path.startswith("/join/"):
            return await handler(request)
        session = self._session(request)
        if session is None:
            return self._refuse(
                403, _("You have not joined: open the invitation link the facilitator gave you.")
            )
        request[SESSION_KEY] = session
        return await handler(request)

    def _session(self, request: web.Request) -> ObserverSession | None:
        cookie = request.cookies.get(COOKIE)
        return self.state.sessions.get(_digest(cookie)) if cookie else None

    async def _valid(self, session: ObserverSession) -> bool:
        ids = {session.invitation_id}
        valid = await asyncio.to_thread(self.invitations.still_valid, ids, self.meeting_id)
        if session.invitation_id not in valid:
            self._forget_sessions(ids)
            return False
        return True

    def _forget_sessions(self, invitation_ids: set[str]) -> None:
        sessions = self.state.sessions
        for key in [k for k, s in sessions.items() if s.invitation_id in invitation_ids]:
            del sessions[key]

    def _expired(self) -> web.Response:
        return self._refuse(
            403,
            _("This invitation no longer admits you: it was revoked or the meeting is closed."),
        )

    # ------------------------------------------------------------ routes

    async def _join(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        invitation = await asyncio.to_thread(self.invitations.admit, token, self.meeting_id)
        if invitation is None:
            return self._refuse(
                403,
                _(
                    "This invitation link is not valid: it may have been revoked, or the "
                    "meeting is closed. Ask the facilitator for a new one."
                ),
            )
        key = secrets.token_urlsafe(32)
        self.state.sessions[_digest(key)] = ObserverSession(invitation.id, invitation.observer)
        response = web.Response(status=303, headers={"Location": "/"})
        # Lax, not Strict: a link opened from a chat or mail program is a cross-site
        # navigation, and the redirect after it must carry the cookie. The websocket
        # is protected by the Origin check.
        response.set_cookie(
            COOKIE, key, httponly=True, samesite="Lax", secure=self.secure, path="/"
        )
        return response

    async def _index(self, request: web.Request) -> web.StreamResponse:
        session: ObserverSession = request[SESSION_KEY]
        if not await self._valid(session):
            return self._expired()
        origin = f"{self.scheme}://{request.host}"
        ws_url = ("wss:" if self.secure else "ws:") + origin.split(":", 1)[1] + "/ws"
        page = observer_page(title=self.title, observer=session.observer, websocket_url=ws_url)
        return web.Response(text=page, content_type="text/html")

    async def _static(self, request: web.Request) -> web.StreamResponse:
        path = static_file(request.match_info["name"])
        if path is None:
            return self._refuse(404, _("There is no such file here."))
        return web.FileResponse(path)

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        session: ObserverSession = request[SESSION_KEY]
        if request.headers.get("Origin") is None:
            return self._refuse(403, _("Requests from other sites are refused."))
        if not await self._valid(session):
            return self._expired()
        older = [c for c in self.state.connections if c.session == session]
        if len(self.state.connections) - len(older) >= self.max_connections:
            return self._refuse(
                503,
                _("Too many observers are connected; try again when one has left."),
            )
        for connection in older:  # the same observer again (a reload, another tab)
            await connection.websocket.close()
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        await websocket.prepare(request)
        connection = Connection(session, websocket)
        self.state.connections.append(connection)
        self.announce(
            ngettext(
                "{name} connected ({count} observer connected)",
                "{name} connected ({count} observers connected)",
                len(self.state.connections),
            ).format(name=session.observer, count=len(self.state.connections))
        )

        async def close() -> None:
            await websocket.close()

        process = ObserverProcess(
            db_path=self.db_path,
            meeting_id=self.meeting_id,
            observer=session.observer,
            poll_seconds=self.poll_seconds,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            argv=self.argv,
        )
        connection.process = process
        width = _clamp(request.query.get("width"), 80, 20, 400)
        height = _clamp(request.query.get("height"), 24, 8, 200)
        try:
            await process.start(width, height)
            await self._relay(websocket, process)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            # aiohttp cancels this handler when the browser goes away; the clean-up
            # runs in a task of its own so that the cancellation cannot cut it short.
            ending = asyncio.ensure_future(self._end(connection))
            self._endings.add(ending)
            ending.add_done_callback(self._endings.discard)
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(ending)
        return websocket

    async def _end(self, connection: Connection) -> None:
        """Stop the observer's process, close the socket, tell who left."""
        session = connection.session
        if connection.process is not None:
            await connection.process.stop()
        with contextlib.suppress(Exception):
            await connection.websocket.close()
        self.state.connections.remove(connection)
        self.announce(
            ngettext(
                "{name} left ({count} observer connected)",
                "{name} left ({count} observers connected)",
                len(self.state.connections),
            ).format(name=session.observer, count=len(self.state.connections))
        )
        others = {c.session.invitation_id for c in self.state.connections}
        if session.invitation_id not in others:
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self.invitations.mark_gone, session.invitation_id)

    async def _relay(self, websocket: web.WebSocketResponse, process: ObserverProcess) -> None:
        """The browser's keys and sizes to the app; nothing else is passed on."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, data = json.loads(message.data)
            except (ValueError, TypeError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await process.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await process.set_terminal_size(
                    _clamp(str(data.get("width")), 80, 20, 400),
                    _clamp(str(data.get("height")), 24, 8, 200),
                )
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await process.blur()
            elif kind == "focus":
                await process.focus()

    # ------------------------------------------------------------ watching

    async def _start_watching(self, app: web.Application) -> None:
        self._watcher = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        last_seen = 0.0
        while True:
            await asyncio.sleep(self.watch_seconds)
            with contextlib.suppress(Exception):
                await self.check_revocations()
                if loop.time() - last_seen >= self.seen_seconds:
                    last_seen = loop.time()
                    ids = {c.session.invitation_id for c in self.state.connections}
                    await asyncio.to_thread(self.invitations.mark_seen, ids)

    async def check_revocations(self) -> None:
        """Close the connections and drop the sessions of invitations no longer valid."""
        state = self.state
        ids = {s.invitation_id for s in state.sessions.values()}
        ids |= {c.session.invitation_id for c in state.connections}
        if not ids:
            return
        valid = await asyncio.to_thread(self.invitations.still_valid, ids, self.meeting_id)
        gone = ids - valid
        if not gone:
            return
        self._forget_sessions(gone)
        for connection in [c for c in state.connections if c.session.invitation_id in gone]:
            self.announce(
                _("{name}'s invitation is no longer valid: disconnected").format(
                    name=connection.session.observer
                )
            )
            await connection.websocket.close()

    async def _shutdown(self, app: web.Application) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        for connection in list(self.state.connections):
            with contextlib.suppress(Exception):
                await connection.websocket.close()
        if self._endings:
            await asyncio.wait(set(self._endings), timeout=processes.STOP_SECONDS * 2)
