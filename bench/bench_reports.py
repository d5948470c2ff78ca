"""Reports benchmark: the month period page and the year XLSX on SQLite with a seeded year.

Seeds a year (``bench/seed_year.py``, about 12,000 visits) unless ``--data-dir``
already holds one, serves it with uvicorn in a thread, signs in as the admin and
times over real HTTP, after one warm-up each:

* the month period page: the page shell ``/reports/period`` plus the JSON it loads
  (``/api/v1/reports/period?period=month``), i.e. everything but drawing;
* the year workbook ``/api/v1/reports/period.xlsx?period=year``.

    .venv/bin/python bench/bench_reports.py --data-dir /tmp/loket-year [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.seed_year import main as seed_main
from server.api.app import create_app
from server.config import Settings
from tests.live import serve_in_thread

ADMIN_PASSWORD = "admin-password-123"


def timed(client: httpx.Client, urls: list[str], runs: int) -> list[float]:
    for url in urls:  # warm-up
        client.get(url).raise_for_status()
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        for url in urls:
            client.get(url).raise_for_status()
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--month", default="2026-10-15", help="a day in the month to report")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not (args.data_dir / "loket.sqlite3").exists():
        seed_main(["--data-dir", str(args.data_dir), "--year", str(args.year)])
    settings = Settings(demo=True, data_dir=args.data_dir, sqlite_synchronous="NORMAL")
    with serve_in_thread(create_app(settings)) as url, httpx.Client(base_url=url, timeout=60) as c:
        r = c.post("/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
        r.raise_for_status()
        c.headers["Authorization"] = f"Bearer {r.json()['token']}"
        c.cookies.set("loket_session", r.json()["token"])
        month = f"period=month&date={args.month}"
        year = f"period=year&date={args.year}-06-01"
        summary = c.get(f"/api/v1/reports/period?{year}").json()["tables"][0]["rows"]
        page = timed(c, [f"/reports/period?{month}", f"/api/v1/reports/period?{month}"], args.runs)
        xlsx = timed(c, [f"/api/v1/reports/period.xlsx?{year}"], args.runs)
        size = len(c.get(f"/api/v1/reports/period.xlsx?{year}").content)
    print(f"year: {dict((k, v) for k, v in summary[:6])}")
    print("| what | runs | median ms | max ms |")
    print("|---|---|---|---|")
    print(
        f"| month period page (shell + JSON) | {args.runs} | {statistics.median(page):.0f} "
        f"| {max(page):.0f} |"
    )
    print(
        f"| year XLSX ({size // 1024} KiB) | {args.runs} | {statistics.median(xlsx):.0f} "
        f"| {max(xlsx):.0f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
