"""Device heartbeats and the printer alert they may raise.

The heartbeat and its ``device.alert`` event are written in one transaction;
whether a report is an alert is decided by :func:`server.domain.devices.printer_alert`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from server.domain import events as event_names
from server.domain.devices import printer_alert
from server.store import accounts, events
from server.store.common import utcnow


def record_heartbeat(
    conn: Connection, *, unit_id: int, device_id: int, printer: dict[str, Any] | None
) -> bool:
    """Store a device's heartbeat; emit ``device.alert`` if its printer newly needs staff.

    Returns whether an alert was emitted.
    """
    status = {"printer": printer} if printer else None
    previous = accounts.record_heartbeat(conn, device_id=device_id, status=status)
    before = (previous["status"] or {}).get("printer") or {}
    now = printer or {}
    if not printer_alert(before, now):
        return False
    events.emit(
        conn,
        unit_id=unit_id,
        type=event_names.DEVICE_ALERT,
        payload={
            "ticket": None,
            "counter": None,
            "device": {"id": previous["id"], "name": previous["name"], "kind": previous["kind"]},
            "printer": now,
            "at": utcnow().isoformat(),
        },
    )
    return True
