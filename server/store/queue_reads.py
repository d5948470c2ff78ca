"""Queue reads for whole screens: the queue at a glance and today's no-shows.

``GET /queue`` shows every waiting ticket with its place and estimated wait.
Reading those one ticket at a time costs several queries per ticket; here a
fixed number of queries serve the whole unit (waiting tickets, recent service
times per service, open counters per service, each counter's services), and
the pure rules (:func:`server.domain.queue.people_ahead_counts`,
:mod:`server.domain.wait`) do the rest. Only reads; no events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.schema import counter_services, counters, tickets
from server.domain.queue import Status, WaitingTicket, people_ahead_counts
from server.domain.wait import MIN_SAMPLES, estimate_wait_minutes, typical_service_minutes
from server.store.common import as_aware

#: how many recent services of a kind set its typical duration
RECENT_DURATIONS = 20
#: the typical duration once enough recent services are known, unless measured
DEFAULT_SERVICE_MINUTES = 7.0


@dataclass(frozen=True)
class Place:
    """A waiting ticket's place in its queue."""

    people_ahead: int
    estimated_wait_minutes: int


def counter_services_by_counter(conn: Connection, *, unit_id: int) -> dict[int, list[int]]:
    """Every counter of the unit with the sorted ids of the services it serves."""
    query = (
        sa.select(counters.c.id, counter_services.c.service_id)
        .select_from(
            counters.outerjoin(counter_services, counter_services.c.counter_id == counters.c.id)
        )
        .where(counters.c.unit_id == unit_id)
    )
    out: dict[int, list[int]] = {}
    for counter_id, service_id in conn.execute(query).all():
        ids = out.setdefault(counter_id, [])
        if service_id is not None:
            ids.append(service_id)
    return {k: sorted(v) for k, v in out.items()}


def recent_service_minutes(
    conn: Connection, *, service_ids: Sequence[int], limit: int = RECENT_DURATIONS
) -> dict[int, list[float]]:
    """Durations (minutes) of the last ``limit`` finished services of each service."""
    if not service_ids:
        return {}
    rank = (
        sa.func.row_number()
        .over(partition_by=tickets.c.service_id, order_by=tickets.c.finished_at.desc())
        .label("rank")
    )
    inner = (
        sa.select(tickets.c.service_id, tickets.c.started_at, tickets.c.finished_at, rank)
        .where(
            tickets.c.service_id.in_(list(service_ids)),
            tickets.c.status == Status.DONE.value,
            tickets.c.started_at.is_not(None),
        )
        .subquery()
    )
    query = sa.select(inner.c.service_id, inner.c.started_at, inner.c.finished_at).where(
        inner.c.rank <= limit
    )
    out: dict[int, list[float]] = {sid: [] for sid in service_ids}
    for service_id, started, finished in conn.execute(query).all():
        began, ended = as_aware(started), as_aware(finished)
        if began is not None and ended is not None:
            out[service_id].append((ended - began).total_seconds() / 60)
    return out


def open_counters_by_service(conn: Connection, *, unit_id: int) -> dict[int, int]:
    """How many unpaused counters of the unit serve each service."""
    query = (
        sa.select(counter_services.c.service_id, sa.func.count())
        .select_from(
            counters.join(counter_services, counter_services.c.counter_id == counters.c.id)
        )
        .where(counters.c.unit_id == unit_id, counters.c.paused.is_(False))
        .group_by(counter_services.c.service_id)
    )
    return {service_id: int(n) for service_id, n in conn.execute(query).all()}


def places(
    conn: Connection, *, unit_id: int, waiting: Sequence[RowMapping], unit_default_minutes: float
) -> dict[int, Place]:
    """People ahead and estimated wait of every waiting ticket, in four queries or fewer.

    Gives the same numbers as asking :func:`server.store.tickets.people_ahead` and
    ``estimated_wait`` for each ticket in turn.
    """
    if not waiting:
        return {}
    ahead = people_ahead_counts(
        WaitingTicket(
            id=row["id"],
            service_id=row["service_id"],
            priority=bool(row["priority"]),
            queued_at=row["queued_at"],
        )
        for row in waiting
    )
    service_ids = sorted({row["service_id"] for row in waiting})
    minutes = recent_service_minutes(conn, service_ids=service_ids)
    open_counters = open_counters_by_service(conn, unit_id=unit_id)
    typical: dict[int, float] = {}
    for service_id in service_ids:
        recent = minutes.get(service_id, [])
        default = DEFAULT_SERVICE_MINUTES if len(recent) >= MIN_SAMPLES else unit_default_minutes
        typical[service_id] = typical_service_minutes(recent, default)
    out: dict[int, Place] = {}
    for row in waiting:
        n = ahead[row["id"]]
        out[row["id"]] = Place(
            people_ahead=n,
            estimated_wait_minutes=estimate_wait_minutes(
                people_ahead=n,
                service_minutes=typical[row["service_id"]],
                open_counters=open_counters.get(row["service_id"], 0),
            ),
        )
    return out


def no_shows_for_day(
    conn: Connection, *, unit_id: int, day: date, limit: int = 50
) -> list[dict[str, Any]]:
    """Tickets of ``day`` marked as no-show, newest call first (numbers only, no personal data)."""
    query = (
        sa.select(
            tickets.c.id,
            tickets.c.number,
            tickets.c.service_id,
            tickets.c.counter_id,
            tickets.c.called_at,
        )
        .where(
            tickets.c.unit_id == unit_id,
            tickets.c.day == day,
            tickets.c.status == Status.NO_SHOW.value,
        )
        .order_by(tickets.c.called_at.desc(), tickets.c.id.desc())
        .limit(limit)
    )
    return [dict(row) for row in conn.execute(query).mappings()]
