"""Queue reads: where a ticket stands, the wait estimate, and the queue at a glance.

Nothing here changes state (state changes live in :mod:`server.store.tickets`).
``GET /queue`` reads through :func:`positions` (every waiting ticket's place
and wait in a fixed number of queries: one per service for recent service
times, one for open counters; the order itself is the pure
:func:`server.domain.queue.people_ahead_counts`) and
:func:`counter_services_by_counter`, never once per ticket.
Every query is bounded by the live queue or by a date window, never by the
years of history a unit accumulates: the wait estimate reads the latest
finished tickets of one service through ``ix_tickets_service_finished`` and
only those finished within :data:`RECENT_WINDOW`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.schema import counter_services, counters, ticket_transitions, tickets
from server.domain.queue import Action, Status, WaitingTicket, people_ahead_counts
from server.domain.wait import MIN_SAMPLES, estimate_wait_minutes, typical_service_minutes
from server.store import units
from server.store.common import as_aware, first_row, utcnow

RECENT_DURATIONS = 20
# Service times older than this say little about today's wait (and would make the read grow).
RECENT_WINDOW = timedelta(days=30)
DEFAULT_SERVICE_MINUTES = 7.0


@dataclass(frozen=True)
class Position:
    """Where a ticket stands: people called before it and the estimated minutes of wait."""

    people_ahead: int
    estimated_wait_minutes: int


def _people_ahead_query(priority: bool) -> sa.Select[tuple[int]]:
    earlier = sa.or_(
        tickets.c.queued_at < sa.bindparam("queued_at"),
        sa.and_(
            tickets.c.queued_at == sa.bindparam("queued_at"), tickets.c.id < sa.bindparam("id")
        ),
    )
    ahead = (
        sa.and_(tickets.c.priority.is_(True), earlier)
        if priority
        else sa.or_(tickets.c.priority.is_(True), earlier)
    )
    return sa.select(sa.func.count()).where(
        tickets.c.unit_id == sa.bindparam("unit_id"),
        tickets.c.service_id == sa.bindparam("service_id"),
        tickets.c.status == Status.WAITING.value,
        tickets.c.id != sa.bindparam("id"),
        ahead,
    )


_PEOPLE_AHEAD = {True: _people_ahead_query(True), False: _people_ahead_query(False)}


def _new_ticket_ahead_query(priority: bool) -> sa.Select[tuple[int]]:
    """People ahead of a ticket issued now: every waiting ticket of the service (regular),
    or every waiting priority ticket (priority). A count over ``ix_tickets_service_lane``
    alone, without reading a ticket row."""
    query = sa.select(sa.func.count()).where(
        tickets.c.unit_id == sa.bindparam("unit_id"),
        tickets.c.service_id == sa.bindparam("service_id"),
        tickets.c.status == Status.WAITING.value,
    )
    return query.where(tickets.c.priority == sa.true()) if priority else query


_NEW_TICKET_AHEAD = {True: _new_ticket_ahead_query(True), False: _new_ticket_ahead_query(False)}
_RECENT_DURATIONS = (
    sa.select(tickets.c.started_at, tickets.c.finished_at)
    .where(
        tickets.c.service_id == sa.bindparam("service_id"),
        tickets.c.status == Status.DONE.value,
        tickets.c.started_at.is_not(None),
        tickets.c.finished_at >= sa.bindparam("since"),
    )
    .order_by(tickets.c.finished_at.desc())
    .limit(RECENT_DURATIONS)
)
_OPEN_COUNTERS = (
    sa.select(sa.func.count())
    .select_from(counters.join(counter_services, counter_services.c.counter_id == counters.c.id))
    .where(
        counter_services.c.service_id == sa.bindparam("service_id"), counters.c.paused.is_(False)
    )
)


def people_ahead(conn: Connection, ticket: Mapping[Any, Any]) -> int:
    """Waiting tickets of the same service that will be called before this one."""
    if ticket["status"] != Status.WAITING.value:
        return 0
    params = {
        "queued_at": ticket["queued_at"],
        "id": ticket["id"],
        "unit_id": ticket["unit_id"],
        "service_id": ticket["service_id"],
    }
    return int(conn.execute(_PEOPLE_AHEAD[bool(ticket["priority"])], params).scalar_one())


def estimated_wait(
    conn: Connection,
    ticket: Mapping[Any, Any],
    *,
    ahead: int,
    now: datetime | None = None,
    settings: Mapping[str, Any] | None = None,
    open_counters: int | None = None,
) -> int:
    """Minutes until the ticket is likely called, from recent service times.

    ``settings`` (the unit's) and ``open_counters``, when the caller already read
    them (issuing reads them with the service), save two queries."""
    if ahead == 0:
        return 0
    service = {"service_id": ticket["service_id"]}
    recent = {**service, "since": (now or utcnow()) - RECENT_WINDOW}
    minutes = [
        (finished - started).total_seconds() / 60
        for started, finished in (
            (as_aware(s), as_aware(f)) for s, f in conn.execute(_RECENT_DURATIONS, recent).all()
        )
        if started is not None and finished is not None
    ]
    default = DEFAULT_SERVICE_MINUTES
    if len(minutes) < MIN_SAMPLES:
        if settings is None:
            settings = units.unit_settings(units.get_unit(conn, unit_id=ticket["unit_id"]))
        default = float(settings["default_service_minutes"])
    typical = typical_service_minutes(minutes, default)
    if open_counters is None:
        open_counters = int(conn.execute(_OPEN_COUNTERS, service).scalar_one())
    return estimate_wait_minutes(
        people_ahead=ahead, service_minutes=typical, open_counters=open_counters
    )


def new_ticket_ahead(priority: bool) -> sa.ScalarSelect[int]:
    """People ahead of a ticket about to be issued, as a subquery (``unit_id``,
    ``service_id`` bound): issuing reads it together with the service."""
    return _NEW_TICKET_AHEAD[priority].scalar_subquery()


def open_counters() -> sa.ScalarSelect[int]:
    """Open counters serving ``service_id``, as a subquery (for the wait estimate)."""
    return _OPEN_COUNTERS.scalar_subquery()


def get_by_tracking_token(conn: Connection, *, token: str) -> RowMapping | None:
    """The ticket a visitor's QR code points to, or None."""
    return first_row(conn, tickets, tracking_token=token)


def waiting_tickets(conn: Connection, *, unit_id: int) -> list[RowMapping]:
    query = (
        sa.select(tickets)
        .where(tickets.c.unit_id == unit_id, tickets.c.status == Status.WAITING.value)
        .order_by(tickets.c.priority.desc(), tickets.c.queued_at, tickets.c.id)
    )
    return list(conn.execute(query).mappings())


def active_tickets_by_counter(conn: Connection, *, unit_id: int) -> dict[int, RowMapping]:
    """The ticket each counter holds now (called or being served)."""
    query = (
        sa.select(tickets)
        .where(
            tickets.c.unit_id == unit_id,
            tickets.c.status.in_([Status.CALLED.value, Status.SERVING.value]),
            tickets.c.counter_id.is_not(None),
        )
        .order_by(tickets.c.called_at)
    )
    return {row["counter_id"]: row for row in conn.execute(query).mappings()}


def recent_calls(conn: Connection, *, unit_id: int, day: date, limit: int = 6) -> list[RowMapping]:
    """The last calls (and recalls) of the unit's day, newest first."""
    query = (
        sa.select(
            tickets.c.number,
            tickets.c.service_id,
            ticket_transitions.c.at.label("called_at"),
            counters.c.number.label("counter_number"),
            counters.c.name.label("counter_name"),
        )
        .select_from(
            ticket_transitions.join(tickets, tickets.c.id == ticket_transitions.c.ticket_id).join(
                counters, counters.c.id == ticket_transitions.c.counter_id
            )
        )
        .where(
            tickets.c.unit_id == unit_id,
            tickets.c.day == day,
            ticket_transitions.c.action.in_([Action.CALL.value, Action.RECALL.value]),
        )
        .order_by(ticket_transitions.c.id.desc())
        .limit(limit)
    )
    return list(conn.execute(query).mappings())


def _recent_minutes(conn: Connection, *, service_id: int, now: datetime) -> list[float]:
    recent = {"service_id": service_id, "since": now - RECENT_WINDOW}
    return [
        (finished - started).total_seconds() / 60
        for started, finished in (
            (as_aware(s), as_aware(f)) for s, f in conn.execute(_RECENT_DURATIONS, recent).all()
        )
        if started is not None and finished is not None
    ]


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


def counter_services_by_counter(conn: Connection, *, unit_id: int) -> dict[int, list[int]]:
    """Every counter of the unit with the sorted ids of the services it serves (one query)."""
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


def positions(
    conn: Connection,
    *,
    unit_id: int,
    waiting: Sequence[RowMapping],
    unit_default_minutes: float,
    now: datetime | None = None,
) -> dict[int, Position]:
    """Every waiting ticket's :class:`Position`, the same numbers as :func:`people_ahead`
    and :func:`estimated_wait` give one ticket at a time, in 1 + (services) queries."""
    if not waiting:
        return {}
    moment = now or utcnow()
    ahead = people_ahead_counts(
        WaitingTicket(
            id=row["id"],
            service_id=row["service_id"],
            priority=bool(row["priority"]),
            queued_at=row["queued_at"],
        )
        for row in waiting
    )
    open_counters = open_counters_by_service(conn, unit_id=unit_id)
    typical: dict[int, float] = {}
    for service_id in sorted({row["service_id"] for row in waiting}):
        minutes = _recent_minutes(conn, service_id=service_id, now=moment)
        default = DEFAULT_SERVICE_MINUTES if len(minutes) >= MIN_SAMPLES else unit_default_minutes
        typical[service_id] = typical_service_minutes(minutes, default)
    out: dict[int, Position] = {}
    for row in waiting:
        n = ahead[row["id"]]
        out[row["id"]] = Position(
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
