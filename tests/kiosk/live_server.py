"""The real Loket server for kiosk tests: uvicorn in a thread on a free port.

Set up like ``loket init`` does (a unit with its services and counters) on a
temporary SQLite file, plus one kiosk device token (as ``loket device add
--kind kiosk`` makes) and a staff login for checking the server's state
through the API. ``stop()``/``start()`` take the server down and bring it
back on the same port with the same database, for the outbox test.
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
from server.store import accounts

ADMIN_PASSWORD = "kiosk-test-admin-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    data_dir: Path
    port: int = field(default_factory=free_port)
    kiosk_token: str = ""
    unit_id: int = 0
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

    def setup(self) -> LiveServer:
        db = open_database(self.settings)
        result = init_unit(db, admin_password=ADMIN_PASSWORD)
        self.unit_id = result.unit_id
        with db.write() as conn:
            self.kiosk_token = accounts.add_device(
                conn, unit_id=self.unit_id, kind="kiosk", name="Kios uji"
            )[1]
        db.dispose()
        return self

    def start(self) -> LiveServer:
        config = uvicorn.Config(
            create_app(self.settings),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._server.started:
                return self
            time.sleep(0.02)
        raise RuntimeError("uvicorn did not start")

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(10)
        self._server = None
        self._thread = None

    # --- checking the server's state through its API ---------------------------------

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url + "/api/v1", headers=headers, timeout=10)

    def staff_token(self) -> str:
        with self.client() as c:
            r = c.post("/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
            r.raise_for_status()
            return str(r.json()["token"])

    def visits_today(self) -> list[dict[str, Any]]:
        token = self.staff_token()
        with self.client(token) as c:
            r = c.get("/visits")
            r.raise_for_status()
            data = r.json()
            return list(data["visits"] if isinstance(data, dict) else data)

    def queue(self) -> dict[str, Any]:
        with self.client(self.staff_token()) as c:
            r = c.get("/queue")
            r.raise_for_status()
            return dict(r.json())

    def devices(self) -> list[dict[str, Any]]:
        with self.client(self.staff_token()) as c:
            r = c.get("/devices")
            r.raise_for_status()
            return list(r.json())
