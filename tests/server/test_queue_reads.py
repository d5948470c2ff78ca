"""Queue reads stay bounded as history grows; event names come from one list.

Real SQLite file and PostgreSQL: the wait estimate reads only recent finished
tickets, through an index, and the API hands the browser the event names.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from server.db.database import Database
from server.db.schema import counter_services, counters, events, tickets
from server.domain import events as event_names
from server.store import queue_reads, units
from server.store import tickets as ticket_store
from server.store.common import Actor
from tests.server.conftest import Unit


def _finished(db: Database, unit: Unit, service: int, *, finished: datetime, minutes: int) -> None:
    with db.write() as conn:
        row, _ = ticket_store.issue_ticket(
            conn, unit_id=unit.id, service_id=service, actor=Actor(), now=finished
        )
        conn.execute(
            sa.update(tickets)
            .where(tickets.c.id == row["id"])
            .values(
                status="done",
                started_at=finished - timedelta(minutes=minutes),
                finished_at=finished,
            )
        )


def _open_counters(db: Database, service: int) -> int:
    with db.read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count())
                .select_from(counters.join(counter_services))
                .where(counter_services.c.service_id == service, counters.c.paused.is_(False))
            ).scalar_one()
        )


def test_wait_estimate_uses_only_recent_service_times(db: Database, unit: Unit) -> None:
    busy, stale = unit.service_ids[0], unit.service_ids[1]
    now = datetime.now(UTC)
    # A year-old history of slow visits on both services, then quick ones this week on one.
    for service in (busy, stale):
        for days in range(400, 300, -20):
            _finished(db, unit, service, finished=now - timedelta(days=days), minutes=60)
    for hours in (30, 20, 10):
        _finished(db, unit, busy, finished=now - timedelta(hours=hours), minutes=4)
    with db.write() as conn:
        waiting = {
            service: ticket_store.issue_ticket(
                conn, unit_id=unit.id, service_id=service, actor=Actor()
            )[0]
            for service in (busy, stale)
        }
        default = float(
            units.unit_settings(units.get_unit(conn, unit_id=unit.id))["default_service_minutes"]
        )
    with db.read() as conn:
        recent = queue_reads.estimated_wait(conn, waiting[busy], ahead=3, now=now)
        only_old = queue_reads.estimated_wait(conn, waiting[stale], ahead=3, now=now)
    assert recent == math.ceil(3 * 4 / max(1, _open_counters(db, busy)))
    # Nothing finished within the window: the unit's default, not the year-old 60 minutes.
    assert default != 60
    assert only_old == math.ceil(3 * default / max(1, _open_counters(db, stale)))


def test_recent_service_times_read_uses_the_index(db: Database, unit: Unit) -> None:
    """The wait estimate's read walks ix_tickets_service_finished, not the ticket history."""
    compiled = queue_reads._RECENT_DURATIONS.compile(dialect=db.engine.dialect)
    since: object = datetime.now(UTC) - queue_reads.RECENT_WINDOW
    if db.is_sqlite:
        since = "2026-01-01 00:00:00.000000"
    values = compiled.construct_params({"service_id": unit.service_ids[0], "since": since})
    with db.read() as conn:
        if db.is_sqlite:
            args = tuple(values[name] for name in compiled.positiontup or ())
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), args)
            text = " ".join(str(row[-1]) for row in plan)
        else:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = conn.exec_driver_sql("EXPLAIN " + str(compiled), values)
            text = " ".join(str(row[0]) for row in plan)
    assert "ix_tickets_service_finished" in text, text


@pytest.mark.parametrize("priority", [False, True])
def test_new_ticket_people_ahead_is_counted_from_the_lane_index(
    db: Database, unit: Unit, priority: bool
) -> None:
    """Issuing counts the service's waiting lane in ix_tickets_service_lane, reading no row
    (SQLite; PostgreSQL chooses its index by statistics)."""
    compiled = queue_reads._NEW_TICKET_AHEAD[priority].compile(dialect=db.engine.dialect)
    values = compiled.construct_params({"unit_id": unit.id, "service_id": unit.service_ids[0]})
    with db.read() as conn:
        if db.is_sqlite:
            args = tuple(values[name] for name in compiled.positiontup or ())
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), args)
            text = " ".join(str(row[-1]) for row in plan)
            assert "COVERING INDEX ix_tickets_service_lane" in text, text
        else:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = conn.exec_driver_sql("EXPLAIN " + str(compiled), values)
            text = " ".join(str(row[0]) for row in plan)
            # PostgreSQL picks among the service's indexes by its statistics: on a table
            # this small either is as cheap, but it must not scan the table.
            assert "Seq Scan" not in text and "ix_tickets_service_" in text, text


def test_new_ticket_people_ahead_matches_the_stored_ticket_read(db: Database, unit: Unit) -> None:
    """The cheap count for a ticket about to be issued equals the people-ahead read of
    the ticket once stored, with priority and regular tickets, called ones and other
    services in the queue."""
    service, other = unit.service_ids[0], unit.service_ids[1]
    with db.write() as conn:
        for i, (svc, prio) in enumerate(
            [(service, False), (service, True), (other, False), (service, False), (service, True)]
        ):
            ticket_store.issue_ticket(
                conn,
                unit_id=unit.id,
                service_id=svc,
                actor=Actor(),
                priority=prio,
                client_request_id=f"seed-{i}",
            )
        for prio in (False, True):
            issued = ticket_store.issue(
                conn, unit_id=unit.id, service_id=service, actor=Actor(), priority=prio
            )
            assert issued.position is not None
            assert issued.position.people_ahead == queue_reads.people_ahead(conn, issued.ticket)
            assert issued.position.people_ahead == (2 if prio else 4)


def test_event_names_come_from_one_list(
    client: TestClient, unit: Unit, kiosk: dict[str, str], db: Database
) -> None:
    response = client.get("/api/v1/events/types")
    assert response.status_code == 200
    assert response.json() == {"types": list(event_names.ALL)}
    issued = client.post("/api/v1/tickets", json={"service_id": unit.service_ids[0]}, headers=kiosk)
    assert issued.status_code == 201
    with db.read() as conn:
        types = set(conn.execute(sa.select(events.c.type)).scalars())
    assert types and types <= set(event_names.ALL)
    assert event_names.TICKET_ISSUED in types
