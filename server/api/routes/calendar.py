"""The unit's working-day calendar (mounted under /api/v1): the national list
plus the office's additions and removals. A change moves open cases' due dates
(each move recorded on its case) in the same transaction.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Path

from server.api.deps import Admin, DbDep, StaffUser
from server.api.schemas.cases import (
    CalendarChangeIn,
    CalendarChangeOut,
    CalendarDayOut,
    CalendarOut,
    DueOut,
)
from server.domain.workdays import MAX_DAYS, add_working_days, year_calendar
from server.errors import InvalidInput
from server.i18n import normalise_language
from server.store import calendar
from server.store import cases as case_store
from server.store.common import utcnow

router = APIRouter(tags=["calendar"])
MIN_YEAR, MAX_YEAR = 2000, 2100


def _year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(f"The year must be between {MIN_YEAR} and {MAX_YEAR}.", code="bad_year")
    return year


@router.get("/calendar/{year}")
def get_year(year: int, principal: StaffUser, db: DbDep, lang: str = "id") -> CalendarOut:
    _year(year)
    with db.read() as conn:
        cal = calendar.work_calendar(conn, unit_id=principal.unit_id)
        names = {
            r["day"]: r["name"]
            for r in calendar.list_changes(conn, unit_id=principal.unit_id, year=year)
        }
    return CalendarOut(
        year=year,
        days=[
            CalendarDayOut(
                day=d.day, name=names.get(d.day) or d.name, source=d.source, removed=d.removed
            )
            for d in year_calendar(year, cal, names, normalise_language(lang))
        ],
    )


@router.put("/calendar/days/{day}")
def change_day(day: date, body: CalendarChangeIn, principal: Admin, db: DbDep) -> CalendarChangeOut:
    _year(day.year)
    now = utcnow()
    with db.write() as conn:
        calendar.set_day(
            conn,
            unit_id=principal.unit_id,
            day=day,
            change=body.change,
            name=body.name,
            user_id=principal.user_id,
            now=now,
        )
        moved = case_store.recompute_due_dates(
            conn,
            unit_id=principal.unit_id,
            now=now,
            reason=f"{day.isoformat()} {'day off' if body.change == 'add' else 'working day'}",
        )
    return CalendarChangeOut(day=day, moved=moved)


@router.delete("/calendar/days/{day}")
def clear_day(day: date, principal: Admin, db: DbDep) -> CalendarChangeOut:
    now = utcnow()
    with db.write() as conn:
        calendar.clear_day(conn, unit_id=principal.unit_id, day=day)
        moved = case_store.recompute_due_dates(
            conn, unit_id=principal.unit_id, now=now, reason=f"{day.isoformat()} change undone"
        )
    return CalendarChangeOut(day=day, moved=moved)


@router.get("/calendar/due/{start}/{days}")
def due_date(
    start: date, principal: StaffUser, db: DbDep, days: int = Path(ge=0, le=MAX_DAYS)
) -> DueOut:
    _year(start.year)
    with db.read() as conn:
        cal = calendar.work_calendar(conn, unit_id=principal.unit_id)
    return DueOut(start=start, days=days, due=add_working_days(start, days, cal))
