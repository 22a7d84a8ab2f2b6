"""Where the database is: a file path (SQLite, the default) or a server URL (PostgreSQL).

Light on purpose (no SQLAlchemy): the command line decides with this which engine
to open before anything heavy is imported. A URL keeps its password only in
:attr:`ServerURL.url`, which is handed to the driver and never printed:
``str()`` and every message show the redacted form. Credentials can equally come
from libpq's own places (``PGPASSFILE``/``~/.pgpass``, ``PGSERVICE`` and
``pg_service.conf``, ``PGSSLMODE``...), which psycopg reads for us.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


@dataclass(frozen=True)
class ServerURL:
    """A PostgreSQL database named by a libpq URL (``postgresql://user@host/db?sslmode=…``)."""

    url: str = field(repr=False)

    def __str__(self) -> str:
        return redact(self.url)

    def __repr__(self) -> str:
        return f"ServerURL({redact(self.url)!r})"

    def sqlalchemy_url(self) -> str:
        """The same URL with the psycopg 3 driver named, as SQLAlchemy wants it."""
        return f"postgresql+psycopg://{self.url.split('://', 1)[1]}"

    def libpq_url(self) -> str:
        """The same URL as libpq (psycopg's own connect) reads it: ``postgresql://``.

        Any accepted spelling of the scheme (``PostgreSQL://``, SQLAlchemy's
        ``postgresql+psycopg://``) is the same database to us, not to libpq.
        """
        return f"postgresql://{self.url.split('://', 1)[1]}"


DatabaseLocation = Path | ServerURL


def is_server_url(text: str) -> bool:
    return "://" in text and text.split("://", 1)[0].lower() in SERVER_SCHEMES


def parse_location(text: str | Path) -> DatabaseLocation:
    """A path, or a ServerURL for ``postgresql://…``."""
    if isinstance(text, Path):
        return text
    if is_server_url(text):
        return ServerURL(text)
    return Path(text).expanduser()


def redact(url: str) -> str:
    """The URL without its password (``postgresql://ann:***@host/db``), for any output."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.split("://", 1)[0] + "://***"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0] + ":***"
        netloc = f"{userinfo}@{host}"
    query = "&".join(
        f"{key}=***" if key.lower() == "password" else f"{key}={value}" if sep else key
        for key, sep, value in (item.partition("=") for item in parts.query.split("&") if item)
    )
    # Built by hand: urlunsplit drops the "//" of a URL without a host
    # (postgresql:///team, the local socket), which would then read as another URL.
    shown = f"{parts.scheme}://{netloc}{parts.path}"
    if query:
        shown += f"?{query}"
    if parts.fragment:
        shown += f"#{parts.fragment}"
    return shown
