"""A real Loket server for browser tests and the board benchmark.

Runs uvicorn in a thread on a fixed free port against a temporary SQLite file,
set up with the same bootstrap the ``loket init`` command uses, plus staff
accounts and a board device token. ``restart()`` stops uvicorn and starts a
new one on the same port (the database file stays), to test reconnection.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from server.api.app import create_app
from server.bootstrap import init_unit
from server.cli.common import open_database
from server.config import Settings
from server.store import accounts, units

ADMIN_PASSWORD = "admin-password-123"
STAFF_PASSWORD = "staff-password-123"
RUNNING_TEXT = "Selamat datang di PST BPS Kabupaten Belitung Timur — layanan gratis."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """One uvicorn server in a thread, restartable on the same port."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    board_token: str = ""
    kiosk_token: str = ""
    unit_id: int = 0
    staff: list[str] = field(default_factory=list)
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def settings(self) -> Settings:
        return Settings(
            demo=True,
            data_dir=self.data_dir,
            public_base_url=self.url,
            sqlite_synchronous="NORMAL",
            login_max_failures=1000,
        )

    def setup(self, *, staff_count: int = 2) -> LiveServer:
        db = open_database(self.settings)
        result = init_unit(db, admin_password=ADMIN_PASSWORD)
        self.unit_id = result.unit_id
        with db.write() as conn:
            for i in range(1, staff_count + 1):
                name = f"petugas{i}"
                accounts.add_user(
                    conn, unit_id=self.unit_id, username=name, password=STAFF_PASSWORD,
                    role="staff", full_name=f"Petugas {i}",
                )  # fmt: skip
                self.staff.append(name)
            self.board_token = accounts.add_device(
                conn, unit_id=self.unit_id, kind="board", name="Papan lobi"
            )[1]
            self.kiosk_token = accounts.add_device(
                conn, unit_id=self.unit_id, kind="kiosk", name="Kios lobi"
            )[1]
            units.update_unit_settings(
                conn, unit_id=self.unit_id, changes={"running_text": RUNNING_TEXT}
            )
        db.dispose()
        return self

    def start(self) -> None:
        config = uvicorn.Config(
            create_app(self.settings),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=1,
            lifespan="on",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._server.started:
                return
            time.sleep(0.02)
        raise RuntimeError("uvicorn did not start")

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(10)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(5)
        self._server = None
        self._thread = None

    def restart(self, downtime: float = 0.5) -> None:
        self.stop()
        time.sleep(downtime)
        self.start()

    # ---- API helpers for tests -------------------------------------------
    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url + "/api/v1", headers=headers, timeout=10)

    def login(self, username: str = "admin", password: str = ADMIN_PASSWORD) -> str:
        with self.client() as c:
            r = c.post("/auth/login", json={"username": username, "password": password})
            r.raise_for_status()
            return str(r.json()["token"])

    def issue(self, service_prefix: str = "P", *, priority: bool = False) -> dict[str, Any]:
        with self.client(self.kiosk_token) as c:
            services = {s["prefix"]: s["id"] for s in c.get("/services").json()}
            body: dict[str, Any] = {"service_id": services[service_prefix], "priority": priority}
            if priority:
                body["priority_reason"] = "elderly"
            r = c.post("/tickets", json=body)
            r.raise_for_status()
            out: dict[str, Any] = r.json()
            return out

    def reset(self) -> None:
        """Empty the queue and put every counter back to serving all services."""
        token = self.login()
        with self.client(token) as c:
            queue = c.get("/queue").json()
            for service in queue["services"]:
                for ticket in service["waiting"]:
                    c.post(f"/tickets/{ticket['id']}/cancel", json={})
            for counter in queue["counters"]:
                current = counter.get("current")
                if current and current["status"] == "called":
                    c.post(f"/tickets/{current['id']}/cancel", json={})
                elif current and current["status"] == "serving":
                    c.post(f"/tickets/{current['id']}/finish", json={})
            service_ids = [s["id"] for s in c.get("/services").json()]
            for counter in c.get("/counters").json():
                if counter["paused"]:
                    c.post(f"/counters/{counter['id']}/resume")
                c.put(f"/counters/{counter['id']}/services", json={"service_ids": service_ids})

    def call_next(self, counter_number: int = 1, token: str | None = None) -> dict[str, Any] | None:
        token = token or self.login()
        with self.client(token) as c:
            counters = {k["number"]: k["id"] for k in c.get("/counters").json()}
            r = c.post(f"/counters/{counters[counter_number]}/call-next")
            r.raise_for_status()
            return None if r.status_code == 204 else dict(r.json())
