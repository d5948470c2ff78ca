"""Ticket state changes: issuing, calling and every later transition.

Reads that change nothing (where a ticket stands, the wait estimate, the queue
at a glance) live in :mod:`server.store.queue_reads`; event names come from
:mod:`server.domain.events` and the local day from :mod:`server.domain.clock`.

Each function runs inside the caller's write transaction (``Database.write()``),
applies the pure rules of :mod:`server.domain.queue`, records who did what in
``ticket_transitions`` and emits one event. Numbers come from an atomic
upsert on ``ticket_sequences`` and a unique constraint backs them up, so two
kiosks can never get the same number; call-next locks (SQLite: the write lock;
PostgreSQL: the counter row plus ``SKIP LOCKED`` on tickets), so two counters
can never call the same ticket.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.auth.tokens import new_tracking_token
from server.db.schema import (
    counter_services,
    counters,
    services,
    ticket_transitions,
    tickets,
)
from server.db.schema import (
    units as units_table,
)
from server.domain import events as event_names
from server.domain import queue
from server.domain.clock import local_day
from server.domain.queue import Action, FairnessRule, Status
from server.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from server.store import events, queue_reads, units
from server.store.common import Actor, first_row, get_in_unit, utcnow

# One statement for SQLite and PostgreSQL (SQLAlchemy does not cache its ON CONFLICT
# constructs, and this runs for every ticket).
_SEQ_UPSERT = sa.text(
    "INSERT INTO ticket_sequences (service_id, day, last_number) VALUES (:service_id, :day, 1) "
    "ON CONFLICT (service_id, day) DO UPDATE "
    "SET last_number = ticket_sequences.last_number + 1 RETURNING last_number"
).bindparams(sa.bindparam("service_id", type_=sa.Integer), sa.bindparam("day", type_=sa.Date))
_INSERT_TICKET = sa.insert(tickets).returning(*tickets.c)
_BY_REQUEST = sa.select(tickets).where(
    tickets.c.unit_id == sa.bindparam("unit_id"),
    tickets.c.client_request_id == sa.bindparam("request_id"),
)


def _issue_context_query(priority: bool) -> sa.Select[Any]:
    """Everything issuing reads before it writes, in one statement: the service and its
    unit, a ticket already issued for this request id, the people ahead of the new
    ticket and the open counters (for the wait estimate)."""
    earlier_request = _BY_REQUEST.with_only_columns(tickets.c.id).scalar_subquery()
    return (
        sa.select(
            services.c.code,
            services.c.prefix,
            services.c.active,
            units_table.c.timezone,
            units_table.c.settings,
            earlier_request.label("earlier_ticket_id"),
            queue_reads.new_ticket_ahead(priority).label("people_ahead"),
            queue_reads.open_counters().label("open_counters"),
        )
        .join(units_table, units_table.c.id == services.c.unit_id)
        .where(
            services.c.id == sa.bindparam("service_id"),
            services.c.unit_id == sa.bindparam("unit_id"),
        )
    )


_ISSUE_CONTEXT = {lane: _issue_context_query(lane) for lane in (True, False)}


_INSERT_TRANSITION = sa.insert(ticket_transitions)


def find_by_request(conn: Connection, *, unit_id: int, client_request_id: str) -> RowMapping | None:
    params = {"unit_id": unit_id, "request_id": client_request_id}
    return conn.execute(_BY_REQUEST, params).mappings().first()


def issue_ticket(
    conn: Connection,
    *,
    unit_id: int,
    service_id: int,
    actor: Actor,
    priority: bool = False,
    priority_reason: str | None = None,
    visit_id: int | None = None,
    client_request_id: str | None = None,
    now: datetime | None = None,
) -> tuple[RowMapping, bool]:
    """Issue a ticket; returns ``(ticket, created)``. A repeated request id returns the first."""
    issued = issue(
        conn,
        unit_id=unit_id,
        service_id=service_id,
        actor=actor,
        priority=priority,
        priority_reason=priority_reason,
        visit_id=visit_id,
        client_request_id=client_request_id,
        now=now,
        with_position=False,
    )
    return issued.ticket, issued.created


@dataclass(frozen=True)
class Issued:
    """A new (or retried) ticket and, when asked for, where it stood when issued."""

    ticket: RowMapping
    created: bool
    position: queue_reads.Position | None = None


def issue(
    conn: Connection,
    *,
    unit_id: int,
    service_id: int,
    actor: Actor,
    priority: bool = False,
    priority_reason: str | None = None,
    visit_id: int | None = None,
    client_request_id: str | None = None,
    now: datetime | None = None,
    with_position: bool = True,
) -> Issued:
    """Issue a ticket and read where it stands (people ahead, wait) in the same transaction.

    The position is read *before* the number is taken: on PostgreSQL the upsert on
    the per-service daily number row locks that row until commit, so every other
    kiosk issuing for the same service waits exactly as long as this transaction
    runs after it. Taking the number last keeps that to three inserts.
    A repeated request id returns the first ticket with no position (``created`` False).
    """
    if priority_reason is not None and priority_reason not in queue.PRIORITY_REASONS:
        raise InvalidInput(
            f"priority_reason must be one of {', '.join(queue.PRIORITY_REASONS)}.",
            code="invalid_priority_reason",
        )
    flagged = bool(priority or priority_reason)
    params = {"service_id": service_id, "unit_id": unit_id, "request_id": client_request_id}
    context = conn.execute(_ISSUE_CONTEXT[flagged], params).mappings().first()
    if context is not None and context["earlier_ticket_id"] is not None:
        return Issued(
            get_ticket(conn, unit_id=unit_id, ticket_id=context["earlier_ticket_id"]), False
        )
    if context is None:  # services are deactivated, never deleted: no earlier ticket either
        raise NotFound(f"Service {service_id} does not exist in this unit.", code="unknown_service")
    if not context["active"]:
        raise Conflict(f"Service {context['code']} is not open today.", code="service_inactive")
    moment = now or utcnow()
    position = None
    if with_position:
        ahead = int(context["people_ahead"])
        wait = queue_reads.estimated_wait(
            conn,
            {"unit_id": unit_id, "service_id": service_id},
            ahead=ahead,
            now=moment,
            settings=units.unit_settings(context),
            open_counters=int(context["open_counters"]),
        )
        position = queue_reads.Position(ahead, wait)
    day = local_day(moment, context["timezone"])
    seq = int(conn.execute(_SEQ_UPSERT, {"service_id": service_id, "day": day}).scalar_one())
    values = {
        "unit_id": unit_id,
        "service_id": service_id,
        "issued_service_id": service_id,
        "day": day,
        "seq": seq,
        "number": queue.format_number(context["prefix"], seq),
        "status": Status.WAITING.value,
        "priority": flagged,
        "priority_reason": priority_reason,
        "visit_id": visit_id,
        "client_request_id": client_request_id,
        "tracking_token": new_tracking_token(),
        "issued_at": moment,
        "queued_at": moment,
    }
    # A concurrent retry of the same request id (PostgreSQL only; SQLite holds the write
    # lock) fails on the unique constraint: the API answers 409 and the client retries.
    ticket = conn.execute(_INSERT_TICKET, values).mappings().one()
    _record(
        conn,
        ticket_id=ticket["id"],
        action=Action.ISSUE,
        before=None,
        after=Status.WAITING,
        actor=actor,
        counter_id=None,
        at=moment,
    )
    _emit(conn, ticket, event_names.TICKET_ISSUED, counter=None)
    return Issued(ticket, True, position)


def get_ticket(conn: Connection, *, unit_id: int, ticket_id: int) -> RowMapping:
    return get_in_unit(
        conn, tickets, unit_id=unit_id, row_id=ticket_id, what="Ticket", code="unknown_ticket"
    )


_COUNTER_SERVICES = sa.select(counter_services.c.service_id).where(
    counter_services.c.counter_id == sa.bindparam("counter_id")
)


def _waiting_head_query(priority: bool, skip_locked: bool) -> sa.Select[Any]:
    query = (
        sa.select(tickets)
        .where(
            tickets.c.unit_id == sa.bindparam("unit_id"),
            tickets.c.status == Status.WAITING.value,
            tickets.c.service_id.in_(_COUNTER_SERVICES),
            tickets.c.priority == priority,
            sa.or_(
                tickets.c.target_counter_id.is_(None),
                tickets.c.target_counter_id == sa.bindparam("counter_id"),
            ),
        )
        .order_by(tickets.c.queued_at, tickets.c.id)
        .limit(1)
    )
    return query.with_for_update(skip_locked=True) if skip_locked else query


# (priority lane, PostgreSQL?) -> the head-of-lane query, built once
_WAITING_HEAD = {
    (lane, pg): _waiting_head_query(lane, pg) for lane in (True, False) for pg in (True, False)
}
_MARK_CALLED = (
    sa.update(tickets)
    .where(tickets.c.id == sa.bindparam("ticket_id"), tickets.c.status == Status.WAITING.value)
    .values(
        status=Status.CALLED.value,
        counter_id=sa.bindparam("counter_id"),
        called_at=sa.bindparam("now"),
        recall_count=0,
        served_by_user_id=sa.bindparam("user_id"),
    )
    .returning(*tickets.c)
)
_SET_STREAK = (
    sa.update(counters)
    .where(counters.c.id == sa.bindparam("counter_id"))
    .values(priority_streak=sa.bindparam("streak"))
)


def _waiting_head(
    conn: Connection, *, unit_id: int, counter_id: int, priority: bool
) -> RowMapping | None:
    """The head of one lane among the services the counter serves."""
    query = _WAITING_HEAD[priority, conn.dialect.name == "postgresql"]
    params = {"unit_id": unit_id, "counter_id": counter_id}
    return conn.execute(query, params).mappings().first()


def _call_context_query(lock: bool) -> sa.Select[Any]:
    """What call-next reads before choosing, in one statement: the counter (locked on
    PostgreSQL, so two calls for one counter queue), its unit's settings, the ticket
    the counter still holds, if any, and how many services it serves."""
    held = (
        sa.select(tickets.c.number)
        .where(
            tickets.c.unit_id == sa.bindparam("unit_id"),  # ix_tickets_lane: unit, status
            tickets.c.counter_id == sa.bindparam("counter_id"),
            tickets.c.status.in_([s.value for s in queue.AT_COUNTER]),
        )
        .limit(1)
    )
    held_status = held.with_only_columns(tickets.c.status)
    query = (
        sa.select(
            counters,
            units_table.c.settings,  # the unit's (counters have none of their own)
            held.scalar_subquery().label("held_number"),
            held_status.scalar_subquery().label("held_status"),
            sa.select(sa.func.count())
            .select_from(_COUNTER_SERVICES.subquery())
            .scalar_subquery()
            .label("service_count"),
        )
        .join(units_table, units_table.c.id == counters.c.unit_id)
        .where(
            counters.c.id == sa.bindparam("counter_id"),
            counters.c.unit_id == sa.bindparam("unit_id"),
        )
    )
    return query.with_for_update(of=counters) if lock else query


_CALL_CONTEXT = {pg: _call_context_query(pg) for pg in (True, False)}


def call_next(
    conn: Connection, *, unit_id: int, counter_id: int, actor: Actor
) -> RowMapping | None:
    """Call the next ticket for a counter, or None when nobody waits for its services."""
    where = {"unit_id": unit_id, "counter_id": counter_id}
    counter = (
        conn.execute(_CALL_CONTEXT[conn.dialect.name == "postgresql"], where).mappings().first()
    )
    if counter is None:
        raise NotFound(f"Counter {counter_id} does not exist in this unit.", code="unknown_counter")
    if counter["paused"]:
        raise Conflict(
            f"Counter {counter['name']} is paused; resume it first.", code="counter_paused"
        )
    if not counter["service_count"]:
        raise Conflict(
            "This counter serves no service; choose its services first.",
            code="counter_without_services",
        )
    held = counter["held_number"]
    try:
        queue.ensure_counter_free(None if held is None else (held, Status(counter["held_status"])))
    except queue.CounterBusy as exc:
        raise Conflict(str(exc), code="counter_busy") from None
    settings = units.unit_settings(counter)
    rule = FairnessRule(max_priority_in_row=int(settings["max_priority_in_row"]))
    heads = {
        lane: _waiting_head(conn, unit_id=unit_id, counter_id=counter_id, priority=lane)
        for lane in (True, False)
    }
    lane = queue.choose_lane(
        priority_waiting=heads[True] is not None,
        regular_waiting=heads[False] is not None,
        streak=counter["priority_streak"],
        rule=rule,
    )
    if lane is None:
        return None
    chosen = heads[lane]
    assert chosen is not None
    now = utcnow()
    params = {
        "ticket_id": chosen["id"],
        "counter_id": counter_id,
        "now": now,
        "user_id": actor.user_id,
    }
    ticket = conn.execute(_MARK_CALLED, params).mappings().first()
    if ticket is None:  # pragma: no cover - excluded by the locks above
        raise Conflict("Another counter called this ticket first; try again.", code="lost_race")
    streak = queue.next_streak(counter["priority_streak"], lane)
    conn.execute(_SET_STREAK, {"counter_id": counter_id, "streak": streak})
    _record(
        conn,
        ticket_id=chosen["id"],
        action=Action.CALL,
        before=Status.WAITING,
        after=Status.CALLED,
        actor=actor,
        counter_id=counter_id,
        at=now,
    )
    _emit(conn, ticket, event_names.TICKET_CALLED, counter=counter)
    return ticket


_EVENT_FOR = {
    Action.RECALL: event_names.TICKET_RECALLED,
    Action.START: event_names.TICKET_STARTED,
    Action.FINISH: event_names.TICKET_FINISHED,
    Action.NO_SHOW: event_names.TICKET_NO_SHOW,
    Action.REQUEUE: event_names.TICKET_REQUEUED,
    Action.CANCEL: event_names.TICKET_CANCELLED,
    Action.TRANSFER: event_names.TICKET_TRANSFERRED,
}


def apply_action(
    conn: Connection,
    *,
    unit_id: int,
    ticket_id: int,
    action: Action,
    actor: Actor,
    counter_id: int | None = None,
    note: str | None = None,
) -> RowMapping:
    """Recall, start, finish, mark no-show, requeue or cancel a ticket."""
    if action in (Action.CALL, Action.ISSUE, Action.TRANSFER):
        raise ValueError(f"use the dedicated function for {action}")
    ticket = get_ticket(conn, unit_id=unit_id, ticket_id=ticket_id)
    before = Status(ticket["status"])
    try:
        after = queue.next_status(ticket["number"], before, action)
    except queue.TransitionError as exc:
        raise IllegalTransition(str(exc)) from exc
    if (
        counter_id is not None
        and ticket["counter_id"] is not None
        and ticket["counter_id"] != counter_id
        and action in (Action.RECALL, Action.START, Action.FINISH, Action.NO_SHOW)
    ):
        raise Conflict(
            f"Ticket {ticket['number']} is held by another counter.", code="held_elsewhere"
        )
    now = utcnow()
    values: dict[str, Any] = {"status": after.value}
    if action is Action.RECALL:
        max_recalls = int(_unit_settings(conn, unit_id)["max_recalls"])
        if not queue.recall_allowed(ticket["recall_count"], max_recalls):
            raise IllegalTransition(
                f"Ticket {ticket['number']} was recalled {ticket['recall_count']} times; "
                "mark it as no-show instead.",
                code="recall_limit",
            )
        values.update(recall_count=ticket["recall_count"] + 1, called_at=now)
    elif action is Action.NO_SHOW:
        recalls_first = int(_unit_settings(conn, unit_id)["recalls_before_no_show"])
        if not queue.no_show_allowed(ticket["recall_count"], recalls_first):
            raise IllegalTransition(
                f"Recall ticket {ticket['number']} at least {recalls_first} "
                "time(s) before marking it as no-show.",
                code="recall_first",
            )
    elif action is Action.START:
        values.update(started_at=now, served_by_user_id=actor.user_id)
    elif action is Action.FINISH:
        values.update(finished_at=now, note=note)
    elif action is Action.REQUEUE:
        values.update(counter_id=None, called_at=None, recall_count=0, target_counter_id=None)
    updated = _conditional_update(conn, ticket, before, values)
    _record(
        conn,
        ticket_id=ticket_id,
        action=action,
        before=before,
        after=after,
        actor=actor,
        counter_id=counter_id or ticket["counter_id"],
        at=now,
        note=note,
    )
    counter = _counter_row(conn, updated["counter_id"] or ticket["counter_id"])
    _emit(conn, updated, _EVENT_FOR[action], counter=counter)
    return updated


def _unit_settings(conn: Connection, unit_id: int) -> dict[str, Any]:
    return units.unit_settings(units.get_unit(conn, unit_id=unit_id))


def transfer(
    conn: Connection,
    *,
    unit_id: int,
    ticket_id: int,
    actor: Actor,
    service_id: int | None = None,
    counter_id: int | None = None,
    note: str | None = None,
) -> RowMapping:
    """Send a ticket to another service or counter; it keeps its arrival time and priority."""
    if (service_id is None) == (counter_id is None):
        raise InvalidInput("Transfer needs exactly one of service_id or counter_id.")
    ticket = get_ticket(conn, unit_id=unit_id, ticket_id=ticket_id)
    before = Status(ticket["status"])
    try:
        after = queue.next_status(ticket["number"], before, Action.TRANSFER)
    except queue.TransitionError as exc:
        raise IllegalTransition(str(exc)) from exc
    values: dict[str, Any] = {
        "status": after.value,
        "counter_id": None,
        "called_at": None,
        "recall_count": 0,
        "target_counter_id": None,
    }
    if service_id is not None:
        units.get_service(conn, unit_id=unit_id, service_id=service_id)
        values["service_id"] = service_id
    else:
        assert counter_id is not None
        units.get_counter(conn, unit_id=unit_id, counter_id=counter_id)
        values["target_counter_id"] = counter_id
    updated = _conditional_update(conn, ticket, before, values)
    now = utcnow()
    _record(
        conn,
        ticket_id=ticket_id,
        action=Action.TRANSFER,
        before=before,
        after=after,
        actor=actor,
        counter_id=ticket["counter_id"],
        at=now,
        note=note,
    )
    _emit(conn, updated, event_names.TICKET_TRANSFERRED, counter=_counter_row(conn, counter_id))
    return updated


# One statement for every state change: the SET clause comes from the keys of the
# values given (SQLAlchemy compiles and caches one form per set of keys).
_UPDATE_IF_STATUS = (
    sa.update(tickets)
    .where(tickets.c.id == sa.bindparam("ticket_id"), tickets.c.status == sa.bindparam("before"))
    .returning(*tickets.c)
)


def _conditional_update(
    conn: Connection, ticket: RowMapping, before: Status, values: dict[str, Any]
) -> RowMapping:
    """Apply ``values`` if the ticket is still ``before``; the updated row."""
    params = {**values, "ticket_id": ticket["id"], "before": before.value}
    updated = conn.execute(_UPDATE_IF_STATUS, params).mappings().first()
    if updated is None:  # pragma: no cover - excluded by the write lock
        raise Conflict(f"Ticket {ticket['number']} changed meanwhile; reload.", code="lost_race")
    return updated


def _record(
    conn: Connection,
    *,
    ticket_id: int,
    action: Action,
    before: Status | None,
    after: Status,
    actor: Actor,
    counter_id: int | None,
    at: datetime,
    note: str | None = None,
) -> None:
    conn.execute(
        _INSERT_TRANSITION,
        {
            "ticket_id": ticket_id,
            "action": action.value,
            "from_status": before.value if before else None,
            "to_status": after.value,
            "user_id": actor.user_id,
            "device_id": actor.device_id,
            "counter_id": counter_id,
            "at": at,
            "note": note,
        },
    )


def _counter_row(conn: Connection, counter_id: int | None) -> RowMapping | None:
    if counter_id is None:
        return None
    return first_row(conn, counters, id=counter_id)


def event_ticket(ticket: RowMapping) -> dict[str, Any]:
    """The part of a ticket that goes into events: no token, no personal data."""
    return {
        "id": ticket["id"],
        "number": ticket["number"],
        "service_id": ticket["service_id"],
        "status": ticket["status"],
        "priority": ticket["priority"],
        "counter_id": ticket["counter_id"],
    }


def _emit(conn: Connection, ticket: RowMapping, type: str, *, counter: RowMapping | None) -> None:
    payload = {
        "ticket": event_ticket(ticket),
        "counter": (
            {"id": counter["id"], "number": counter["number"], "name": counter["name"]}
            if counter is not None
            else None
        ),
        "at": utcnow().isoformat(),
    }
    events.emit(conn, unit_id=ticket["unit_id"], type=type, payload=payload)


# --- personal data in staff notes ------------------------------------------------------
# A staff note on a ticket or one of its state changes ("visitor came back with the
# letter", a transfer reason) is free text that may name the visitor: retention clears
# notes older than the guestbook's period, erasure clears those of the visitor's tickets.


def clear_notes_before(conn: Connection, *, cutoff: datetime, batch: int) -> int:
    """Clear up to ``batch`` notes of tickets issued before ``cutoff`` (and of their
    state changes); how many rows changed."""
    old = (
        sa.select(tickets.c.id)
        .where(tickets.c.issued_at < cutoff)
        .where(
            sa.or_(
                tickets.c.note.is_not(None),
                tickets.c.id.in_(
                    sa.select(ticket_transitions.c.ticket_id).where(
                        ticket_transitions.c.note.is_not(None)
                    )
                ),
            )
        )
        .limit(batch)
    )
    ids = list(conn.execute(old).scalars())
    return _clear_notes(conn, ids) if ids else 0


def count_notes_before(conn: Connection, *, cutoff: datetime) -> int:
    """Notes :func:`clear_notes_before` would clear (tickets and state changes)."""
    on_tickets = sa.select(sa.func.count()).where(
        tickets.c.issued_at < cutoff, tickets.c.note.is_not(None)
    )
    on_changes = (
        sa.select(sa.func.count())
        .select_from(
            ticket_transitions.join(tickets, tickets.c.id == ticket_transitions.c.ticket_id)
        )
        .where(tickets.c.issued_at < cutoff, ticket_transitions.c.note.is_not(None))
    )
    return int(conn.execute(on_tickets).scalar_one()) + int(conn.execute(on_changes).scalar_one())


def clear_notes_of_visits(conn: Connection, *, visit_ids: sa.Select[Any]) -> int:
    """Clear the notes of the tickets issued for ``visit_ids`` (a subquery)."""
    ids = list(
        conn.execute(sa.select(tickets.c.id).where(tickets.c.visit_id.in_(visit_ids))).scalars()
    )
    return _clear_notes(conn, ids) if ids else 0


def _clear_notes(conn: Connection, ticket_ids: list[int]) -> int:
    on_tickets = conn.execute(
        sa.update(tickets)
        .where(tickets.c.id.in_(ticket_ids), tickets.c.note.is_not(None))
        .values(note=None)
    ).rowcount
    on_changes = conn.execute(
        sa.update(ticket_transitions)
        .where(
            ticket_transitions.c.ticket_id.in_(ticket_ids), ticket_transitions.c.note.is_not(None)
        )
        .values(note=None)
    ).rowcount
    return int(on_tickets or 0) + int(on_changes or 0)
