"""Period figures from the hand-counted month (tests/reports/month.py), on SQLite and PostgreSQL.

Counted by hand: 7 tickets in November (v1..v7); served v1, v2, v4, v5; no-show v3;
cancelled v6; waiting v7; priority v4. Waits (issue → call) 60, 120, 300, 600, 900 s:
median = 3rd of 5 = 300 s, p90 = 5th = 900 s. Service times 300, 600, 900, 1200 s:
median = 2nd of 4 = 600 s, p90 = 4th = 1200 s.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from server.db.database import Database
from server.domain import reports as rules
from server.store import reports as store
from server.store import units
from tests.reports.month import choices

NOV = (date(2026, 11, 1), date(2026, 11, 30))


def figures(db: Database, unit_id: int) -> dict[str, Any]:
    with db.read() as conn:
        return store.period_figures(
            conn, unit_id=unit_id, start=NOV[0], end=NOV[1], timezone="Asia/Jakarta"
        )


def tables(db: Database, unit_id: int) -> dict[str, rules.Table]:
    period = rules.period_of("month", date(2026, 11, 15))
    return {t.id: t for t in rules.build_period_tables(figures(db, unit_id), period)}


def test_month_totals_and_percentiles(db: Database, month: dict[str, Any]) -> None:
    f = figures(db, month["unit_id"])
    totals = f["totals"]
    assert {k: totals[k] for k in ("tickets", "served", "no_show", "cancelled", "priority")} == {
        "tickets": 7,
        "served": 4,
        "no_show": 1,
        "cancelled": 1,
        "priority": 1,
    }
    t = totals["times"]
    assert round(t["wait_median"]) == 300 and round(t["wait_p90"]) == 900
    assert round(t["service_median"]) == 600 and round(t["service_p90"]) == 1200
    summary = dict(tables(db, month["unit_id"])["summary"].rows)
    assert summary["no_show_rate"] == 20.0  # 1 / (4 served + 1 no-show)
    assert summary["priority_share"] == 14.3  # 1 / 7
    assert summary["wait_median"] == 5.0 and summary["wait_p90"] == 15.0
    assert summary["service_median"] == 10.0 and summary["service_p90"] == 20.0
    assert summary["visits"] == 7 and summary["returning"] == 1 and summary["first_time"] == 6


def test_month_per_service_counter_and_staff(db: Database, month: dict[str, Any]) -> None:
    tb = tables(db, month["unit_id"])
    services = {row[0]["id"]: row[1:] for row in tb["services"].rows}
    # tickets, served, no_show, cancelled, no-show rate, priority, priority share
    assert services["Perpustakaan"] == [2, 2, 0, 0, 0.0, 0, 0.0]
    assert services["Konsultasi Statistik"] == [3, 2, 1, 0, 33.3, 1, 33.3]
    assert services["Penjualan Produk Statistik"] == [1, 0, 0, 1, None, 0, 0.0]
    assert services["Rekomendasi Kegiatan Statistik"] == [1, 0, 0, 0, None, 0, 0.0]
    times = {row[0]["id"]: row[1:] for row in tb["service_times"].rows}
    # served, wait median, wait p90, service median, service p90 (minutes)
    assert times["Perpustakaan"] == [2, 2.0, 5.0, 5.0, 10.0]  # waits 120, 300; service 300, 600
    assert times["Konsultasi Statistik"] == [2, 10.0, 15.0, 15.0, 20.0]  # waits 60, 600, 900
    assert times["Penjualan Produk Statistik"] == [0, None, None, None, None]
    counters = {row[0]: row[1:] for row in tb["counter_times"].rows}
    assert counters == {
        "Loket 1": [3, 5.0, 15.0, 10.0, 15.0],  # waits 120, 300, 900; service 300, 600, 900
        "Loket 2": [1, 1.0, 10.0, 20.0, 20.0],  # waits 60, 600; service 1200
    }
    staff = {row[0]: row[1:] for row in tb["staff_times"].rows}
    assert staff == {"Petugas 1": counters["Loket 1"], "Petugas 2": counters["Loket 2"]}


def test_month_days_heatmap_and_local_day_edges(db: Database, month: dict[str, Any]) -> None:
    tb = tables(db, month["unit_id"])
    daily = tb["daily"].rows
    assert len(daily) == 30  # every day of the month, zeros included
    assert daily[:5] == [
        [date(2026, 11, 1), 1, 0],  # 06:00 local = 31 Oct 23:00 UTC, still November here
        [date(2026, 11, 2), 3, 2],
        [date(2026, 11, 3), 1, 1],
        [date(2026, 11, 4), 1, 1],
        [date(2026, 11, 5), 0, 0],
    ]
    assert daily[-1] == [date(2026, 11, 30), 1, 0]  # 1 Dec 00:30 local (30 Nov UTC) is not
    assert sum(row[1] for row in daily) == 7
    heat = tb["heatmap"]
    hours = [c.key for c in heat.columns[1:]]
    assert hours[0] == "h06" and hours[-1] == "h23"
    grid = {row[0]: dict(zip(hours, row[1:], strict=True)) for row in heat.rows}
    assert grid["mon"]["h08"] == 2 and grid["mon"]["h09"] == 1 and grid["mon"]["h23"] == 1
    assert grid["tue"]["h10"] == 1 and grid["wed"]["h10"] == 1 and grid["sun"]["h06"] == 1
    assert sum(sum(v for v in row[1:]) for row in heat.rows) == 7


def test_profile_breakdowns_hide_cells_under_three(db: Database, month: dict[str, Any]) -> None:
    tb = tables(db, month["unit_id"])
    assert dict(tb["sex"].rows) == {"female": 5, "male": "< 3"}
    purposes = choices("purpose")
    assert dict(tb["purpose"].rows) == {purposes[0]: 5, purposes[1]: "< 3"}
    assert dict(tb["age_group"].rows) == {choices("age_group")[1]: 7}
    assert dict(tb["visitor_type"].rows) == {"first_time": 6, "returning": "< 3"}
    for table in tb.values():
        for row in table.rows:
            assert 1 not in row[1:] or table.id not in rules.PROFILE_FIELDS


def test_today_figures(db: Database, month: dict[str, Any]) -> None:
    unit_id = month["unit_id"]
    with db.write() as conn:
        staff_id = conn.exec_driver_sql("SELECT id FROM users WHERE username = 'petugas1'").scalar()
        units.set_counter_staff(
            conn, unit_id=unit_id, counter_id=month["counters"][1], user_id=staff_id
        )
    now = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # v7 (R) has waited 30 minutes
    with db.read() as conn:
        today = store.today_figures(conn, unit_id=unit_id, day=date(2026, 11, 2), now=now)
    by = {s["prefix"]: s for s in today["services"]}
    assert (by["P"]["issued"], by["P"]["served"], by["P"]["no_show"]) == (2, 2, 0)
    assert round(by["P"]["wait_median_seconds"]) == 120  # 1st of (120, 300)
    assert (by["K"]["issued"], by["K"]["no_show"], round(by["K"]["wait_longest_seconds"])) == (
        1,
        1,
        600,
    )
    assert by["R"]["waiting"] == 1 and round(by["R"]["wait_longest_seconds"]) == 1800
    counters = {c["number"]: c for c in today["counters"]}
    assert counters[1]["staff"] == "Petugas 1" and counters[1]["state"] == "idle"
    assert counters[2]["staff"] is None
