"""SQL aggregates for the reports: every figure is counted in the database.

Works the same on SQLite and PostgreSQL: durations come from ``julianday`` or
``EXTRACT(EPOCH ...)``; percentiles use nearest rank with window functions
(``ROW_NUMBER``/``COUNT`` over the group, then the row at
``(p * n + 99) // 100``), so no rows are loaded into Python. Periods are local
days (``tickets.day``/``visits.day``); the heat map's hour is the local hour of
issue (PostgreSQL: ``AT TIME ZONE``; SQLite: the zone's UTC offset at the
period start — Indonesian zones have no daylight saving).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from server.db.cases_schema import cases
from server.db.privacy_schema import visits
from server.db.ratings_schema import ratings
from server.db.schema import counters, devices, services, ticket_transitions, tickets, users
from server.store.common import as_aware

_PERCENTS = (50, 90)


def _is_pg(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _seconds(conn: Connection, start: Any, end: Any) -> Any:
    """``end - start`` in seconds, as a float SQL expression."""
    if _is_pg(conn):
        return sa.extract("epoch", end - start)
    return (sa.func.julianday(end) - sa.func.julianday(start)) * 86400.0


def _in_period(table: sa.Table, unit_id: int, start: date, end: date) -> list[Any]:
    return [table.c.unit_id == unit_id, table.c.day >= start, table.c.day <= end]


_DIMENSIONS = ("service", "counter", "staff", "all")


def _all_times(
    conn: Connection, *, base: Sequence[Any], dimensions: Sequence[str]
) -> dict[str, dict[Any, dict[str, Any]]]:
    """Waiting (issue → first call) and service (start → finish) time percentiles.

    One statement: the period's durations are computed once into a materialised
    CTE, then ranked per dimension (service, counter, staff member, or ``all``)
    with ``ROW_NUMBER``/``COUNT`` windows, and the nearest-rank median and p90
    (``(p * n + 99) // 100``) and the maximum are picked per group.
    """
    durations = (
        sa.select(
            tickets.c.service_id.label("service"),
            tickets.c.counter_id.label("counter"),
            tickets.c.served_by_user_id.label("staff"),
            _seconds(conn, tickets.c.issued_at, _FIRST_CALL).label("wait"),
            sa.case(
                (
                    tickets.c.status == "done",
                    _seconds(conn, tickets.c.started_at, tickets.c.finished_at),
                )
            ).label("busy"),
        )
        .where(*base)
        .cte("durations")
        .prefix_with("MATERIALIZED")
    )
    parts = []
    for dim in dimensions:
        group: Any = sa.literal_column("0") if dim == "all" else durations.c[dim]
        partition = None if dim == "all" else group
        for measure in ("wait", "busy"):
            value = durations.c[measure]
            parts.append(
                sa.select(
                    sa.literal_column(f"'{dim}'").label("dim"),
                    sa.literal_column(f"'{measure}'").label("m"),
                    group.label("g"),
                    value.label("v"),
                    sa.func.row_number().over(partition_by=partition, order_by=value).label("rn"),
                    sa.func.count().over(partition_by=partition).label("n"),
                ).where(value.is_not(None))
            )
    ranked = sa.union_all(*parts).subquery()
    cols = [ranked.c.dim, ranked.c.m, ranked.c.g, sa.func.max(ranked.c.v).label("max")]
    for p in _PERCENTS:
        rank = (ranked.c.n * p + 99) // 100
        cols.append(sa.func.max(sa.case((ranked.c.rn == rank, ranked.c.v))).label(f"p{p}"))
    query = sa.select(*cols).group_by(ranked.c.dim, ranked.c.m, ranked.c.g)
    out: dict[str, dict[Any, dict[str, Any]]] = {dim: {} for dim in dimensions}
    for r in conn.execute(query).mappings():
        prefix = "wait" if r["m"] == "wait" else "service"
        entry = out[r["dim"]].setdefault(
            r["g"],
            dict.fromkeys(("wait_median", "wait_p90", "wait_max", "service_median", "service_p90")),
        )
        entry[f"{prefix}_median"] = r["p50"]
        entry[f"{prefix}_p90"] = r["p90"]
        if prefix == "wait":
            entry["wait_max"] = r["max"]
    return out


def _times(conn: Connection, *, base: Sequence[Any], group: str) -> dict[Any, dict[str, Any]]:
    """Time percentiles for one dimension (see :func:`_all_times`)."""
    return _all_times(conn, base=base, dimensions=[group])[group]


# A ticket's wait ends at its first call (a recall or requeue later does not lengthen it).
_FIRST_CALL = (
    sa.select(sa.func.min(ticket_transitions.c.at))
    .where(ticket_transitions.c.ticket_id == tickets.c.id, ticket_transitions.c.action == "call")
    .scalar_subquery()
)


def _status_count(status: str) -> Any:
    return sa.func.sum(sa.case((tickets.c.status == status, 1), else_=0))


_COUNTS = (
    sa.func.count().label("tickets"),
    _status_count("done").label("served"),
    _status_count("no_show").label("no_show"),
    _status_count("cancelled").label("cancelled"),
    sa.func.sum(sa.case((tickets.c.priority, 1), else_=0)).label("priority"),
)


def _counts(row: Any) -> dict[str, int]:
    return {k: int(row[k] or 0) for k in ("tickets", "served", "no_show", "cancelled", "priority")}


def period_figures(
    conn: Connection, *, unit_id: int, start: date, end: date, timezone: str
) -> dict[str, Any]:
    """Every figure of the period report (local days ``start``..``end``), from SQL aggregates."""
    base = _in_period(tickets, unit_id, start, end)
    times = _all_times(conn, base=base, dimensions=_DIMENSIONS)
    svc_times = times["service"]
    service_rows = []
    per_service = {
        r["service_id"]: r
        for r in conn.execute(
            sa.select(tickets.c.service_id, *_COUNTS).where(*base).group_by(tickets.c.service_id)
        ).mappings()
    }
    service_list = (
        conn.execute(
            sa.select(services.c.id, services.c.name_id, services.c.name_en, services.c.prefix)
            .where(services.c.unit_id == unit_id)
            .order_by(services.c.sort_order, services.c.id)
        )
        .mappings()
        .all()
    )
    service_times = []
    for s in service_list:
        row = per_service.get(s["id"])
        counts = (
            _counts(row)
            if row is not None
            else dict.fromkeys(("tickets", "served", "no_show", "cancelled", "priority"), 0)
        )
        name = {"id": s["name_id"], "en": s["name_en"]}
        service_rows.append({"name": name, **counts})
        service_times.append(
            {"name": name, "served": counts["served"], **svc_times.get(s["id"], {})}
        )

    totals_row = conn.execute(sa.select(*_COUNTS).where(*base)).mappings().one()
    totals = {**_counts(totals_row), "times": times["all"].get(0, {})}

    counter_times = _named_times(
        conn,
        base=base,
        key=tickets.c.counter_id,
        times=times["counter"],
        names=sa.select(counters.c.id, counters.c.name).where(counters.c.unit_id == unit_id),
    )
    staff_times = _named_times(
        conn,
        base=base,
        key=tickets.c.served_by_user_id,
        times=times["staff"],
        names=sa.select(
            users.c.id, sa.func.coalesce(sa.func.nullif(users.c.full_name, ""), users.c.username)
        ).where(users.c.unit_id == unit_id),
    )

    daily = [
        {"day": _as_date(r["day"]), "tickets": int(r["tickets"]), "served": int(r["served"] or 0)}
        for r in conn.execute(
            sa.select(
                tickets.c.day,
                sa.func.count().label("tickets"),
                _status_count("done").label("served"),
            )
            .where(*base)
            .group_by(tickets.c.day)
            .order_by(tickets.c.day)
        ).mappings()
    ]

    vbase = _in_period(visits, unit_id, start, end)
    visit_count = int(conn.execute(sa.select(sa.func.count()).where(*vbase)).scalar_one())
    profiles: dict[str, dict[str, int]] = {}
    for field in ("purpose", "institution_category", "sex", "age_group", "education", "occupation"):
        col = visits.c[field]
        profiles[field] = {
            (value if value else "unknown"): int(n)
            for value, n in conn.execute(
                sa.select(col, sa.func.count()).where(*vbase).group_by(col)
            ).all()
        }
    return {
        "services": service_rows,
        "totals": totals,
        "service_times": service_times,
        "counter_times": counter_times,
        "staff_times": staff_times,
        "daily": daily,
        "visits": visit_count,
        "returning": returning_counts(conn, unit_id=unit_id, start=start, end=end),
        "profiles": profiles,
        "heatmap": heatmap(conn, unit_id=unit_id, start=start, end=end, timezone=timezone),
    }


def _as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _named_times(
    conn: Connection,
    *,
    base: Sequence[Any],
    key: Any,
    times: dict[Any, dict[str, Any]],
    names: sa.Select[Any],
) -> list[dict[str, Any]]:
    """Served count and time percentiles per counter or staff member, in name order."""
    query = (
        sa.select(key, sa.func.count())
        .where(*base, tickets.c.status == "done", key.is_not(None))
        .group_by(key)
    )
    served: dict[Any, int] = {k: int(n) for k, n in conn.execute(query).all()}
    out = []
    for row_id, name in conn.execute(names).all():
        if row_id in served or row_id in times:
            out.append(
                {"name": name, "served": int(served.get(row_id, 0)), **times.get(row_id, {})}
            )
    return sorted(out, key=lambda r: str(r["name"]))


def returning_counts(conn: Connection, *, unit_id: int, start: date, end: date) -> dict[str, int]:
    """Visits in the period by a visitor seen before (``returning``) or not (``first_time``).

    A visit whose visitor was erased counts as ``unknown``.
    """
    earlier = visits.alias("earlier")
    seen_before = sa.exists().where(
        earlier.c.visitor_id == visits.c.visitor_id, earlier.c.created_at < visits.c.created_at
    )
    kind = sa.case(
        (visits.c.visitor_id.is_(None), "unknown"),
        (seen_before, "returning"),
        else_="first_time",
    ).label("kind")
    query = (
        sa.select(kind, sa.func.count())
        .where(*_in_period(visits, unit_id, start, end))
        .group_by(kind)
    )
    return {k: int(n) for k, n in conn.execute(query).all()}


def _local_hour(conn: Connection, column: Any, timezone: str, at: date) -> Any:
    if _is_pg(conn):
        zone = sa.cast(sa.literal(timezone), sa.Text)
        return sa.cast(sa.extract("hour", sa.func.timezone(zone, column)), sa.Integer)
    offset = ZoneInfo(timezone).utcoffset(datetime(at.year, at.month, at.day, 12))
    minutes = int(offset.total_seconds() // 60) if offset else 0
    return sa.cast(sa.func.strftime("%H", column, f"{minutes:+d} minutes"), sa.Integer)


def _weekday(conn: Connection, column: Any) -> Any:
    """Monday = 0 … Sunday = 6, from a DATE column."""
    if _is_pg(conn):
        dow = sa.cast(sa.extract("dow", column), sa.Integer)
    else:
        dow = sa.cast(sa.func.strftime("%w", column), sa.Integer)
    return (dow + 6) % 7


def heatmap(
    conn: Connection, *, unit_id: int, start: date, end: date, timezone: str
) -> list[dict[str, int]]:
    """Tickets issued per (weekday, local hour) in the period."""
    wd = _weekday(conn, tickets.c.day).label("weekday")
    hour = _local_hour(conn, tickets.c.issued_at, timezone, start).label("hour")
    cells = sa.select(wd, hour).where(*_in_period(tickets, unit_id, start, end)).subquery()
    query = sa.select(cells.c.weekday, cells.c.hour, sa.func.count().label("tickets")).group_by(
        cells.c.weekday, cells.c.hour
    )
    return [
        {"weekday": int(r["weekday"]), "hour": int(r["hour"]), "tickets": int(r["tickets"])}
        for r in conn.execute(query).mappings()
    ]


# --- today ---------------------------------------------------------------------------


def today_figures(conn: Connection, *, unit_id: int, day: date, now: datetime) -> dict[str, Any]:
    """Today's desk: per service waiting now, served, no-shows, median and longest wait."""
    base = [tickets.c.unit_id == unit_id, tickets.c.day == day]
    counts = {
        r["service_id"]: r
        for r in conn.execute(
            sa.select(tickets.c.service_id, *_COUNTS).where(*base).group_by(tickets.c.service_id)
        ).mappings()
    }
    waiting = {
        r["service_id"]: (int(r["n"]), as_aware(r["oldest"]))
        for r in conn.execute(
            sa.select(
                tickets.c.service_id,
                sa.func.count().label("n"),
                sa.func.min(tickets.c.issued_at).label("oldest"),
            )
            .where(tickets.c.unit_id == unit_id, tickets.c.status == "waiting")
            .group_by(tickets.c.service_id)
        ).mappings()
    }
    times = _times(conn, base=base, group="service")
    rows = []
    for s in conn.execute(
        sa.select(services.c.id, services.c.prefix, services.c.name_id, services.c.name_en)
        .where(services.c.unit_id == unit_id)
        .order_by(services.c.sort_order, services.c.id)
    ).mappings():
        c = counts.get(s["id"])
        n_wait, oldest = waiting.get(s["id"], (0, None))
        t = times.get(s["id"], {})
        waiting_age = (now - oldest).total_seconds() if oldest is not None else None
        longest = max((v for v in (t.get("wait_max"), waiting_age) if v is not None), default=None)
        rows.append(
            {
                "service_id": s["id"],
                "prefix": s["prefix"],
                "name": {"id": s["name_id"], "en": s["name_en"]},
                "waiting": n_wait,
                "issued": int(c["tickets"]) if c else 0,
                "served": int(c["served"] or 0) if c else 0,
                "no_show": int(c["no_show"] or 0) if c else 0,
                "wait_median_seconds": t.get("wait_median"),
                "wait_longest_seconds": longest,
            }
        )
    return {"services": rows, "counters": counter_states(conn, unit_id=unit_id)}


def counter_states(conn: Connection, *, unit_id: int) -> list[dict[str, Any]]:
    """Each counter: paused or open, the staff member signed to it, the ticket it holds."""
    held = (
        sa.select(tickets.c.counter_id, tickets.c.number, tickets.c.status)
        .where(tickets.c.unit_id == unit_id, tickets.c.status.in_(("called", "serving")))
        .subquery()
    )
    staff_name = sa.func.coalesce(sa.func.nullif(users.c.full_name, ""), users.c.username)
    query = (
        sa.select(
            counters.c.id,
            counters.c.number,
            counters.c.name,
            counters.c.paused,
            staff_name.label("staff"),
            held.c.number.label("ticket"),
            held.c.status.label("ticket_status"),
        )
        .select_from(
            counters.outerjoin(users, users.c.id == counters.c.staff_user_id).outerjoin(
                held, held.c.counter_id == counters.c.id
            )
        )
        .where(counters.c.unit_id == unit_id)
        .order_by(counters.c.number)
    )
    out: dict[int, dict[str, Any]] = {}
    for r in conn.execute(query).mappings():
        if r["id"] in out:
            continue
        out[r["id"]] = {
            "counter_id": r["id"],
            "number": r["number"],
            "name": r["name"],
            "state": "paused" if r["paused"] else (r["ticket_status"] or "idle"),
            "staff": r["staff"],
            "ticket": r["ticket"],
        }
    return list(out.values())


def device_rows(conn: Connection, *, unit_id: int) -> list[dict[str, Any]]:
    """The unit's devices with their last heartbeat, for the alert rule."""
    query = sa.select(
        devices.c.name, devices.c.kind, devices.c.active, devices.c.last_seen_at, devices.c.status
    ).where(devices.c.unit_id == unit_id)
    return [
        {**dict(r), "last_seen_at": as_aware(r["last_seen_at"])}
        for r in conn.execute(query).mappings()
    ]


# --- satisfaction survey -------------------------------------------------------------


def suggestions(
    conn: Connection, *, unit_id: int, start: date, end: date, limit: int = 500
) -> list[str]:
    """The suggestion texts of the period's ratings, oldest first (a rating holds no name)."""
    query = (
        sa.select(ratings.c.suggestion)
        .where(
            ratings.c.unit_id == unit_id,
            ratings.c.day >= start,
            ratings.c.day <= end,
            ratings.c.suggestion != "",
        )
        .order_by(ratings.c.created_at, ratings.c.id)
        .limit(limit)
    )
    return [str(s) for s in conn.execute(query).scalars()]


# --- cases and complaints --------------------------------------------------------------


def _local_date(conn: Connection, column: Any, timezone: str, at: date) -> Any:
    """The unit's calendar day of a UTC timestamp column."""
    if _is_pg(conn):
        zone = sa.cast(sa.literal(timezone), sa.Text)
        return sa.cast(sa.func.timezone(zone, column), sa.Date)
    offset = ZoneInfo(timezone).utcoffset(datetime(at.year, at.month, at.day, 12))
    minutes = int(offset.total_seconds() // 60) if offset else 0
    return sa.func.date(column, f"{minutes:+d} minutes")


def case_figures(
    conn: Connection, *, unit_id: int, start: date, end: date, timezone: str
) -> list[dict[str, Any]]:
    """Per case kind: opened and closed in the period (local days), closed on time or late.

    On time: closed on or before the case's due date (working days, set when its
    clock started); late: after it. A case closed without a due date is neither.
    """
    opened_day = _local_date(conn, cases.c.opened_at, timezone, start)
    closed_day = _local_date(conn, cases.c.closed_at, timezone, start)
    opened_in = sa.and_(opened_day >= start, opened_day <= end)
    closed_in = sa.and_(cases.c.closed_at.is_not(None), closed_day >= start, closed_day <= end)
    due = cases.c.due_date.is_not(None)
    on_time = sa.and_(closed_in, due, closed_day <= cases.c.due_date)
    late = sa.and_(closed_in, due, closed_day > cases.c.due_date)

    def count(condition: Any) -> Any:
        return sa.func.sum(sa.case((condition, 1), else_=0))

    query = (
        sa.select(
            cases.c.kind,
            count(opened_in).label("opened"),
            count(closed_in).label("closed"),
            count(on_time).label("on_time"),
            count(late).label("late"),
        )
        .where(cases.c.unit_id == unit_id, sa.or_(opened_in, closed_in))
        .group_by(cases.c.kind)
        .order_by(cases.c.kind)
    )
    return [
        {"kind": r["kind"], **{k: int(r[k] or 0) for k in ("opened", "closed", "on_time", "late")}}
        for r in conn.execute(query).mappings()
    ]
