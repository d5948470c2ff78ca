"""Report rules: periods in the unit's local days, percentiles, small-cell suppression.

Pure functions only (no database, no clock): the store computes every figure in
SQL and this module says *which* days a period covers, how a percentile rank is
chosen (nearest rank, the same integer formula the SQL uses), which breakdown
cells are too small to show ("< 3"), which devices need an alert and how the
store's figures become the tables the pages, CSV and XLSX exports share.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from server.domain import skm

PERIOD_KINDS = ("day", "week", "month", "quarter", "year", "range")
MAX_RANGE_DAYS = 366 * 3
SMALL_CELL = 3
SUPPRESSED = "< 3"
PROFILE_FIELDS = (
    "purpose",
    "institution_category",
    "sex",
    "age_group",
    "education",
    "occupation",
)
UNKNOWN = "unknown"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_HOURS = range(7, 17)
DEVICE_ONLINE_SECONDS = 120


class PeriodError(ValueError):
    """A period that cannot be reported (unknown kind, end before start, too long)."""


@dataclass(frozen=True)
class Period:
    """Local calendar days ``start``..``end`` (both included)."""

    kind: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """A short name used in file names: 2026-11, 2026-W48, 2026-Q4, 2026, ..."""
        s = self.start
        if self.kind == "day":
            return s.isoformat()
        if self.kind == "week":
            year, week, _ = s.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{s.year}-{s.month:02d}"
        if self.kind == "quarter":
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(s.year)
        return f"{s.isoformat()}_{self.end.isoformat()}"


def period_of(kind: str, anchor: date) -> Period:
    """The day, ISO week (Monday–Sunday), month, quarter or year containing ``anchor``."""
    if kind == "day":
        return Period(kind, anchor, anchor)
    if kind == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return Period(kind, start, start + timedelta(days=6))
    if kind == "month":
        start = anchor.replace(day=1)
        return Period(kind, start, _month_end(start.year, start.month))
    if kind == "quarter":
        first_month = (anchor.month - 1) // 3 * 3 + 1
        start = date(anchor.year, first_month, 1)
        return Period(kind, start, _month_end(anchor.year, first_month + 2))
    if kind == "year":
        return Period(kind, date(anchor.year, 1, 1), date(anchor.year, 12, 31))
    raise PeriodError(f"period must be one of {', '.join(PERIOD_KINDS)}")


def date_range(start: date, end: date) -> Period:
    """A free range of local days; refused when it ends before it starts or is too long."""
    if end < start:
        raise PeriodError("the end date is before the start date")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise PeriodError(f"a range may cover at most {MAX_RANGE_DAYS} days")
    return Period("range", start, end)


def _month_end(year: int, month: int) -> date:
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return nxt - timedelta(days=1)


def nearest_rank(percent: int, n: int) -> int:
    """1-based rank of the ``percent``-th percentile of ``n`` sorted values: ⌈percent·n/100⌉.

    The store's SQL uses the same integer formula, ``(percent * n + 99) // 100``.
    """
    if n <= 0:
        return 0
    return (percent * n + 99) // 100


def suppress(count: int) -> int | str:
    """A breakdown cell: the count, or "< 3" when it describes one or two visitors."""
    return SUPPRESSED if 0 < count < SMALL_CELL else count


def share(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole`` with one decimal; None when there is no whole."""
    return round(100.0 * part / whole, 1) if whole else None


def minutes(seconds: float | None) -> float | None:
    """Seconds as minutes with one decimal (how the reports show durations)."""
    return None if seconds is None else round(float(seconds) / 60.0, 1)


