"""Run a real server for tests: uvicorn in a thread, or ``loket serve`` in a subprocess.

``LiveServer`` is the one harness for a whole Loket server in a thread: its own
temporary SQLite data directory, set up like ``loket init`` does (a unit with
its services and counters), plus the staff accounts, device tokens and unit
settings a test asks for. ``stop()``/``start()``/``restart()`` take uvicorn down
and bring it back on the same port with the same database.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import httpx
import uvicorn

from server.api.app import create_app
from server.bootstrap import init_unit
from server.cli.common import open_database
from server.config import Settings
from server.store import accounts, units
from server.store.accounts import DeviceKind

ADMIN_PASSWORD = "admin-password-123"
STAFF_PASSWORD = "staff-password-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(
    port: int, timeout: float = 90.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Wait until ``port`` accepts connections (generous: CI machines can be busy)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


def start_uvicorn(
    config: uvicorn.Config, timeout: float = 15.0
) -> tuple[uvicorn.Server, threading.Thread]:
    """Run uvicorn in a daemon thread; return once it listens."""
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.started:
            return server, thread
        if not thread.is_alive():
            break
        time.sleep(0.02)
    stop_uvicorn(server, thread)
    raise RuntimeError(f"uvicorn did not start on port {config.port}")


def stop_uvicorn(server: uvicorn.Server, thread: threading.Thread) -> None:
    server.should_exit = True
    thread.join(10)
    if thread.is_alive():
        server.force_exit = True
        thread.join(5)


@contextmanager
def serve_in_thread(app: Any, port: int | None = None) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free port; yields the base URL."""
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server, thread = start_uvicorn(config, timeout=90)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_uvicorn(server, thread)


@dataclass
class LiveServer:
    """The real Loket server in a thread, restartable on the same port."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    unit_id: int = 0
    staff: list[str] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def settings(self) -> Settings:
        return Settings(
            data_dir=self.data_dir,
            public_base_url=self.url,
            sqlite_synchronous="NORMAL",
            login_max_failures=1000,
        )

    @property
    def kiosk_token(self) -> str:
        return self.tokens.get("kiosk", "")

    @property
    def board_token(self) -> str:
        return self.tokens.get("board", "")

    def setup(
        self,
        *,
        staff_count: int = 0,
        devices: Mapping[DeviceKind, str] | None = None,
        unit_settings: Mapping[str, Any] | None = None,
    ) -> Self:
        """Create the unit (admin password ``ADMIN_PASSWORD``), ``staff_count`` staff
        accounts ``petugas1``… (``STAFF_PASSWORD``), one device per ``{kind: name}``
        (default: one kiosk) and the given unit settings."""
        db = open_database(self.settings)
        self.unit_id = init_unit(db, admin_password=ADMIN_PASSWORD).unit_id
        with db.write() as conn:
            for i in range(1, staff_count + 1):
                name = f"petugas{i}"
                accounts.add_user(
                    conn, unit_id=self.unit_id, username=name, password=STAFF_PASSWORD,
                    role="staff", full_name=f"Petugas {i}",
                )  # fmt: skip
                self.staff.append(name)
            for kind, device_name in (devices or {"kiosk": "Kios uji"}).items():
                self.tokens[kind] = accounts.add_device(
                    conn, unit_id=self.unit_id, kind=kind, name=device_name
                )[1]
            if unit_settings:
                units.update_unit_settings(conn, unit_id=self.unit_id, changes=dict(unit_settings))
        db.dispose()
        return self

    def start(self) -> Self:
        config = uvicorn.Config(
            create_app(self.settings),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=1,
            lifespan="on",
        )
        self._server, self._thread = start_uvicorn(config)
        return self

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        stop_uvicorn(self._server, self._thread)
        self._server = None
        self._thread = None

    def restart(self, downtime: float = 0.5) -> None:
        self.stop()
        time.sleep(downtime)
        self.start()

    # --- checking the server's state through its API ---------------------------------

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url + "/api/v1", headers=headers, timeout=10)

    def login(self, username: str = "admin", password: str = ADMIN_PASSWORD) -> str:
        with self.client() as c:
            r = c.post("/auth/login", json={"username": username, "password": password})
            r.raise_for_status()
            return str(r.json()["token"])

    def visits_today(self) -> list[dict[str, Any]]:
        with self.client(self.login()) as c:
            r = c.get("/visits")
            r.raise_for_status()
            data = r.json()
            return list(data["visits"] if isinstance(data, dict) else data)

    def queue(self) -> dict[str, Any]:
        with self.client(self.login()) as c:
            r = c.get("/queue")
            r.raise_for_status()
            return dict(r.json())

    def devices(self) -> list[dict[str, Any]]:
        with self.client(self.login()) as c:
            r = c.get("/devices")
            r.raise_for_status()
            return list(r.json())


def loket(
    *args: str, env: dict[str, str], stdin: str = "", check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the ``loket`` CLI as a subprocess of this interpreter."""
    result = subprocess.run(
        [sys.executable, "-m", "server.cli.main", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"loket {' '.join(args)} failed: {result.stderr}")
    return result


@contextmanager
def serve_in_subprocess(
    env: dict[str, str], port: int, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "server.cli.main", "serve", "--port", str(port)],
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, process=proc)
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
