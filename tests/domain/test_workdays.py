"""The working-day clock against the service standard's worked examples and the
2026 calendar (Nyepi, Lebaran, Christmas/New Year), weekends and unit changes."""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.workdays import (
    WorkCalendar,
    add_working_days,
    clock_state,
    package_holidays,
    working_days_left,
    year_calendar,
)

PLAIN = WorkCalendar()


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 3, 2), 30, date(2026, 4, 21)),  # domain.md worked example (Nyepi + Lebaran)
        (date(2025, 3, 20), 30, date(2025, 5, 16)),  # domain.md worked example
        # Nyepi 18-19 Mar and Lebaran 20-24 Mar 2026: Tue 17 Mar + 1 skips to Wed 25 Mar
        (date(2026, 3, 17), 1, date(2026, 3, 25)),
        # Christmas 24-25 Dec 2026 (Thu, Fri) and New Year 1 Jan 2027 (Fri)
        (date(2026, 12, 23), 1, date(2026, 12, 28)),
        (date(2026, 12, 23), 5, date(2027, 1, 4)),
        # a weekend start: Saturday 7 Mar 2026 → day 1 is Monday 9 Mar
        (date(2026, 3, 7), 1, date(2026, 3, 9)),
        (date(2026, 3, 8), 5, date(2026, 3, 13)),
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
    ],
)
def test_due_dates(start: date, days: int, due: date) -> None:
    assert add_working_days(start, days, PLAIN) == due


def test_package_has_nyepi_lebaran_and_joint_leave_2026() -> None:
    days = package_holidays(2026)
    assert date(2026, 3, 19) in days  # Nyepi
    assert date(2026, 3, 21) in days  # Idul Fitri
    assert date(2026, 3, 23) in days and date(2026, 3, 24) in days  # cuti bersama
    assert date(2026, 12, 24) in days  # Christmas joint leave


def test_unit_addition_and_removal_move_the_due_date() -> None:
    base = add_working_days(date(2026, 3, 2), 30, PLAIN)
    extra_day_off = WorkCalendar.of(added=[date(2026, 4, 7)])
    assert add_working_days(date(2026, 3, 2), 30, extra_day_off) == date(2026, 4, 22)
    # the office works on the estimated Lebaran joint-leave day 24 Mar
    works = WorkCalendar.of(removed=[date(2026, 3, 24)])
    assert add_working_days(date(2026, 3, 2), 30, works) == date(2026, 4, 20)
    assert base == date(2026, 4, 21)
    # removing a weekend date does not make a Saturday a working day
    assert not WorkCalendar.of(removed=[date(2026, 3, 7)]).is_working_day(date(2026, 3, 7))


def test_days_left_and_state() -> None:
    due = date(2026, 4, 21)
    assert working_days_left(date(2026, 4, 14), due, PLAIN) == 5
    assert working_days_left(due, due, PLAIN) == 0
    assert working_days_left(date(2026, 4, 23), due, PLAIN) == -2
    assert clock_state(6, 5) == "ok"
    assert clock_state(5, 5) == "near"
    assert clock_state(-1, 5) == "overdue"


def test_year_calendar_lists_package_and_unit_days() -> None:
    cal = WorkCalendar.of(added=[date(2026, 7, 1)], removed=[date(2026, 3, 24)])
    rows = year_calendar(2026, cal, {date(2026, 7, 1): "Office closed"})
    by_day = {r.day: r for r in rows}
    assert by_day[date(2026, 7, 1)].source == "unit"
    assert by_day[date(2026, 7, 1)].name == "Office closed"
    assert by_day[date(2026, 3, 24)].removed is True
    assert by_day[date(2026, 3, 19)].source == "package"


def test_refuses_absurd_lengths() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1, PLAIN)


def test_holiday_names_in_both_languages() -> None:
    assert package_holidays(2026)[date(2026, 3, 19)] == "Hari Suci Nyepi"
    assert package_holidays(2026, "en")[date(2026, 3, 19)] == "Day of Silence"
    assert set(package_holidays(2026)) == set(package_holidays(2026, "en"))
