"""The event log behind the live stream (SSE): one row per queue change.

Events are written in the same transaction as the change they describe, so a
client that resumes from an event id never misses or invents a change, and
every server process reads the same log.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.database import mark_changed
from server.db.schema import events
from server.store.common import utcnow

_INSERT = sa.insert(events)


def emit(conn: Connection, *, unit_id: int, type: str, payload: dict[str, Any]) -> None:
    params = {"unit_id": unit_id, "type": type, "payload": payload, "created_at": utcnow()}
    conn.execute(_INSERT, params)
    mark_changed(conn, unit_id)


def events_after(
    conn: Connection, *, unit_id: int, after_id: int, limit: int = 500
) -> list[RowMapping]:
    query = (
        sa.select(events)
        .where(events.c.unit_id == unit_id, events.c.id > after_id)
        .order_by(events.c.id)
        .limit(limit)
    )
    return list(conn.execute(query).mappings())


def last_event_id(conn: Connection, *, unit_id: int) -> int:
    query = sa.select(sa.func.max(events.c.id)).where(events.c.unit_id == unit_id)
    return int(conn.execute(query).scalar() or 0)
