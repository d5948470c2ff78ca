"""Small helpers shared by the store modules: the clock, the acting identity, row look-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, CursorResult, RowMapping

from server.errors import NotFound


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (never a value fixed at start-up)."""
    return datetime.now(UTC)


def as_aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for UTC values; make them aware again."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Actor:
    """Who performs a change: a staff user, a device, or the system (both None)."""

    user_id: int | None = None
    device_id: int | None = None


def inserted_id(result: CursorResult[Any]) -> int:
    """The primary key of the row an INSERT just wrote."""
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - every table has an integer key
        raise RuntimeError("INSERT returned no primary key")
    return int(key[0])


def first_row(conn: Connection, table: sa.Table, **equal: Any) -> RowMapping | None:
    """The first row of ``table`` whose named columns equal the given values, if any."""
    query = sa.select(table).where(*(table.c[name] == value for name, value in equal.items()))
    return conn.execute(query).mappings().first()


def get_in_unit(
    conn: Connection,
    table: sa.Table,
    *,
    unit_id: int,
    row_id: int,
    what: str,
    code: str,
    for_update: bool = False,
) -> RowMapping:
    """Row ``row_id`` of ``table`` if it belongs to ``unit_id``; :class:`NotFound` otherwise.

    ``what`` names the row in the message ("Ticket 7 does not exist in this unit.");
    ``for_update`` locks it on PostgreSQL (SQLite's write transaction already does).
    """
    query = sa.select(table).where(table.c.id == row_id, table.c.unit_id == unit_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).mappings().first()
    if row is None:
        raise NotFound(f"{what} {row_id} does not exist in this unit.", code=code)
    return row
