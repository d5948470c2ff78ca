"""State changes write their own events, in their own transaction (not the routes):
the printer alert of a heartbeat and ``counter.updated``."""

from __future__ import annotations

import time
from typing import Any

from server.db.database import Database
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
