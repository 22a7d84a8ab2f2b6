"""Running the server: the address, TLS, the links with their QR codes, until Ctrl+C.

Loopback by default; ``--lan`` binds to the address this machine uses on its
network (found without sending anything) and warns once, when there is no
certificate, that the network must be trusted. While it runs, the server's
address is kept in a small file so ``samverkan invitations add`` can print
whole links from another terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import ssl
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from aiohttp import web

from samverkan import locations
from samverkan.domain.errors import UserError
from samverkan.i18n import _
from samverkan.serve.server import ObserverServer

LOOPBACK_NAMES = ("127.0.0.1", "localhost")


def lan_address() -> str:
    """The address of the interface that would carry traffic to the network.

    Connecting a UDP socket sends nothing; it only asks the kernel for a route.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))
            address = str(probe.getsockname()[0])
        except OSError:
            address = ""
    if not address or address.startswith("127."):
        raise UserError(
            _("this machine has no network address to serve on; connect it to the network first")
        )
    return address


def tls_context(cert: Path | None, key: Path | None) -> ssl.SSLContext | None:
    if cert is None and key is None:
        return None
    if cert is None:
        raise UserError(_("--key needs --cert FILE too"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        raise UserError(
            _("cannot use the certificate {cert} ({reason})").format(
                cert=cert, reason=getattr(exc, "strerror", None) or exc
            )
        ) from exc
    return context


def join_url(base: str, token: str) -> str:
    return f"{base}/join/{token}"


def print_link(name: str, url: str, out: TextIO) -> None:
    """The link as text and as a QR code (people type it or scan it)."""
    import segno

    print(f"{name}: {url}", file=out)
    segno.make(url, error="l", micro=False).terminal(out=out, compact=True, border=2)
    print(file=out)


def url_file(meeting_id: str) -> Path:
    return locations.data_dir() / "serve" / f"{meeting_id}.url"


def running_url(meeting_id: str) -> str | None:
    """The base address of the server running for this meeting, if one is."""
    try:
        return url_file(meeting_id).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


@contextlib.contextmanager
def _remembered_url(meeting_id: str, base: str) -> Iterator[None]:
    path = url_file(meeting_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(base + "\n")
    except OSError:
        pass  # only a convenience for `invitations add`
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


@dataclass(frozen=True)
class Binding:
    host: str
    port: int
    names: tuple[str, ...]
    context: ssl.SSLContext | None

    @property
    def scheme(self) -> str:
        return "https" if self.context is not None else "http"


async def serve(
    server: ObserverServer,
    binding: Binding,
    ready: Callable[[str], None],
    stop: asyncio.Event | None = None,
) -> None:
    """Serve until ``stop`` is set (or Ctrl+C / SIGTERM); ``ready(base_url)`` once bound."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, stop.set)
    runner = web.AppRunner(server.application(), handle_signals=False, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, binding.host, binding.port, ssl_context=binding.context)
        try:
            await site.start()
        except OSError as exc:
            raise UserError(
                _("cannot serve on {host} port {port} ({reason}); choose another with --port N")
                .format(host=binding.host, port=binding.port, reason=exc.strerror or exc)
            ) from exc  # fmt: skip
        port = int(runner.addresses[0][1])
        server.allow(binding.scheme, binding.names, port)
        host = binding.names[0]
        base = f"{binding.scheme}://{f'[{host}]' if ':' in host else host}:{port}"
        with _remembered_url(server.meeting_id, base):
            ready(base)
            await stop.wait()
    finally:
        await runner.cleanup()


def stdout_announce(message: str) -> None:
    from datetime import datetime

    print(f"{datetime.now():%H:%M:%S} {message}", file=sys.stdout, flush=True)
