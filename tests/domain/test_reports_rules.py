"""Report rules: periods on local days, nearest-rank percentiles, "< 3" cells, device alerts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from server.domain import reports as rules


def test_periods_cover_whole_local_days() -> None:
    d = date(2026, 11, 18)  # a Wednesday
    assert rules.period_of("day", d) == rules.Period("day", d, d)
    week = rules.period_of("week", d)
    assert (week.start, week.end, week.label) == (
        date(2026, 11, 16),
        date(2026, 11, 22),
        "2026-W47",
    )
    month = rules.period_of("month", d)
    assert (month.start, month.end, month.days, month.label) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
        30,
        "2026-11",
    )
    feb = rules.period_of("month", date(2028, 2, 10))
    assert feb.end == date(2028, 2, 29)
    q = rules.period_of("quarter", d)
    assert (q.start, q.end, q.label) == (date(2026, 10, 1), date(2026, 12, 31), "2026-Q4")
    y = rules.period_of("year", d)
    assert (y.start, y.end, y.days, y.label) == (date(2026, 1, 1), date(2026, 12, 31), 365, "2026")
    r = rules.resolve_period("range", anchor=None, start=d, end=d + timedelta(days=2), today=d)
    assert (r.days, r.label) == (3, "2026-11-18_2026-11-20")
    assert rules.resolve_period("month", anchor=None, start=None, end=None, today=d) == month


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        ("range", date(2026, 11, 2), date(2026, 11, 1)),
        ("range", date(2026, 11, 2), None),
        ("range", date(2020, 1, 1), date(2026, 1, 1)),
        ("decade", None, None),
    ],
)
def test_bad_periods_are_refused(kind: str, start: date | None, end: date | None) -> None:
    with pytest.raises(rules.PeriodError):
        rules.resolve_period(kind, anchor=None, start=start, end=end, today=date(2026, 11, 1))


def test_nearest_rank() -> None:
    assert [rules.nearest_rank(50, n) for n in (0, 1, 2, 3, 4, 5)] == [0, 1, 1, 2, 2, 3]
    assert [rules.nearest_rank(90, n) for n in (1, 5, 10, 11, 100)] == [1, 5, 9, 10, 90]


def test_small_cells_are_suppressed() -> None:
    assert [rules.suppress(n) for n in (0, 1, 2, 3, 40)] == [0, "< 3", "< 3", 3, 40]
    assert rules.share(1, 3) == 33.3 and rules.share(1, 0) is None
    assert rules.minutes(90) == 1.5 and rules.minutes(None) is None


def test_device_alerts() -> None:
    now = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
    fresh = now - timedelta(seconds=30)
    devices = [
        {
            "name": "Kios A",
            "kind": "kiosk",
            "active": True,
            "last_seen_at": fresh,
            "status": {"printer": {"online": True, "paper": "ok"}},
        },
        {
            "name": "Kios B",
            "kind": "kiosk",
            "active": True,
            "last_seen_at": fresh,
            "status": {"printer": {"online": True, "paper": "out"}},
        },
        {
            "name": "Kios C",
            "kind": "kiosk",
            "active": True,
            "last_seen_at": fresh,
            "status": {"printer": {"online": False}},
        },
        {
            "name": "Papan",
            "kind": "board",
            "active": True,
            "last_seen_at": now - timedelta(minutes=5),
            "status": None,
        },
        {"name": "Lama", "kind": "kiosk", "active": False, "last_seen_at": None, "status": None},
        {"name": "Baru", "kind": "kiosk", "active": True, "last_seen_at": None, "status": None},
        {
            "name": "Kios D",
            "kind": "kiosk",
            "active": True,
            "last_seen_at": fresh,
            "status": {"printer": {"online": True, "paper": "near_end"}},
        },
    ]
    assert [(a["device"], a["problem"]) for a in rules.device_alerts(devices, now)] == [
        ("Kios B", "paper_out"),
        ("Kios C", "printer_offline"),
        ("Papan", "offline"),
        ("Baru", "never_seen"),
        ("Kios D", "paper_low"),
    ]


def test_heatmap_table_spans_office_hours_and_data() -> None:
    table = rules.heatmap_table(
        [{"weekday": 0, "hour": 8, "tickets": 4}, {"weekday": 6, "hour": 19, "tickets": 1}]
    )
    keys = [c.key for c in table.columns]
    assert keys[0] == "weekday" and keys[1] == "h07" and keys[-1] == "h19"
    assert table.rows[0][0] == "mon" and table.rows[0][keys.index("h08")] == 4
    assert table.rows[6][keys.index("h19")] == 1 and len(table.rows) == 7
