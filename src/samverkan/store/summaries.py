"""The list of projects and meetings, read with the standard library's sqlite3 alone.

This is what the home screen and ``samverkan list`` show first. Reading it
without SQLAlchemy lets the app paint its first screen before the ORM is
imported (the start-up budget), and the same function serves the services,
so there is one implementation of the listing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from samverkan.domain.overview import (
    MeetingStatus,
    MeetingSummary,
    MinutesObservation,
    OrganisationView,
    ProjectSummary,
)


def loads_list(value: str | None) -> tuple[str, ...]:
    """A list of strings kept as JSON text (``JSONList``)."""
    import json

    if not value:
        return ()
    loaded = json.loads(value)
    return tuple(str(v) for v in loaded) if isinstance(loaded, list) else ()


def read_projects(path: Path) -> list[ProjectSummary]:
    """Every project with its organisations and meetings (note counts without deleted)."""
    try:
        return _read_projects(path)
    except sqlite3.Error as exc:
        from samverkan.i18n import _
        from samverkan.store.inspection import StoreError

        raise StoreError(
            _("could not read the projects in {path} ({reason})").format(path=path, reason=exc)
        ) from exc


def read_projects_of(connection: Any) -> list[ProjectSummary]:
    """The same listing on any SQLAlchemy connection (a server database)."""

    def run(sql: str) -> Iterable[Any]:
        rows: Iterable[Any] = connection.exec_driver_sql(sql).all()
        return rows

    return _listing(run)


def _read_projects(path: Path) -> list[ProjectSummary]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        return _listing(conn.execute)
    finally:
        conn.close()


def _listing(execute: Callable[[str], Iterable[Any]]) -> list[ProjectSummary]:
    conn = _Runner(execute)
    orgs: dict[str, list[OrganisationView]] = {}
    names: dict[str, tuple[str, str]] = {}
    for oid, pid, short, name, kind, position in conn.execute(
        "SELECT id, project_id, short, name, kind, position FROM organisation ORDER BY position"
    ):
        orgs.setdefault(pid, []).append(OrganisationView(oid, short, name, kind, position))
        names[oid] = (short, name)
    counts = dict(
        conn.execute("SELECT meeting_id, count(*) FROM note WHERE NOT deleted GROUP BY meeting_id")
    )
    meetings: dict[str, list[MeetingSummary]] = {}
    projects = conn.execute(
        "SELECT id, short, name, lang, description, facilitator, observers, steering_group "
        "FROM project ORDER BY short"
    ).fetchall()
    shorts = {row[0]: row[1] for row in projects}
    for row in conn.execute(
        "SELECT id, project_id, number, title, date, start, place, host_organisation_id, "
        "status FROM meeting ORDER BY number"
    ):
        mid, pid = row[0], row[1]
        summary = meeting_summary_of(row, shorts.get(pid, ""), names, counts.get(mid, 0))
        meetings.setdefault(pid, []).append(summary)
    return [
        project_summary_of(row, tuple(orgs.get(row[0], ())), tuple(meetings.get(row[0], ())))
        for row in projects
    ]


def project_summary_of(
    row: Any,
    organisations: tuple[OrganisationView, ...],
    meetings: tuple[MeetingSummary, ...] = (),
    minutes_observation: MinutesObservation = MinutesObservation.GROUP,
) -> ProjectSummary:
    """A row of (id, short, name, lang, description, facilitator, observers,
    steering_group) as a summary."""
    pid, short, name, lang, description, facilitator, observers, steering = row
    return ProjectSummary(
        id=pid,
        short=short,
        name=name,
        lang=lang,
        description=description,
        facilitator=facilitator,
        observers=loads_list(observers),
        steering_group=loads_list(steering),
        organisations=organisations,
        meetings=meetings,
        minutes_observation=minutes_observation,
    )


def meeting_summary_of(
    row: Any, project_short: str, hosts: dict[str, tuple[str, str]], notes: int
) -> MeetingSummary:
    """A row of (id, project_id, number, title, date, start, place, host organisation id,
    status) as a summary; ``hosts``: organisation id -> (short, name)."""
    mid, _pid, number, title, day, start, place, host, status = row
    host_short, host_name = hosts.get(host or "", ("", ""))
    return MeetingSummary(
        id=mid,
        project_short=project_short,
        number=number,
        title=title,
        date=_day(day),
        start=start,
        place=place,
        host_short=host_short,
        host_name=host_name,
        status=MeetingStatus(status),
        notes=notes,
    )


class _Runner:
    def __init__(self, execute: Callable[[str], Iterable[Any]]) -> None:
        self._execute = execute

    def execute(self, sql: str) -> Any:
        return _Rows(list(self._execute(sql)))


class _Rows(list[Any]):
    def fetchall(self) -> list[Any]:
        return list(self)


def _day(value: Any) -> date | None:
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(value)
