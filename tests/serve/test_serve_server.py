"""The web layer of ``samverkan serve``, through aiohttp's test client.

Every route is refused without a session, with an expired or revoked
invitation, with a foreign Origin and under a foreign Host name; the files
are a fixed list; the page names no outside host. The websocket's app is a
stand-in process here (the real one is driven in a browser by
``test_serve_browser.py``).
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from samverkan.domain.clock import ManualClock
from samverkan.serve import processes
from samverkan.serve.files import FILES
from samverkan.serve.run import LOOPBACK_NAMES
from samverkan.serve.server import COOKIE, ObserverServer
from samverkan.services import Services
from samverkan.services.invitations import InvitationService

# Says it is a Textual app, then waits for its input to end (as the web driver does).
STAND_IN = (
    sys.executable,
    "-c",
    "import sys; print('__GANGLION__', flush=True); sys.stdin.buffer.read()",
)
FOREIGN = "http://evil.example"
ROUTES = ["/", "/ws", "/static/js/textual.js", "/static/page.css", "/static/", "/nothing"]


@dataclass
class Served:
    server: ObserverServer
    client: TestClient  # type: ignore[type-arg]
    invitations: InvitationService
    meeting_id: str
    origin: str

    async def join(self, name: str = "Cecilia") -> str:
        """Follow a fresh invitation link; returns the invitation's id."""
        new = self.invitations.invite(self.meeting_id, name)
        response = await self.client.get(f"/join/{new.token}", allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/"
        return new.invitation.id


@pytest.fixture
async def served(
    imported: Services, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Served]:
    monkeypatch.setattr(processes, "STOP_SECONDS", 0.5)
    meeting_id = imported.projects.resolve_ref("grupp-1/3")
    invitations = InvitationService(imported.database, clock)
    server = ObserverServer(
        db_path=imported.path,
        meeting_id=meeting_id,
        title="grupp-1/3",
        invitations=invitations,
        max_connections=2,
        announce=lambda message: None,
        argv=STAND_IN,
    )
    test_server = TestServer(server.application(), host="127.0.0.1")
    client = TestClient(test_server)
    await client.start_server()
    port = test_server.port
    assert port is not None
    server.allow("http", LOOPBACK_NAMES, port)
    try:
        yield Served(server, client, invitations, meeting_id, f"http://127.0.0.1:{port}")
    finally:
        await client.close()


async def _status(served: Served, path: str, **headers: str) -> int:
    response = await served.client.get(path, headers=headers, allow_redirects=False)
    return response.status


@pytest.mark.parametrize("path", ROUTES)
async def test_every_route_is_refused_without_a_session(served: Served, path: str) -> None:
    assert await _status(served, path) == 403
    assert await _status(served, path, Origin=served.origin) == 403


async def test_an_unknown_token_is_refused_and_sets_no_cookie(served: Served) -> None:
    response = await served.client.get("/join/abcdefghijklmnopqrstuvwx", allow_redirects=False)
    assert response.status == 403 and COOKIE not in response.cookies
    assert await _status(served, "/") == 403


async def test_a_valid_link_sets_a_private_cookie_and_drops_the_token(served: Served) -> None:
    new = served.invitations.invite(served.meeting_id, "Cecilia")
    response = await served.client.get(f"/join/{new.token}", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert new.token not in cookie
    page = await served.client.get("/")
    assert page.status == 200
    assert "Cecilia" in await page.text()
    for name in FILES:
        assert await _status(served, f"/static/{name}") == 200, name


@pytest.mark.parametrize("path", ["/", "/ws", "/static/page.css"])
async def test_a_foreign_origin_is_refused_even_with_a_session(served: Served, path: str) -> None:
    await served.join()
    assert await _status(served, path, Origin=FOREIGN) == 403
    assert await _status(served, path, Origin="null") == 403


async def test_the_websocket_needs_an_origin(served: Served) -> None:
    await served.join()
    assert await _status(served, "/ws") == 403


@pytest.mark.parametrize("path", ["/", "/static/page.css", "/join/whatever"])
async def test_a_foreign_host_name_is_refused(served: Served, path: str) -> None:
    """A page elsewhere whose name resolves to this machine (DNS rebinding) gets nothing."""
    await served.join()
    assert await _status(served, path, Host="evil.example:80") == 403


async def test_a_revoked_invitation_ends_the_session(served: Served) -> None:
    await served.join()
    assert await _status(served, "/") == 200
    served.invitations.revoke(served.meeting_id, "Cecilia")
    assert await _status(served, "/") == 403
    assert await _status(served, "/ws", Origin=served.origin) == 403
    assert await _status(served, "/static/page.css") == 403  # the session is gone too


async def test_a_revoked_or_expired_link_opens_nothing(served: Served, imported: Services) -> None:
    revoked = served.invitations.invite(served.meeting_id, "Cecilia")
    served.invitations.revoke(served.meeting_id, "Cecilia")
    assert await _status(served, f"/join/{revoked.token}") == 403
    expiring = served.invitations.invite(served.meeting_id, "Anders")
    imported.meetings.start(served.meeting_id)
    imported.meetings.close(served.meeting_id)
    assert await _status(served, f"/join/{expiring.token}") == 403
    assert await _status(served, "/") == 403


async def test_closing_the_meeting_expires_a_session(served: Served, imported: Services) -> None:
    await served.join()
    imported.meetings.start(served.meeting_id)
    assert await _status(served, "/") == 200
    imported.meetings.close(served.meeting_id)
    assert await _status(served, "/") == 403
    assert await _status(served, "/ws", Origin=served.origin) == 403


@pytest.mark.parametrize(
    "name", ["", "js", "js/", "../server.py", "..%2Fserver.py", "fonts", "background.png"]
)
async def test_only_the_listed_files_are_served_never_a_folder(served: Served, name: str) -> None:
    await served.join()
    assert await _status(served, f"/static/{name}") in (403, 404)


async def test_only_get_is_answered(served: Served) -> None:
    await served.join()
    response = await served.client.post("/", data=b"x")
    assert response.status == 405


async def test_the_page_names_no_outside_host(served: Served) -> None:
    await served.join()
    page = await served.client.get("/")
    html = await page.text()
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert urls and all(u.startswith("/static/") for u in urls), urls
    assert "googleapis" not in html and "http://" not in html and "https://" not in html
    assert re.findall(r"wss?://[^\"' ]+", html) == [served.origin.replace("http", "ws") + "/ws"]
    for name in ("page.css", "css/xterm.css", "page.js"):
        text = await (await served.client.get(f"/static/{name}")).text()
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)  # links in comments load nothing
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", code), name
        assert not re.search(r"https?://", code), name
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "font-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["Referrer-Policy"] == "no-referrer"


async def _websocket(served: Served) -> aiohttp.ClientWebSocketResponse:
    return await served.client.ws_connect("/ws?width=80&height=24", origin=served.origin)


async def _closed(socket: aiohttp.ClientWebSocketResponse, seconds: float = 20.0) -> bool:
    try:
        async with asyncio.timeout(seconds):
            while True:
                message = await socket.receive()
                if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    return True
    except TimeoutError:
        return False


async def _wait_for(condition: object, seconds: float = 20.0) -> None:
    assert callable(condition)
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0.05)


