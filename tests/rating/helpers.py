"""Helpers for the rating terminal tests: a scanner on a pty, served tickets, the driver runner.

:class:`PtyScanner` is a socat pty pair: the terminal reads one end, the test
writes a scanned code into the other (a real serial read, no mock).
:func:`run_rating_driver` runs ``tests.rating.rating_driver`` in a fresh
process under the current X display or ``xvfb-run`` (the kiosk tests'
environment and display helpers), answering its ``ask_test`` hooks.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import serial

from tests.kiosk.helpers import REPO, PtyPair, display_prefix, kivy_env
from tests.live import LiveServer

SHOTS = REPO / "artifacts" / "rating"


class PtyScanner:
    def __init__(self) -> None:
        self._pty = PtyPair()
        self.terminal_end, self.test_end = self._pty.app_end, self._pty.test_end
        self._port = serial.Serial(self.test_end, 9600, timeout=0.2)

    @property
    def url(self) -> str:
        return f"serial://{self.terminal_end}?baudrate=9600"

    def scan(self, text: str) -> None:
        self._port.write(text.encode() + b"\r\n")
        self._port.flush()

    def close(self) -> None:
        self._port.close()
        self._pty.close()


def served_ticket(
    server: LiveServer, service_index: int = 0, *, finish: bool = True
) -> dict[str, Any]:
    """A ticket issued by the kiosk and served to the end by the admin at the first counter."""
    with server.client(server.kiosk_token) as kiosk, server.client(server.login()) as staff:
        service = kiosk.get("/services").json()[service_index]
        ticket = kiosk.post("/tickets", json={"service_id": service["id"]}).json()
        if not finish:
            return dict(ticket)
        counters = staff.get("/counters").json()
        counter = next(
            c for c in counters if service["id"] in c.get("service_ids", [service["id"]])
        )
        called = staff.post(f"/counters/{counter['id']}/call-next")
        assert called.status_code == 200 and called.json()["id"] == ticket["id"], called.text
        for step in ("start", "finish"):
            r = staff.post(f"/tickets/{ticket['id']}/{step}")
            assert r.status_code == 200, r.text
        return dict(ticket)


def ratings_report(server: LiveServer, day: str) -> dict[str, Any]:
    with server.client(server.login()) as admin:
        r = admin.get("/reports/ikm", params={"from": day, "to": day})
        assert r.status_code == 200, r.text
        return dict(r.json())


def run_rating_driver(
    config: dict[str, Any],
    workdir: Path,
    timeout: float = 240,
    hooks: dict[str, Callable[[], None]] | None = None,
) -> dict[str, Any]:
    name = config.get("shot_prefix", "run")
    sync = workdir / f"sync-{name}"
    sync.mkdir(exist_ok=True)
    config = {**config, "sync_dir": str(sync), "result": str(workdir / f"result-{name}.json")}
    config.setdefault("shots_dir", str(SHOTS))
    config_path = workdir / f"driver-{name}.json"
    config_path.write_text(json.dumps(config, default=str))
    command = [
        *display_prefix(),
        sys.executable,
        "-m",
        "tests.rating.rating_driver",
        str(config_path),
    ]
    process = subprocess.Popen(
        command, cwd=REPO, env=kivy_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + timeout
    done: set[str] = set()
    while process.poll() is None:
        for hook, action in (hooks or {}).items():
            ready = sync / f"{hook}.ready"
            if ready.exists():
                ready.unlink()
                action()
                (sync / f"{hook}.done").touch()
                done.add(hook)
        if time.monotonic() > deadline:
            process.kill()
            break
        time.sleep(0.05)
    stdout, stderr = process.communicate()
    result_path = Path(config["result"])
    if not result_path.exists():
        raise AssertionError(
            f"driver crashed (rc={process.returncode}):\n{stdout[-3000:]}\n{stderr[-5000:]}"
        )
    summary: dict[str, Any] = json.loads(result_path.read_text())
    if not summary.get("finished"):
        raise AssertionError(f"scenario failed:\n{summary.get('error')}\n{stderr[-3000:]}")
    return summary


__all__ = ["SHOTS", "PtyScanner", "httpx", "ratings_report", "run_rating_driver", "served_ticket"]
