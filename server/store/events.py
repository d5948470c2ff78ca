"""The event log behind the live stream (SSE): one row per queue change.

Events are written in the same transaction as the change they describe, so a
client that resumes from an event id never misses or invents a change, and
every server process reads the same log.

Ids are handed out in commit order per unit, so a stream that read id N can
never later meet a committed id below N. On PostgreSQL ids come from a
sequence at insert time, and two transactions may commit in the opposite
order of their ids; :func:`emit` therefore first takes a transaction-scoped
advisory lock for the unit (keyed by schema and unit id), so the next writer of
that unit takes its id only after this transaction has committed or rolled
back. SQLite needs nothing: its one write lock already orders ids and commits.
Rule for writers: emit after the transaction's last row lock (tickets,
counters and devices do; ``cases.recompute_due_dates`` does not yet), because
a transaction that locks a row after its event can deadlock with a writer of
the same unit that holds that row and waits for the event lock.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.database import mark_changed
from server.db.schema import events
from server.store.common import utcnow

_INSERT = sa.insert(events)
# Held until commit/rollback; re-entrant within the transaction. The schema is part of
# the key so that databases sharing one cluster (tests, staging) never wait on each other.
_UNIT_ID_LOCK = sa.text(
    "SELECT pg_advisory_xact_lock(hashtext('loket.events:' || current_schema()), :unit_id)"
)


def emit(conn: Connection, *, unit_id: int, type: str, payload: dict[str, Any]) -> None:
    """Record one change of ``unit_id``; later writers of the unit wait for this commit."""
    if conn.dialect.name == "postgresql":
        conn.execute(_UNIT_ID_LOCK, {"unit_id": unit_id})
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
