"""Read-only queries the web pages need and the store does not offer.

SQLAlchemy Core against :mod:`server.db.schema`; no HTTP here. Each function
takes a connection and keyword-only arguments and returns plain dicts.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from server.db.schema import tickets


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
        .where(tickets.c.unit_id == unit_id, tickets.c.day == day, tickets.c.status == "no_show")
        .order_by(tickets.c.called_at.desc(), tickets.c.id.desc())
        .limit(limit)
    )
    return [dict(row) for row in conn.execute(query).mappings()]