async def test_each_connection_gets_a_process_that_ends_with_it(served: Served) -> None:
    await served.join()
    socket = await _websocket(served)
    await _wait_for(lambda: len(served.server.pids()) == 1)
    assert served.server.connected() == ["Cecilia"]
    await socket.close()
    await _wait_for(lambda: not served.server.state.connections)
    assert served.server.pids() == []


async def test_the_number_of_connections_is_capped(served: Served) -> None:
    sockets = []
    for name in ("Cecilia", "Anders"):
        served.client.session.cookie_jar.clear()
        await served.join(name)
        sockets.append(await _websocket(served))
    await _wait_for(lambda: len(served.server.state.connections) == 2)
    served.client.session.cookie_jar.clear()
    await served.join("Berit")
    response = await served.client.get("/ws", headers={"Origin": served.origin})
    assert response.status == 503
    for socket in sockets:
        await socket.close()


async def test_the_same_observer_again_replaces_the_older_connection(served: Served) -> None:
    await served.join()
    first = await _websocket(served)
    await _wait_for(lambda: len(served.server.state.connections) == 1)
    second = await _websocket(served)
    assert await _closed(first)
    await _wait_for(lambda: len(served.server.state.connections) == 1)
    assert served.server.connected() == ["Cecilia"]
    await second.close()


async def test_revoking_disconnects_a_connected_observer(served: Served) -> None:
    await served.join()
    socket = await _websocket(served)
    await _wait_for(lambda: len(served.server.pids()) == 1)
    served.invitations.revoke(served.meeting_id, "Cecilia")
    await served.server.check_revocations()
    assert await _closed(socket)
    await _wait_for(lambda: not served.server.state.connections)
    assert await _status(served, "/") == 403


def test_the_listed_files_exist() -> None:
    from samverkan.serve.files import static_file

    for name in FILES:
        path = static_file(name)
        assert path is not None and Path(path).is_file(), name
