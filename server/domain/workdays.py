"""The working-day clock: which days count, and when a promise falls due.

Working days are Monday to Friday minus Indonesia's national holidays and joint
leave (cuti bersama), taken from the ``holidays`` package (categories
``public`` and ``government``), adjusted by the unit's own calendar: *added*
days are extra days off (a new joint-leave day, an office closure), *removed*
days are package holidays the office works after all (an estimated Islamic
date that moved). Day 1 of a clock is the first working day after its start,
so a form handed in on 2026-03-02 with 30 working days is due 2026-04-21.
Pure: no I/O, no clock reads; the caller passes the dates in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

CATEGORIES = ("public", "government")
MAX_DAYS = 3660  # a clock longer than ten years is an input error, not a plan


@cache
def package_holidays(year: int, lang: str = "id") -> dict[date, str]:
    """National holidays and joint leave of ``year`` as the package lists them (named in ``lang``)."""
    # imported here: the package's country tables load only once a calendar is computed
    import holidays

    language = "en_US" if lang == "en" else "id"
    table = holidays.country_holidays("ID", years=year, categories=CATEGORIES, language=language)
    return {day: str(name) for day, name in sorted(table.items())}


@dataclass(frozen=True)
class WorkCalendar:
    """The package's holidays adjusted by a unit's additions and removals."""

    added: frozenset[date] = field(default_factory=frozenset)
    removed: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, added: Iterable[date] = (), removed: Iterable[date] = ()) -> WorkCalendar:
        return cls(frozenset(added), frozenset(removed))

    def is_holiday(self, day: date) -> bool:
        if day in self.added:
            return True
        if day in self.removed:
            return False
        return day in package_holidays(day.year)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)


def add_working_days(start: date, days: int, calendar: WorkCalendar) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    if days < 0 or days > MAX_DAYS:
        raise ValueError(f"days must be between 0 and {MAX_DAYS}")
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            left -= 1
    return current


def working_days_left(today: date, due: date, calendar: WorkCalendar) -> int:
    """Working days from ``today`` (exclusive) to ``due`` (inclusive); negative when overdue."""
    if due >= today:
        return _count(today, due, calendar)
    return -_count(due, today, calendar)


def _count(start: date, end: date, calendar: WorkCalendar) -> int:
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            count += 1
    return count


@dataclass(frozen=True)
class DayOff:
    """One day of a year's calendar as the admin page shows it."""

    day: date
    name: str
    source: str  # "package" | "unit"
    removed: bool = False


def year_calendar(
    year: int, calendar: WorkCalendar, names: dict[date, str] | None = None, lang: str = "id"
) -> list[DayOff]:
    """The year's days off: the package's (marked when the unit removed them) and the unit's."""
    names = names or {}
    rows = [
        DayOff(day, name, "package", removed=day in calendar.removed)
        for day, name in package_holidays(year, lang).items()
    ]
    listed = {r.day for r in rows}
    rows += [
        DayOff(day, names.get(day, ""), "unit")
        for day in calendar.added
        if day.year == year and day not in listed
    ]
    return sorted(rows, key=lambda r: r.day)


def clock_state(days_left: int | None, near_days: int) -> str:
    """``overdue`` past the due date, ``near`` within ``near_days`` of it, else ``ok``."""
    if days_left is None:
        return "ok"
    if days_left < 0:
        return "overdue"
    if days_left <= near_days:
        return "near"
    return "ok"
