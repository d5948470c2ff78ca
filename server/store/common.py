"""Small helpers shared by the store modules: the clock and the acting identity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import CursorResult


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
