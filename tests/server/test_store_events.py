"""State changes write their own events, in their own transaction (not the routes):
the printer alert of a heartbeat and ``counter.updated``."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa

from server.db.database import Database
from server.db.schema import events as events_table
from server.domain.events import Cursor
from server.store import accounts, counters, devices, events
from tests.server.conftest import Unit

OK = {"online": True, "paper": "ok", "error": None}
OUT = {"online": True, "paper": "out", "error": None}
OFFLINE = {"online": False, "paper": "unknown", "error": "timeout"}


def _events(db: Database, unit_id: int, after: Cursor) -> list[dict[str, Any]]:
    """The unit's events after ``after`` once none is held back (on PostgreSQL a
    committed event waits while an older transaction of the cluster still runs)."""
    deadline = time.monotonic() + 10
    while True:
        with db.read() as conn:
            batch = events.events_after(conn, unit_id=unit_id, after=after)
        if not batch.held or time.monotonic() > deadline:
            return batch.rows
        time.sleep(0.02)


def _device_id(db: Database, unit: Unit) -> int:
    with db.read() as conn:
        return next(
            d["id"] for d in accounts.list_devices(conn, unit_id=unit.id) if d["kind"] == "kiosk"
        )


def test_a_printer_alert_is_raised_once_per_new_fault(db: Database, unit: Unit) -> None:
    device_id = _device_id(db, unit)
    with db.read() as conn:
        start = events.start_cursor(conn, unit_id=unit.id)
    raised = []
    for printer in (OK, OUT, OUT, OFFLINE, OK, None, OUT):
        with db.write() as conn:
            raised.append(
                devices.record_heartbeat(
                    conn, unit_id=unit.id, device_id=device_id, printer=printer
                )
            )
    assert raised == [False, True, False, True, False, False, True]
    alerts = _events(db, unit.id, start)
    assert [e["type"] for e in alerts] == ["device.alert"] * 3
    assert [e["payload"]["printer"] for e in alerts] == [OUT, OFFLINE, OUT]
    assert alerts[0]["payload"]["device"]["kind"] == "kiosk"
    with db.read() as conn:
        stored = next(
            d for d in accounts.list_devices(conn, unit_id=unit.id) if d["id"] == device_id
        )
    assert stored["status"] == {"printer": OUT} and stored["last_seen_at"] is not None


def test_counter_changes_carry_their_event(db: Database, unit: Unit) -> None:
    counter_id = unit.counter_ids[0]
    with db.read() as conn:
        start = events.start_cursor(conn, unit_id=unit.id)
    with db.write() as conn:
        chosen = counters.choose_services(
            conn,
            unit_id=unit.id,
            counter_id=counter_id,
            service_ids=unit.service_ids[:2],
            staff_user_id=None,
        )
        paused = counters.set_paused(conn, unit_id=unit.id, counter_id=counter_id, paused=True)
    assert chosen["service_ids"] == sorted(unit.service_ids[:2]) and not chosen["paused"]
    assert paused["paused"]
    changes = _events(db, unit.id, start)
    assert [e["type"] for e in changes] == ["counter.updated", "counter.updated"]
    assert changes[1]["payload"]["paused"] is True
    assert changes[1]["payload"]["service_ids"] == sorted(unit.service_ids[:2])
    assert changes[0]["payload"]["counter"]["id"] == counter_id


def test_rows_written_before_migration_0012_sort_first(db: Database, unit: Unit) -> None:
    """Migration 0012 leaves existing rows ``tx = 0`` on PostgreSQL (they then sort in
    id order ahead of every new event, as the old per-unit lock committed them) and
    NULL on SQLite; an event written afterwards records its real transaction there."""
    from alembic import command

    from server.db.migrate import alembic_config, upgrade

    config = alembic_config()
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0010")
        conn.commit()
    with db.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO events (unit_id, type, payload, created_at) "
                "VALUES (:unit_id, 'ticket.called', '{\"n\": \"old\"}', CURRENT_TIMESTAMP)"
            ),
            {"unit_id": unit.id},
        )
    upgrade(db.engine)
    with db.write() as conn:
        events.emit(conn, unit_id=unit.id, type="ticket.called", payload={"n": "new"})
    with db.read() as conn:
        rows = conn.execute(
            sa.select(events_table.c.payload, events_table.c.tx)
            .where(events_table.c.unit_id == unit.id)
            .order_by(events_table.c.id)
        ).all()
    tx = {row.payload.get("n"): row.tx for row in rows}
    if db.is_postgres:
        assert tx["old"] == 0 and tx["new"] > 0
        assert all(row.tx is not None for row in rows)  # the index covers every row
        names = [r["payload"].get("n") for r in _events(db, unit.id, Cursor(0, 0))]
        assert names[-2:] == ["old", "new"]
    else:
        assert set(tx.values()) == {None}
