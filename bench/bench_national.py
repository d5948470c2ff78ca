"""National simulation: many units on one PostgreSQL, two server processes, compressed days.

Each unit gets its own kiosk, staff account and display board. Its day —
visitors arriving at random (Poisson), two counters calling, starting and
finishing them — is compressed into ``--day-seconds``. Every board holds an SSE
stream on one of the two ``loket serve`` processes, so events cross processes
through LISTEN/NOTIFY. The report gives p50/p99 per operation, events written
versus delivered to boards, the servers' CPU per operation, PostgreSQL lock
waits, and what the measured CPU cost predicts for 550 units.

    LOKET_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/bench_national.py --units 20 --visitors 60 --day-seconds 60

Bounded: the run lasts about ``--day-seconds`` plus setup; only loopback traffic.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.bench_server import LockSampler, cpu_seconds, percentile, rss_mb, start_server
from server.bootstrap import init_unit, load_seed
from server.config import normalise_database_url
from server.db.database import Database, create_db_engine
from server.db.migrate import upgrade
from server.db.schema import events as events_table
from server.store import accounts

PASSWORD = "bench-password-123"
WORKING_SECONDS = 7.5 * 3600  # a PST day, 08:00-15:30


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    def post(
        self, what: str, session: requests.Session, url: str, **kwargs: object
    ) -> requests.Response | None:
        t0 = time.perf_counter()
        try:
            response = session.post(url, timeout=30, **kwargs)  # type: ignore[arg-type]
        except requests.RequestException:
            with self.lock:
                self.errors[what] += 1
            return None
        ms = (time.perf_counter() - t0) * 1000
        with self.lock:
            self.latency[what].append(ms)
            if response.status_code >= 400:
                self.errors[what] += 1
        return response


def setup_units(url: str, count: int) -> list[dict[str, object]]:
    engine = create_db_engine(url)
    upgrade(engine)
    db = Database(engine)
    made = []
    for k in range(count):
        office = load_seed()  # the demo office, under this unit's own code and name
        office["unit"] = {**office["unit"], "code": f"N{k:03d}", "name": f"Unit {k}"}
        unit_id = init_unit(
            db, admin_username=f"adm_{k}", admin_password=PASSWORD, office=office
        ).unit_id
        with db.write() as conn:
            kiosk = accounts.add_device(conn, unit_id=unit_id, kind="kiosk", name="Kiosk")[1]
            board = accounts.add_device(conn, unit_id=unit_id, kind="board", name="Board")[1]
        made.append({"unit_id": unit_id, "user": f"adm_{k}", "kiosk": kiosk, "board": board})
    engine.dispose()
    return made


def board(
    base: str,
    token: str,
    stop: threading.Event,
    counts: dict[str, int],
    key: str,
    ready: threading.Semaphore,
) -> None:
    with requests.get(
        f"{base}/api/v1/events", params={"token": token}, stream=True, timeout=(5, 60)
    ) as response:
        lines = response.iter_lines()
        while not stop.is_set():
            try:
                line = next(lines)
            except (requests.RequestException, StopIteration):  # the servers stopped
                return
            if line.startswith(b": connected"):
                ready.release()  # the stream's starting point is fixed from here on
            if line.startswith(b"event:"):
                counts[key] = counts.get(key, 0) + 1


def run_unit(
    unit: dict[str, object], base: str, args: argparse.Namespace, stats: Stats, t_end: float
) -> None:
    rng = random.Random(str(unit["unit_id"]))
    session = requests.Session()
    kh = {"Authorization": f"Bearer {unit['kiosk']}"}
    token = session.post(
        f"{base}/api/v1/auth/login", json={"username": unit["user"], "password": PASSWORD}
    ).json()["token"]
    sh = {"Authorization": f"Bearer {token}"}
    services = [s["id"] for s in session.get(f"{base}/api/v1/services", headers=kh).json()]
    counters = [c["id"] for c in session.get(f"{base}/api/v1/counters", headers=kh).json()]
    scale = args.day_seconds / WORKING_SECONDS
    mean_gap = args.day_seconds / args.visitors

    def arrivals() -> None:
        s = requests.Session()
        while time.perf_counter() < t_end:
            time.sleep(rng.expovariate(1 / mean_gap))
            body = {"service_id": rng.choice(services), "client_request_id": uuid.uuid4().hex}
            stats.post("issue ticket", s, f"{base}/api/v1/tickets", headers=kh, json=body)

    def counter(counter_id: int) -> None:
        s = requests.Session()
        while time.perf_counter() < t_end:
            r = stats.post(
                "call next", s, f"{base}/api/v1/counters/{counter_id}/call-next", headers=sh
            )
            if r is None or r.status_code != 200:
                time.sleep(min(2.0, 60 * scale * 5))  # nobody waits: look again in ~5 min
                continue
            ticket = r.json()["id"]
            time.sleep(30 * scale)  # the visitor walks to the counter
            body = {"counter_id": counter_id}
            stats.post("start", s, f"{base}/api/v1/tickets/{ticket}/start", headers=sh, json=body)
            time.sleep(rng.uniform(5, 20) * 60 * scale)  # 5-20 minutes of service
            stats.post("finish", s, f"{base}/api/v1/tickets/{ticket}/finish", headers=sh, json=body)

    workers = [threading.Thread(target=arrivals)] + [
        threading.Thread(target=counter, args=(c,)) for c in counters
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--visitors", type=int, default=60, help="arrivals per unit per day")
    parser.add_argument("--day-seconds", type=float, default=60.0)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument(
        "--drain-seconds",
        type=float,
        default=16.0,
        help="wait after the day before counting deliveries (streams re-read every 15 s)",
    )
    args = parser.parse_args()
    pg = os.environ.get("LOKET_TEST_POSTGRES_URL")
    if not pg:
        sys.exit("set LOKET_TEST_POSTGRES_URL (the simulation runs on PostgreSQL)")
    schema = f"national_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(normalise_database_url(pg), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = f"{pg}?options=-csearch_path%3D{schema}&application_name={schema}"
    env = {
        **os.environ,
        "LOKET_DEMO": "1",
        "LOKET_DATA_DIR": tempfile.mkdtemp(prefix="loket-national-"),
        "LOKET_DATABASE_URL": url,
    }
    procs = []
    try:
        units = setup_units(normalise_database_url(url), args.units)
        servers = [start_server(env) for _ in range(args.servers)]
        procs = [s[0] for s in servers]
        bases = [s[1] for s in servers]
        stop = threading.Event()
        delivered: dict[str, int] = {}
        ready = threading.Semaphore(0)
        boards = [
            threading.Thread(
                target=board,
                args=(
                    bases[i % len(bases)],
                    str(u["board"]),
                    stop,
                    delivered,
                    str(u["unit_id"]),
                    ready,
                ),
                daemon=True,
            )
            for i, u in enumerate(units)
        ]
        for b in boards:
            b.start()
        for _ in boards:  # every board connected before the day starts
            if not ready.acquire(timeout=60):
                sys.exit("a board stream did not connect within 60 s")
        stats = Stats()
        cpu0 = sum(cpu_seconds(p.pid) for p in procs)
        t0 = time.perf_counter()
        t_end = t0 + args.day_seconds
        with LockSampler(url) as sampler:
            sims = [
                threading.Thread(
                    target=run_unit, args=(u, bases[(i + 1) % len(bases)], args, stats, t_end)
                )
                for i, u in enumerate(units)
            ]
            for s in sims:
                s.start()
            for s in sims:
                s.join()
        elapsed = time.perf_counter() - t0
        cpu = sum(cpu_seconds(p.pid) for p in procs) - cpu0
        time.sleep(args.drain_seconds)  # let the last events reach the boards
        stop.set()
        db = Database(create_db_engine(normalise_database_url(url)))
        with db.read() as conn:
            written = dict(
                conn.execute(
                    sa.select(events_table.c.unit_id, sa.func.count()).group_by(
                        events_table.c.unit_id
                    )
                ).all()
            )
        db.dispose()
        memory = [round(rss_mb(p.pid)) for p in procs]
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=10)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    ops = sum(len(v) for v in stats.latency.values())
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{args.units} units, {args.visitors} visitors each, a day in {args.day_seconds:.0f} s, "
        f"{args.servers} servers, one PostgreSQL\n"
    )
    print("| operation | count | errors | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|")
    for what in ("issue ticket", "call next", "start", "finish"):
        values = stats.latency.get(what, [])
        if values:
            print(
                f"| {what} | {len(values)} | {stats.errors.get(what, 0)} "
                f"| {statistics.median(values):.1f} | {percentile(values, 0.99):.1f} |"
            )
    total_written = sum(written.values())
    total_delivered = sum(delivered.values())
    print(
        f"\nevents written {total_written}, delivered to boards {total_delivered} "
        f"({total_delivered / max(1, total_written):.1%}); "
        f"boards with every event: "
        f"{sum(1 for u in units if delivered.get(str(u['unit_id']), 0) >= written.get(u['unit_id'], 0))}"
        f"/{len(units)}"
    )
    rate = ops / elapsed
    cpu_per_op = cpu * 1000 / max(1, ops)
    print(
        f"operations {ops} in {elapsed:.0f} s = {rate:.0f}/s; server CPU {cpu_per_op:.1f} ms per "
        f"operation (both processes); resident memory {memory} MB"
    )
    if sampler.summary():
        print(f"PostgreSQL lock sampling: {sampler.summary()}")
    # A real day: 550 units x visitors x 4 operations over 7.5 hours.
    real_rate = 550 * args.visitors * 4 / WORKING_SECONDS
    print(
        f"prediction for 550 units, a real {WORKING_SECONDS / 3600:.1f}-hour day: "
        f"{real_rate:.1f} operations/s, about {real_rate * cpu_per_op / 1000:.2f} CPU cores "
        f"of server time at the cost measured here, plus {550} open board streams "
        f"(~{550 // args.servers} per server process)"
    )


if __name__ == "__main__":
    main()