def device_alerts(devices: Iterable[Mapping[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """Active devices that need a person: offline for 2 minutes, or a printer fault.

    ``devices`` rows carry ``name``, ``kind``, ``active``, ``last_seen_at`` (aware)
    and ``status`` (the heartbeat's JSON, ``{"printer": {...}}``).
    """
    alerts: list[dict[str, Any]] = []
    for d in devices:
        if not d["active"] or d["kind"] not in ("kiosk", "board", "rating"):
            continue
        seen = d["last_seen_at"]
        if seen is None:
            alerts.append({"device": d["name"], "kind": d["kind"], "problem": "never_seen"})
            continue
        if (now - seen).total_seconds() > DEVICE_ONLINE_SECONDS:
            alerts.append({"device": d["name"], "kind": d["kind"], "problem": "offline"})
            continue
        printer = (d["status"] or {}).get("printer") or {}
        if printer and not printer.get("online", True):
            alerts.append({"device": d["name"], "kind": d["kind"], "problem": "printer_offline"})
        elif printer.get("paper") in ("out", "near_end"):
            problem = "paper_out" if printer["paper"] == "out" else "paper_low"
            alerts.append({"device": d["name"], "kind": d["kind"], "problem": problem})
    return alerts


# --- tables -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column: ``kind`` is text, int, percent, minutes or date (typed in XLSX)."""

    key: str
    kind: str = "int"


@dataclass
class Table:
    """One report table; ``chart`` names how the page draws it (bar, line, heatmap, none).

    Category cells hold codes (``key_kind`` says which catalog labels them); the
    caller translates them. Suppressed cells hold :data:`SUPPRESSED`.
    """

    id: str
    columns: tuple[Column, ...]
    rows: list[list[Any]] = field(default_factory=list)
    chart: str = "bar"
    key_kind: str = ""
    column_names: dict[str, Any] = field(default_factory=dict)


def _wait_service_cols(first: str) -> tuple[Column, ...]:
    return (
        Column(first, "text"),
        Column("served"),
        Column("wait_median", "minutes"),
        Column("wait_p90", "minutes"),
        Column("service_median", "minutes"),
        Column("service_p90", "minutes"),
    )


def _times_row(label: Any, served: int, t: Mapping[str, Any]) -> list[Any]:
    return [
        label,
        served,
        minutes(t.get("wait_median")),
        minutes(t.get("wait_p90")),
        minutes(t.get("service_median")),
        minutes(t.get("service_p90")),
    ]


def build_period_tables(figures: Mapping[str, Any], period: Period) -> list[Table]:
    """The period report's tables from the store's figures (see ``store.reports.period_figures``).

    Shares and minutes are derived here; profile breakdowns are suppressed here,
    so no export and no page ever sees a count of one or two visitors.
    """
    tables: list[Table] = []
    svc_rows = figures["services"]
    totals = figures["totals"]
    summary = Table(
        "summary",
        (Column("metric", "text"), Column("value", "number")),
        chart="none",
        key_kind="metric",
    )
    summary.rows = [
        ["tickets", totals["tickets"]],
        ["served", totals["served"]],
        ["no_show", totals["no_show"]],
        ["no_show_rate", share(totals["no_show"], totals["served"] + totals["no_show"])],
        ["priority_share", share(totals["priority"], totals["tickets"])],
        ["visits", figures["visits"]],
        ["returning", figures["returning"].get("returning", 0)],
        ["first_time", figures["returning"].get("first_time", 0)],
        ["wait_median", minutes(totals["times"].get("wait_median"))],
        ["wait_p90", minutes(totals["times"].get("wait_p90"))],
        ["service_median", minutes(totals["times"].get("service_median"))],
        ["service_p90", minutes(totals["times"].get("service_p90"))],
    ]
    tables.append(summary)

    services = Table(
        "services",
        (
            Column("service", "text"),
            Column("tickets"),
            Column("served"),
            Column("no_show"),
            Column("cancelled"),
            Column("no_show_rate", "percent"),
            Column("priority"),
            Column("priority_share", "percent"),
        ),
        key_kind="service",
    )
    for s in svc_rows:
        services.rows.append(
            [
                s["name"],
                s["tickets"],
                s["served"],
                s["no_show"],
                s["cancelled"],
                share(s["no_show"], s["served"] + s["no_show"]),
                s["priority"],
                share(s["priority"], s["tickets"]),
            ]
        )
    tables.append(services)

    for table_id, key in (
        ("service_times", "service"),
        ("counter_times", "counter"),
        ("staff_times", "staff"),
    ):
        t = Table(table_id, _wait_service_cols(key), key_kind=key)
        for g in figures[table_id]:
            t.rows.append(_times_row(g["name"], g["served"], g))
        tables.append(t)

    daily = Table(
        "daily", (Column("day", "date"), Column("tickets"), Column("served")), chart="line"
    )
    by_day = {d["day"]: d for d in figures["daily"]}
    for offset in range(period.days):  # every day of the period, so the line never skips one
        day = period.start + timedelta(days=offset)
        d = by_day.get(day, {"tickets": 0, "served": 0})
        daily.rows.append([day, d["tickets"], d["served"]])
    tables.append(daily)

    visitor_type = Table(
        "visitor_type", (Column("visitor_type", "text"), Column("visits")), key_kind="visitor_type"
    )
    for key in ("first_time", "returning", UNKNOWN):
        n = figures["returning"].get(key, 0)
        if n:
            visitor_type.rows.append([key, suppress(n)])
    tables.append(visitor_type)

    for name in PROFILE_FIELDS:
        t = Table(name, (Column(name, "text"), Column("visits")), key_kind=name)
        counts: Mapping[str, int] = figures["profiles"].get(name, {})
        for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            t.rows.append([value, suppress(n)])
        tables.append(t)

    tables.append(heatmap_table(figures["heatmap"]))
    return tables


def heatmap_table(cells: Sequence[Mapping[str, int]]) -> Table:
    """Tickets per weekday (rows, Monday first) × local hour (columns)."""
    hours = sorted({c["hour"] for c in cells} | set(DEFAULT_HOURS))
    hours = list(range(hours[0], hours[-1] + 1))
    grid = {(c["weekday"], c["hour"]): c["tickets"] for c in cells}
    columns = (Column("weekday", "text"), *(Column(f"h{h:02d}") for h in hours))
    table = Table("heatmap", columns, chart="heatmap", key_kind="weekday")
    for i, day in enumerate(WEEKDAYS):
        table.rows.append([day, *(grid.get((i, h), 0) for h in hours)])
    return table


def resolve_period(
    kind: str, *, anchor: date | None, start: date | None, end: date | None, today: date
) -> Period:
    """The period a request names: a kind around ``anchor`` (default today), or a range."""
    if kind == "range":
        if start is None or end is None:
            raise PeriodError("a range needs both start and end dates")
        return date_range(start, end)
    return period_of(kind, anchor or today)


# --- satisfaction index (IKM) tables ---------------------------------------------------


def ikm_tables(
    services: Sequence[tuple[Any, int, skm.IndexResult]],
    overall: tuple[int, skm.IndexResult],
    trend: Sequence[tuple[str, Sequence[skm.IndexResult | None]]],
) -> list[Table]:
    """IKM per service (respondents, IKM, grade) and its trend per month, per service.

    ``services`` are ``(name, respondents, index)``; ``trend`` rows are a month
    label and each service's index that month, in the order of ``services``.
    The index itself is :func:`server.domain.skm.index`; nothing is recomputed here.
    """
    per_service = Table(
        "ikm",
        (
            Column("service", "text"),
            Column("respondents"),
            Column("ikm", "number"),
            Column("grade", "text"),
        ),
        key_kind="service",
    )
    for name, n, result in [*services, ("all", overall[0], overall[1])]:
        ikm = float(result.ikm) if result.ikm is not None else None
        grade = result.grade.letter if result.grade is not None else ""
        per_service.rows.append([name, n, ikm, grade])
    columns = [Column("month", "text")]
    columns += [Column(f"s{i}", "number") for i in range(len(services))]
    trend_table = Table("ikm_trend", tuple(columns), chart="line", key_kind="")
    trend_table.column_names = {f"s{i}": s[0] for i, s in enumerate(services)}
    for label, results in trend:
        trend_table.rows.append(
            [
                label,
                *(float(r.ikm) if r is not None and r.ikm is not None else None for r in results),
            ]
        )
    return [per_service, trend_table]


def months_of(period: Period) -> list[tuple[str, date, date]]:
    """The calendar months a period touches, clipped to it: ``(YYYY-MM, first, last)``."""
    out = []
    first = period.start
    while first <= period.end:
        last = min(_month_end(first.year, first.month), period.end)
        out.append((f"{first.year}-{first.month:02d}", first, last))
        first = last + timedelta(days=1)
    return out


def case_tables(rows: Sequence[Mapping[str, Any]], complaint_kinds: set[str]) -> list[Table]:
    """Cases per kind and complaints per category: opened, closed, on time, late, on-time share."""

    def table(table_id: str, key: str, chosen: list[Mapping[str, Any]]) -> Table:
        t = Table(
            table_id,
            (
                Column(key, "text"),
                Column("opened"),
                Column("closed"),
                Column("closed_on_time"),
                Column("closed_late"),
                Column("on_time_share", "percent"),
            ),
            key_kind="case_kind",
        )
        for r in chosen:
            t.rows.append(
                [
                    r["kind"],
                    r["opened"],
                    r["closed"],
                    r["on_time"],
                    r["late"],
                    share(r["on_time"], r["on_time"] + r["late"]),
                ]
            )
        return t

    return [
        table("cases", "case_kind", [r for r in rows if r["kind"] not in complaint_kinds]),
        table(
            "complaints", "complaint_category", [r for r in rows if r["kind"] in complaint_kinds]
        ),
    ]
