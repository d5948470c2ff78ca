"""Small helpers shared by the store modules: the clock, the acting identity, row look-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
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


@cache
def _select_where(
    table: sa.Table, names: tuple[str, ...], for_update: bool = False
) -> sa.Select[Any]:
    """``SELECT * FROM table WHERE name = :name AND ...``, built once per shape.

    Reusing one statement object lets SQLAlchemy skip rebuilding it and its
    cache key on every call; these look-ups run on every request.
    """
    query = sa.select(table).where(*(table.c[name] == sa.bindparam(name) for name in names))
    return query.with_for_update() if for_update else query


def first_row(conn: Connection, table: sa.Table, **equal: Any) -> RowMapping | None:
    """The first row of ``table`` whose named columns equal the given values, if any."""
    query = _select_where(table, tuple(sorted(equal)))
    return conn.execute(query, equal).mappings().first()


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
    lock = for_update and conn.dialect.name == "postgresql"
    query = _select_where(table, ("id", "unit_id"), lock)
    row = conn.execute(query, {"id": row_id, "unit_id": unit_id}).mappings().first()
    if row is None:
        raise NotFound(f"{what} {row_id} does not exist in this unit.", code=code)
    return row
