"""Concurrent kiosks and counters over real HTTP: no duplicate numbers, no double calls.

A real uvicorn server in this process, real sockets, 8 client threads — on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests

from server.api.app import create_app
from server.config import Settings
from server.db.database import Database
from server.store import units
from tests.live import serve_in_thread
from tests.server.conftest import Unit

TICKETS = 1000
CALLERS = 8


def test_eight_kiosks_and_eight_counters_never_collide(
    settings: Settings, db: Database, unit: Unit
) -> None:
    with db.write() as conn:
        counter_ids = [
            units.add_counter(
                conn,
                unit_id=unit.id,
                number=10 + i,
                name=f"Loket {10 + i}",
                service_ids=unit.service_ids,
            )
            for i in range(CALLERS)
        ]
    with serve_in_thread(create_app(settings, db=db)) as base:
        staff = requests.post(
            f"{base}/api/v1/auth/login",
            json={"username": "siti", "password": "staff-password-1"},
            timeout=10,
        )
        staff_headers = {"Authorization": f"Bearer {staff.json()['token']}"}
        kiosk_headers = {"Authorization": f"Bearer {unit.kiosk_token}"}

        def issue_many(worker: int) -> list[tuple[int, str]]:
            session = requests.Session()
            issued = []
            for i in range(worker, TICKETS, CALLERS):
                body = {
                    "service_id": unit.service_ids[i % 2],
                    "priority": i % 5 == 0,
                    "client_request_id": uuid.uuid4().hex,
                }
                r = session.post(
                    f"{base}/api/v1/tickets", json=body, headers=kiosk_headers, timeout=30
                )
                assert r.status_code == 201, r.text
                issued.append((r.json()["id"], r.json()["number"]))
            return issued

        with ThreadPoolExecutor(CALLERS) as pool:
            issued = [t for batch in pool.map(issue_many, range(CALLERS)) for t in batch]
        numbers = [n for _, n in issued]
        assert len(set(numbers)) == TICKETS, "duplicate ticket numbers"
        for prefix in ("P", "K"):
            seqs = sorted(int(n[1:]) for n in numbers if n.startswith(prefix))
            assert seqs == list(range(1, len(seqs) + 1)), f"gap in {prefix} numbers"

        start = threading.Barrier(CALLERS)

        def drain(counter_id: int) -> list[int]:
            session = requests.Session()
            called = []
            start.wait()
            while True:
                r = session.post(
                    f"{base}/api/v1/counters/{counter_id}/call-next",
                    headers=staff_headers,
                    timeout=30,
                )
                if r.status_code == 204:
                    return called
                assert r.status_code == 200, r.text
                assert r.json()["counter_id"] == counter_id
                called.append(r.json()["id"])
                # one visitor per counter: clear it before calling the next
                done = session.post(
                    f"{base}/api/v1/tickets/{r.json()['id']}/cancel",
                    headers=staff_headers,
                    timeout=30,
                )
                assert done.status_code == 200, done.text

        with ThreadPoolExecutor(CALLERS) as pool:
            per_counter = list(pool.map(drain, counter_ids))
    calls = Counter(t for batch in per_counter for t in batch)
    assert sum(calls.values()) == TICKETS
    assert set(calls) == {tid for tid, _ in issued}
    assert max(calls.values()) == 1, "a ticket was called twice"
    assert all(per_counter), "every counter got work"
