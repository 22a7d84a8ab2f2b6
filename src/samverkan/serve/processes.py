"""One observer-only app process per browser connection.

textual-serve's :class:`AppService` speaks the web driver's protocol with the
process; samverkan starts the process itself: ``exec`` of a fixed argv (no
shell, nothing from the request on the command line), the observer's name in
the environment, and a kill if it does not end soon after its websocket.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from asyncio.subprocess import Process
from collections.abc import Awaitable, Callable

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from samverkan.serve.observer_app import ENV_DB, ENV_MEETING, ENV_OBSERVER, ENV_POLL
from samverkan.store.location import DatabaseLocation, ServerURL

APP_ARGV = (sys.executable, "-m", "samverkan.serve.observer_app")
STOP_SECONDS = 5.0


class ObserverProcess(AppService):
    """The app of one connected observer; :meth:`stop` makes sure it ends."""

    def __init__(
        self,
        *,
        db_path: DatabaseLocation,
        meeting_id: str,
        observer: str,
        poll_seconds: float,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[None]],
        argv: tuple[str, ...] = APP_ARGV,
    ) -> None:
        super().__init__(
            " ".join(argv),
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,
            # Never used: the observer app delivers no files and there is no download route.
            download_manager=DownloadManager(),
        )
        self._argv = argv
        self._extra_env = {
            # A server URL whole (the child connects with it), a file by its path.
            ENV_DB: db_path.url if isinstance(db_path, ServerURL) else str(db_path),
            ENV_MEETING: meeting_id,
            ENV_OBSERVER: observer,
            ENV_POLL: str(poll_seconds),
        }

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        environment = self._build_environment(width=width, height=height)
        environment.update(self._extra_env)
        self._process = process = await asyncio.create_subprocess_exec(
            *self._argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def on_meta(self, data: bytes) -> None:
        # Only "exit" is honoured: no URLs opened in the browser, no file deliveries.
        import json

        with contextlib.suppress(ValueError):
            if json.loads(data).get("type") == "exit":
                await self.remote_close()

    async def on_packed(self, payload: bytes) -> None:
        return

    async def stop(self) -> None:
        """Ask the app to quit; kill it when it has not ended within a few seconds."""
        process = self._process
        with contextlib.suppress(TimeoutError, ConnectionError, RuntimeError):
            await asyncio.wait_for(super().stop(), STOP_SECONDS)
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(process.wait(), STOP_SECONDS)
        if process is not None and self._task is not None:
            self._task.cancel()
            self._task = None
