"""Server benchmark: issue-ticket and call-next latency and throughput.

Runs ``loket serve`` as a separate process (SQLite with durable commits, and
PostgreSQL when LOKET_TEST_POSTGRES_URL is set), drives it over real HTTP from
1 and 8 client threads (keep-alive ``http.client`` connections, ``bench/lean_http.py``:
about a quarter of the client CPU of ``requests``, which matters when client and
server share two cores), and prints a Markdown table. Also measures cold start
to the first 200 (wall time and the server's CPU time until then) and the
server's resident memory.

    .venv/bin/python bench/bench_server.py [--tickets 2000] [--clients 1,8]
        [--history 1000000] [--open-rate 700 --open-seconds 5] [--servers 2]
        [--backends sqlite,postgres] [--cold-starts 5]

``--history N`` first bulk-loads N finished tickets (five units, a year each;
``bench/seed_history.py``). ``--open-rate R`` adds an open-loop run: requests
are sent on a fixed schedule of R per second and each latency counts from the
scheduled moment, so a stalled server cannot hide behind waiting clients.
On PostgreSQL a sampler reads ``pg_stat_activity`` every 5 ms during the load
and reports how many server backends were waiting on a lock.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.lean_http import LeanSession
from bench.seed_history import seed_history
from server.config import normalise_database_url
from tests.live import free_port

PASSWORD = "bench-password-123"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(cmd: list[str], env: dict[str, str], stdin: str = "") -> str:
    out = subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(
    label: str,
    clients: int,
    count: int,
    action: Callable[[LeanSession, int], float | None],
    server_pids: list[int],
) -> dict[str, object]:
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(w: int) -> None:
        session = LeanSession()
        mine = []
        for i in range(w, count, clients):
            t0 = time.perf_counter()
            timed = action(session, i)  # an action may time its own measured part
            mine.append(timed if timed is not None else (time.perf_counter() - t0) * 1000)
        with lock:
            latencies.extend(mine)

    cpu0 = sum(cpu_seconds(pid) for pid in server_pids)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    elapsed = time.perf_counter() - t0
    server_cpu_ms = (
        (sum(cpu_seconds(pid) for pid in server_pids) - cpu0) * 1000 / max(1, len(latencies))
    )
    return {
        "what": label,
        "clients": clients,
        "n": len(latencies),
        "p50": statistics.median(latencies),
        "p99": percentile(latencies, 0.99),
        "rate": len(latencies) / elapsed,
        "cpu": server_cpu_ms,
    }


class LockSampler:
    """Counts this benchmark's PostgreSQL backends waiting on a lock, every 5 ms.

    Only backends whose ``application_name`` is the one in ``url`` count: the
    database server is shared with other work on this machine.
    """

    def __init__(self, url: str | None) -> None:
        self.url = url
        self.app = url.split("application_name=")[1].split("&")[0] if url else ""
        self.samples = 0
        self.active = 0
        self.lock_waits = 0
        self.waiting_on: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LockSampler:
        if self.url:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.url:
            self._thread.join()

    def _run(self) -> None:
        import psycopg

        assert self.url is not None
        with psycopg.connect(self.url.split("?")[0], autocommit=True) as conn:
            while not self._stop.is_set():
                active, waiting = conn.execute(
                    "SELECT count(*) FILTER (WHERE state = 'active'), "
                    "count(*) FILTER (WHERE wait_event_type = 'Lock') "
                    "FROM pg_stat_activity WHERE application_name = %s",
                    (self.app,),
                ).fetchone() or (0, 0)
                self.samples += 1
                self.active += active
                self.lock_waits += waiting
                if waiting:
                    for event, query in conn.execute(
                        "SELECT wait_event, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) "
                        "FROM pg_stat_activity WHERE application_name = %s "
                        "AND wait_event_type = 'Lock'",
                        (self.app,),
                    ):
                        key = f"{event}: {query}"
                        self.waiting_on[key] = self.waiting_on.get(key, 0) + 1
                time.sleep(0.005)

    def summary(self) -> str:
        if not self.samples:
            return ""
        share = self.lock_waits / max(1, self.active)
        top = sorted(self.waiting_on.items(), key=lambda kv: -kv[1])[:3]
        detail = "; ".join(f"{n}x {what}" for what, n in top)
        return (
            f"{self.samples} samples: {self.lock_waits} lock-waiting of "
            f"{self.active} active backend observations ({share:.1%})"
            + (f" — {detail}" if detail else "")
        )


def measure_open_loop(
    label: str,
    rate: float,
    seconds: float,
    action: Callable[[LeanSession, int], None],
    server_pids: list[int],
    threads: int = 32,
) -> dict[str, object]:
    """Send ``rate`` requests per second on a fixed schedule; latency from the schedule."""
    count = int(rate * seconds)
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(count))
    start = time.perf_counter() + 0.2

    def worker(_: int) -> None:
        session = LeanSession()
        mine = []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            action(session, i)
            mine.append((time.perf_counter() - due) * 1000)
        with lock:
            latencies.extend(mine)

    cpu0 = sum(cpu_seconds(pid) for pid in server_pids)
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(threads)))
    elapsed = time.perf_counter() - start
    return {
        "what": f"{label} (open loop {rate:.0f}/s offered)",
        "clients": threads,
        "n": len(latencies),
        "p50": statistics.median(latencies),
        "p99": percentile(latencies, 0.99),
        "rate": len(latencies) / elapsed,
        "cpu": (sum(cpu_seconds(pid) for pid in server_pids) - cpu0)
        * 1000
        / max(1, len(latencies)),
    }


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str, float, float]:
    """Start ``loket serve``; returns the process, its URL, seconds and CPU seconds to first 200."""
    port = free_port()
    t_start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            if requests.get(f"{base}/api/v1/health", timeout=5).status_code == 200:
                break
        except requests.RequestException:  # not listening yet, or slow on a loaded machine
            time.sleep(0.005)
    return proc, base, time.perf_counter() - t_start, cpu_seconds(proc.pid)


def add_counters(url: str, total: int) -> None:
    """Give the unit ``total`` counters serving every service: one per calling client."""
    from server.db.database import Database, create_db_engine
    from server.db.schema import units as units_table
    from server.store import units

    engine = create_db_engine(url)
    db = Database(engine)
    with db.write() as conn:
        unit_id = conn.execute(sa.select(sa.func.min(units_table.c.id))).scalar_one()
        service_ids = [s["id"] for s in units.list_services(conn, unit_id=unit_id)]
        have = len(units.list_counters(conn, unit_id=unit_id))
        for number in range(have + 1, total + 1):
            units.add_counter(
                conn,
                unit_id=unit_id,
                number=number,
                name=f"Loket {number}",
                service_ids=service_ids,
            )
    engine.dispose()


def bench_backend(
    name: str, env: dict[str, str], args: argparse.Namespace
) -> tuple[list[dict[str, object]], dict[str, object]]:
    python = sys.executable
    tickets = args.tickets
    run([python, "-m", "server.cli.main", "init"], env)
    kiosk = run([python, "-m", "server.cli.main", "device", "add", "--kind", "kiosk"], env)
    info: dict[str, object] = {}
    pg_env = env.get("LOKET_DATABASE_URL")
    sqlite_url = f"sqlite:///{env['LOKET_DATA_DIR']}/loket.sqlite3"
    url = normalise_database_url(pg_env) if pg_env else sqlite_url
    # one counter per calling client, as at a real desk (two clients on one counter
    # would only measure them queueing for that counter's row lock)
    add_counters(url, max(args.clients))
    if args.history:
        info["history_seed_s"] = seed_history(url, tickets=args.history)
        name = f"{name}, {args.history:,} finished tickets"
    colds = []
    for _ in range(max(0, args.cold_starts - 1)):
        extra, _, cold_s, cold_cpu = start_server(env)
        colds.append((cold_s, cold_cpu))
        extra.terminate()
        extra.wait(timeout=10)
    proc, base, cold, cold_cpu = start_server(env)
    colds.append((cold, cold_cpu))
    others = [start_server(env) for _ in range(args.servers - 1)]
    bases = [base] + [o[1] for o in others]
    pids = [proc.pid] + [o[0].pid for o in others]
    info["cold_starts"] = colds
    rows = []
    pg_url = env.get("LOKET_DATABASE_URL")
    try:
        staff_token = requests.post(
            f"{base}/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}
        ).json()["token"]
        kh = {"Authorization": f"Bearer {kiosk}"}
        sh = {"Authorization": f"Bearer {staff_token}"}
        services = [s["id"] for s in requests.get(f"{base}/api/v1/services", headers=kh).json()]
        counters = [c["id"] for c in requests.get(f"{base}/api/v1/counters", headers=kh).json()]

        def issue(session: LeanSession, i: int) -> None:  # timed whole
            r = session.post(
                f"{bases[i % len(bases)]}/api/v1/tickets",
                headers=kh,
                json={
                    "service_id": services[i % len(services)],
                    "client_request_id": uuid.uuid4().hex,
                },
            )
            assert r.status_code == 201, r.text

        def call(session: LeanSession, i: int) -> float:
            """Call next (timed), then serve the visitor (not timed): a counter calls
            the next visitor only once the previous one has left it."""
            base_url = bases[i % len(bases)]
            counter = counters[i % len(counters)]
            t0 = time.perf_counter()
            r = session.post(f"{base_url}/api/v1/counters/{counter}/call-next", headers=sh)
            elapsed = (time.perf_counter() - t0) * 1000
            assert r.status_code == 200, r.text
            ticket = r.json()["id"]
            for step in ("start", "finish"):
                done = session.post(
                    f"{base_url}/api/v1/tickets/{ticket}/{step}",
                    headers=sh,
                    json={"counter_id": counter},
                )
                assert done.status_code == 200, done.text
            return elapsed

        label = f"{name}" + (f", {args.servers} servers" if args.servers > 1 else "")
        locks = []
        for what, action in (("issue ticket", issue), ("call next", call)):
            for clients in args.clients:
                with LockSampler(pg_url) as sampler:
                    rows.append(measure(f"{label}: {what}", clients, tickets, action, pids))
                if sampler.summary():
                    locks.append(f"{what}, {clients} clients: {sampler.summary()}")
            if args.open_rate and what == "issue ticket":
                with LockSampler(pg_url) as sampler:
                    rows.append(
                        measure_open_loop(
                            f"{label}: {what}", args.open_rate, args.open_seconds, action, pids
                        )
                    )
                if sampler.summary():
                    locks.append(f"{what}, open loop: {sampler.summary()}")
        info["locks"] = locks
        info["rss_mb"] = [round(rss_mb(pid)) for pid in pids]
    finally:
        for p in [proc] + [o[0] for o in others]:
            p.terminate()
            p.wait(timeout=10)
    return rows, info


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--clients", default="1,8", help="comma-separated client counts")
    parser.add_argument("--history", type=int, default=0, help="finished tickets to seed first")
    parser.add_argument("--open-rate", type=float, default=0.0, help="open-loop tickets/s")
    parser.add_argument("--open-seconds", type=float, default=5.0)
    parser.add_argument("--servers", type=int, default=1, help="loket serve processes")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--cold-starts", type=int, default=1, help="server starts to time")
    args = parser.parse_args()
    args.clients = [int(c) for c in args.clients.split(",")]
    wanted = set(args.backends.split(","))
    backends: list[tuple[str, dict[str, str]]] = []
    tmp = Path(tempfile.mkdtemp(prefix="loket-bench-"))
    base_env = {
        **os.environ,
        "LOKET_DEMO": "1",
        "LOKET_ADMIN_PASSWORD": PASSWORD,
        "LOKET_DATA_DIR": str(tmp / "sqlite"),
    }
    if "sqlite" in wanted:
        backends.append(("SQLite (synchronous=FULL)", base_env))
    pg = os.environ.get("LOKET_TEST_POSTGRES_URL")
    if pg and "postgres" in wanted:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        engine = sa.create_engine(
            pg.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
        )
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = f"{pg}?options=-csearch_path%3D{schema}&application_name={schema}"
        backends.append(
            (
                "PostgreSQL",
                {**base_env, "LOKET_DATA_DIR": str(tmp / "pg"), "LOKET_DATABASE_URL": url},
            )
        )
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| what | clients | requests | p50 ms | p99 ms | per second | server CPU ms/request |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    extras = []
    try:
        for name, env in backends:
            rows, info = bench_backend(name, env, args)
            for r in rows:
                print(
                    f"| {r['what']} | {r['clients']} | {r['n']} | {r['p50']:.1f} "
                    f"| {r['p99']:.1f} | {r['rate']:.0f} | {r['cpu']:.1f} |",
                    flush=True,
                )
            extras.append((name, info))
    finally:
        if pg and "postgres" in wanted:
            with engine.connect() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    for name, info in extras:
        colds = info["cold_starts"]
        assert isinstance(colds, list)
        walls = ", ".join(f"{w:.2f}" for w, _ in colds)
        cpus = ", ".join(f"{c:.2f}" for _, c in colds)
        print(f"\n{name}: cold start to first 200: {walls} s (server CPU {cpus} s)")
        print(f"{name}: resident memory after the run: {info['rss_mb']} MB")
        if "history_seed_s" in info:
            print(f"{name}: history seeded in {info['history_seed_s']:.0f} s")
        for line in info.get("locks", []):  # type: ignore[attr-defined]
            print(f"{name}: PostgreSQL lock sampling, {line}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
