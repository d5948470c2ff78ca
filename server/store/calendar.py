"""The unit's own working-day calendar: days off added to, or removed from, the
national list the ``holidays`` package provides.

A change here moves open cases' due dates; the caller runs
:func:`server.store.cases.recompute_due_dates` in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.cases_schema import calendar_days
from server.domain.workdays import WorkCalendar
from server.errors import NotFound

CHANGES = ("add", "remove")


def work_calendar(conn: Connection, *, unit_id: int) -> WorkCalendar:
    rows = conn.execute(
        sa.select(calendar_days.c.day, calendar_days.c.change).where(
            calendar_days.c.unit_id == unit_id
        )
    ).all()
    return WorkCalendar.of(
        added=[r.day for r in rows if r.change == "add"],
        removed=[r.day for r in rows if r.change == "remove"],
    )


def list_changes(conn: Connection, *, unit_id: int, year: int | None = None) -> list[RowMapping]:
    query = sa.select(calendar_days).where(calendar_days.c.unit_id == unit_id)
    if year is not None:
        query = query.where(
            calendar_days.c.day >= date(year, 1, 1), calendar_days.c.day <= date(year, 12, 31)
        )
    return list(conn.execute(query.order_by(calendar_days.c.day)).mappings())


def set_day(
    conn: Connection,
    *,
    unit_id: int,
    day: date,
    change: str,
    name: str,
    user_id: int | None,
    now: datetime,
) -> None:
    """Record that ``day`` is a day off (``add``) or a working day (``remove``) for this unit."""
    if change not in CHANGES:
        raise ValueError(change)
    conn.execute(
        sa.delete(calendar_days).where(
            calendar_days.c.unit_id == unit_id, calendar_days.c.day == day
        )
    )
    conn.execute(
        sa.insert(calendar_days).values(
            unit_id=unit_id, day=day, change=change, name=name, user_id=user_id, created_at=now
        )
    )


def clear_day(conn: Connection, *, unit_id: int, day: date) -> None:
    """Undo the unit's change of ``day`` (back to the national list)."""
    result = conn.execute(
        sa.delete(calendar_days).where(
            calendar_days.c.unit_id == unit_id, calendar_days.c.day == day
        )
    )
    if not result.rowcount:
        raise NotFound(
            f"The unit has no calendar change on {day.isoformat()}.", code="day_not_found"
        )
