"""Kill the server during a burst of issues: every ticket that got a 201 survives.

``loket serve`` runs as a real subprocess; it is killed with SIGKILL (no clean
shutdown), restarted, and every acknowledged ticket is read back.
"""

from __future__ import annotations

import signal
import threading
import time
import uuid
from pathlib import Path

import requests

from server.config import Settings
from server.db.database import Database
from tests.live import free_port, serve_in_subprocess
from tests.server.conftest import Unit


def test_acknowledged_tickets_survive_sigkill(
    settings: Settings, db: Database, unit: Unit, tmp_path: Path
) -> None:
    env = {
        "LOKET_DATA_DIR": str(tmp_path),
        "LOKET_DATABASE_URL": settings.database_url,
    }
    token = unit.kiosk_token
    db.dispose()
    headers = {"Authorization": f"Bearer {token}"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    acknowledged: list[dict] = []
    lock = threading.Lock()
    stop = threading.Event()

    def burst() -> None:
        session = requests.Session()
        while not stop.is_set():
            try:
                r = session.post(
                    f"{base}/api/v1/tickets",
                    headers=headers,
                    timeout=5,
                    json={"service_id": 1, "client_request_id": uuid.uuid4().hex},
                )
            except requests.RequestException:
                return  # the server died mid-request: that ticket was never acknowledged
            if r.status_code == 201:
                with lock:
                    acknowledged.append(r.json())

    with serve_in_subprocess(env, port, tmp_path / "server1.log") as proc:
        threads = [threading.Thread(target=burst) for _ in range(4)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=10)
    assert len(acknowledged) >= 40

    with serve_in_subprocess(env, port, tmp_path / "server2.log"):
        session = requests.Session()
        for ticket in acknowledged:
            r = session.get(f"{base}/api/v1/tickets/{ticket['id']}", headers=headers, timeout=5)
            assert r.status_code == 200, f"ticket {ticket['number']} lost after the crash"
            assert r.json()["number"] == ticket["number"]
        # numbering continues after the highest acknowledged number, without duplicates
        fresh = session.post(
            f"{base}/api/v1/tickets", headers=headers, timeout=5, json={"service_id": 1}
        )
        assert fresh.status_code == 201
        highest = max(int(t["number"][1:]) for t in acknowledged)
        assert int(fresh.json()["number"][1:]) > highest
