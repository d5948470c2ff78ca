"""Seed years of finished tickets quickly, for the "flat with history" benchmarks.

``seed_history(url, tickets=1_000_000, units=5)`` adds ``units - 1`` further
units (same services and counters as the seed unit) and bulk-inserts finished
tickets spread over the last ``days`` days before today, split evenly over every
unit and service. SQLite gets one ``executemany`` per chunk on a connection with
``synchronous=OFF`` (a benchmark fixture, not served data); PostgreSQL gets
``COPY``. About 5 s per 100,000 rows on SQLite on an idle 2-core machine.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from server.bootstrap import init_unit, load_seed
from server.db.database import Database, create_db_engine
from server.db.schema import services as services_table
from server.domain.queue import format_number

COLUMNS = (
    "unit_id",
    "service_id",
    "issued_service_id",
    "day",
    "seq",
    "number",
    "status",
    "priority",
    "tracking_token",
    "issued_at",
    "queued_at",
    "called_at",
    "started_at",
    "finished_at",
    "recall_count",
)
CHUNK = 50_000


def _units_and_services(db: Database, units: int) -> list[tuple[int, list[tuple[int, str]]]]:
    ids = [init_unit(db).unit_id]
    for k in range(1, units):
        office = load_seed()  # the demo office, under this unit's own code and name
        office["unit"] = {**office["unit"], "code": f"H{k:03d}", "name": f"History unit {k}"}
        ids.append(init_unit(db, admin_username=f"hist_admin_{k}", office=office).unit_id)
    with db.read() as conn:
        rows = conn.execute(
            sa.select(services_table.c.unit_id, services_table.c.id, services_table.c.prefix)
        ).all()
    return [(u, [(r.id, r.prefix) for r in rows if r.unit_id == u]) for u in ids]


def _rows(
    layout: list[tuple[int, list[tuple[int, str]]]], tickets: int, days: int, sqlite: bool
) -> Iterator[tuple[Any, ...]]:
    per_unit = tickets // len(layout)
    per_day = max(1, per_unit // days)
    first_day = date.today() - timedelta(days=days)
    n = 0
    for unit_id, svcs in layout:
        for i in range(per_unit):
            day_index, k = divmod(i, per_day)
            day = first_day + timedelta(days=min(day_index, days - 1))
            service_id, prefix = svcs[k % len(svcs)]
            seq = k // len(svcs) + 1 + (day_index - min(day_index, days - 1)) * per_day
            issued = datetime(day.year, day.month, day.day, 1, tzinfo=UTC) + timedelta(
                seconds=20 * k
            )
            called = issued + timedelta(minutes=4)
            started = called + timedelta(minutes=1)
            finished = started + timedelta(minutes=3 + k % 10)
            n += 1
            times: list[Any] = [issued, issued, called, started, finished]
            if sqlite:
                times = [t.strftime("%Y-%m-%d %H:%M:%S.%f") for t in times]
            yield (
                unit_id,
                service_id,
                service_id,
                day.isoformat() if sqlite else day,
                seq,
                format_number(prefix, seq),
                "done",
                0 if sqlite else False,
                f"hist{n:028x}",
                *times,
                0,
            )


def seed_history(url: str, *, tickets: int, units: int = 5, days: int = 365) -> float:
    """Insert ``tickets`` finished tickets; returns the seconds it took."""
    t0 = time.perf_counter()
    engine = create_db_engine(url)
    db = Database(engine)
    layout = _units_and_services(db, units)
    sqlite = db.is_sqlite
    raw: Any = engine.raw_connection()
    try:
        cur = raw.cursor()
        if sqlite:
            cur.execute("PRAGMA synchronous=OFF")
            sql = (
                f"INSERT INTO tickets ({', '.join(COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in COLUMNS)})"
            )
            batch: list[tuple[Any, ...]] = []
            cur.execute("BEGIN")
            for row in _rows(layout, tickets, days, sqlite=True):
                batch.append(row)
                if len(batch) >= CHUNK:
                    cur.executemany(sql, batch)
                    batch.clear()
            if batch:
                cur.executemany(sql, batch)
            cur.execute("COMMIT")
        else:
            with cur.copy(f"COPY tickets ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in _rows(layout, tickets, days, sqlite=False):
                    copy.write_row(row)
            raw.commit()
            cur.execute("ANALYZE tickets")  # what autovacuum would do after such a load
            raw.commit()
    finally:
        raw.close()
        engine.dispose()
    return time.perf_counter() - t0
