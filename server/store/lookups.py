"""Staff alerts about the returning-visitor look-up (SQL only; the budget is in memory).

:func:`alert_over_budget` writes a ``device.alert`` event — the one the console
already shows for printers — naming the device or staff user that went over its
look-up budget. No identifier or personal value is in the event.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from server.db.schema import devices
from server.domain import events as event_names
from server.store import events
from server.store.common import utcnow


def alert_over_budget(
    conn: Connection,
    *,
    unit_id: int,
    device_id: int | None,
    username: str | None,
    limit: int,
    window_seconds: float,
) -> None:
    """Tell the unit's consoles that a caller exceeded its look-up budget."""
    device: dict[str, object] = {"id": None, "name": username, "kind": "user"}
    if device_id is not None:
        row = conn.execute(
            sa.select(devices.c.id, devices.c.name, devices.c.kind).where(devices.c.id == device_id)
        ).first()
        if row is not None:
            device = {"id": row.id, "name": row.name, "kind": row.kind}
    events.emit(
        conn,
        unit_id=unit_id,
        type=event_names.DEVICE_ALERT,
        payload={
            "ticket": None,
            "counter": None,
            "device": device,
            "printer": None,
            "lookup": {"limit": limit, "window_seconds": window_seconds},
            "at": utcnow().isoformat(),
        },
    )
