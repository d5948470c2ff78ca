"""Server benchmark: issue-ticket and call-next latency and throughput.

Runs ``loket serve`` as a separate process (SQLite with durable commits, and
PostgreSQL when LOKET_TEST_POSTGRES_URL is set), drives it over real HTTP from
1 and 8 client threads, and prints a Markdown table. Also measures cold start
to the first 200 and the server's resident memory.

    .venv/bin/python bench/bench_server.py [--tickets 2000]
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
    action: Callable[[requests.Session, int], None],
    server_pid: int,
) -> dict[str, object]:
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(w: int) -> None:
        session = requests.Session()
        mine = []
        for i in range(w, count, clients):
            t0 = time.perf_counter()
            action(session, i)
            mine.append((time.perf_counter() - t0) * 1000)
        with lock:
            latencies.extend(mine)

    cpu0 = cpu_seconds(server_pid)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    elapsed = time.perf_counter() - t0
    server_cpu_ms = (cpu_seconds(server_pid) - cpu0) * 1000 / max(1, len(latencies))
    return {
        "what": label,
        "clients": clients,
        "n": len(latencies),
        "p50": statistics.median(latencies),
        "p99": percentile(latencies, 0.99),
        "rate": len(latencies) / elapsed,
        "cpu": server_cpu_ms,
    }


def bench_backend(
    name: str, env: dict[str, str], tickets: int
) -> tuple[list[dict[str, object]], dict[str, float]]:
    python = sys.executable
    run([python, "-m", "server.cli.main", "init"], env)
    kiosk = run([python, "-m", "server.cli.main", "device", "add", "--kind", "kiosk"], env)
    port = free_port()
    t_start = time.perf_counter()
    proc = subprocess.Popen(
        [python, "-m", "server.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            if requests.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.01)
    cold = time.perf_counter() - t_start
    rows = []
    try:
        staff_token = requests.post(
            f"{base}/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}
        ).json()["token"]
        kh = {"Authorization": f"Bearer {kiosk}"}
        sh = {"Authorization": f"Bearer {staff_token}"}
        services = [s["id"] for s in requests.get(f"{base}/api/v1/services", headers=kh).json()]
        counters = [c["id"] for c in requests.get(f"{base}/api/v1/counters", headers=kh).json()]

        def issue(session: requests.Session, i: int) -> None:
            r = session.post(
                f"{base}/api/v1/tickets",
                headers=kh,
                json={
                    "service_id": services[i % len(services)],
                    "client_request_id": uuid.uuid4().hex,
                },
            )
            assert r.status_code == 201, r.text

        def call(session: requests.Session, i: int) -> None:
            r = session.post(
                f"{base}/api/v1/counters/{counters[i % len(counters)]}/call-next", headers=sh
            )
            assert r.status_code == 200, r.text

        for clients in (1, 8):
            rows.append(measure(f"{name}: issue ticket", clients, tickets, issue, proc.pid))
        for clients in (1, 8):
            rows.append(measure(f"{name}: call next", clients, tickets, call, proc.pid))
        memory = rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return rows, {"cold_start_s": cold, "rss_mb": memory}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=2000)
    args = parser.parse_args()
    backends: list[tuple[str, dict[str, str]]] = []
    tmp = Path(tempfile.mkdtemp(prefix="loket-bench-"))
    base_env = {
        **os.environ,
        "LOKET_DEMO": "1",
        "LOKET_ADMIN_PASSWORD": PASSWORD,
        "LOKET_DATA_DIR": str(tmp / "sqlite"),
    }
    backends.append(("SQLite (synchronous=FULL)", base_env))
    pg = os.environ.get("LOKET_TEST_POSTGRES_URL")
    if pg:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        engine = sa.create_engine(
            pg.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
        )
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = f"{pg}?options=-csearch_path%3D{schema}"
        backends.append(
            (
                "PostgreSQL",
                {**base_env, "LOKET_DATA_DIR": str(tmp / "pg"), "LOKET_DATABASE_URL": url},
            )
        )
    print("| what | clients | requests | p50 ms | p99 ms | per second | server CPU ms/request |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    extras = []
    for name, env in backends:
        rows, info = bench_backend(name, env, args.tickets)
        for r in rows:
            print(
                f"| {r['what']} | {r['clients']} | {r['n']} | {r['p50']:.1f} | {r['p99']:.1f} "
                f"| {r['rate']:.0f} | {r['cpu']:.1f} |"
            )
        extras.append((name, info))
    for name, info in extras:
        print(
            f"\n{name}: cold start to first 200: {info['cold_start_s']:.2f} s; "
            f"resident memory after the run: {info['rss_mb']:.0f} MB"
        )
    if pg:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
