"""Test helpers for the kiosk: a virtual serial printer and the window-driver runner.

:class:`SerialPrinter` is a socat pty pair: the kiosk prints to one end, the
test reads the other with pyserial and answers the printer's real-time status
queries (``DLE EOT n``) as a healthy printer or one that is out of paper.
:func:`run_driver` runs ``tests.kiosk.kiosk_driver`` in a subprocess (one Kivy
window per process), under the current X display or a fresh ``xvfb-run``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import serial

from kiosk.journey import Step

if TYPE_CHECKING:
    from kiosk.core import KioskCore

REPO = Path(__file__).resolve().parents[2]
KIVY_HOME = REPO / "build" / "kivy-home"
SHOTS = REPO / "artifacts" / "kiosk"

#: answers to DLE EOT 1, 2, 4 (printer, offline cause, paper sensor)
HEALTHY = {1: 0x12, 2: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 4: 0x72}


class PtyPair:
    """Two connected pseudo-terminals (socat): the app opens one end, the test the other."""

    def __init__(self) -> None:
        self._socat = subprocess.Popen(
            ["socat", "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"],
            stderr=subprocess.PIPE,
            text=True,
        )
        paths: list[str] = []
        assert self._socat.stderr is not None
        while len(paths) < 2:
            line = self._socat.stderr.readline()
            if not line:
                raise RuntimeError("socat did not start")
            found = re.search(r"PTY is (\S+)", line)
            if found:
                paths.append(found.group(1))
        self.app_end, self.test_end = paths

    def close(self) -> None:
        self._socat.terminate()
        self._socat.wait(timeout=5)


class SerialPrinter:
    """A pty pair standing in for a serial ESC/POS printer."""

    def __init__(self, answers: dict[int, int] | None = None) -> None:
        self.answers = dict(answers or HEALTHY)
        self.received = bytearray()
        self._stop = threading.Event()
        self._pty = PtyPair()
        self.kiosk_end, self.test_end = self._pty.app_end, self._pty.test_end
        self._port = serial.Serial(self.test_end, 115200, timeout=0.2)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"serial://{self.kiosk_end}?baudrate=115200"

    def _serve(self) -> None:
        pending = b""
        while not self._stop.is_set():
            data = self._port.read(1)  # blocks up to the timeout for the first byte
            if not data:
                continue
            data += self._port.read(self._port.in_waiting)  # then whatever else arrived
            self.received.extend(data)
            pending = (pending + data)[-8:]
            while b"\x10\x04" in pending:
                index = pending.index(b"\x10\x04")
                if len(pending) < index + 3:
                    break
                n = pending[index + 2]
                self._port.write(bytes([self.answers.get(n, 0x12)]))
                pending = pending[index + 3 :]

    def wait_for(self, needle: bytes, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.received:
                return True
            time.sleep(0.05)
        return False

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._port.close()
        self._pty.close()


def kivy_env() -> dict[str, str]:
    KIVY_HOME.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        KIVY_NO_ARGS="1",
        KIVY_NO_CONSOLELOG="1",
        KIVY_HOME=str(KIVY_HOME),
        PYTHONPATH=str(REPO),
    )
    env.pop("SDL_VIDEODRIVER", None)
    return env


def display_prefix() -> list[str]:
    """Run under the current X display, or start one if there is none."""
    if os.environ.get("DISPLAY"):
        return []
    if not shutil.which("xvfb-run"):
        raise RuntimeError("no X display and no xvfb-run")
    return ["xvfb-run", "-a", "-s", "-screen 0 1920x1920x24"]


def run_driver(
    config: dict[str, Any],
    workdir: Path,
    timeout: float = 240,
    hooks: dict[str, Callable[[], None]] | None = None,
) -> dict[str, Any]:
    """Run one scenario in a fresh process; return its JSON summary.

    ``hooks`` are things the scenario asks the test to do mid-way (``ask_test``),
    such as stopping the server; each runs once when the driver asks for it.
    """
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
        "tests.kiosk.kiosk_driver",
        str(config_path),
    ]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=kivy_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + timeout
    pending = dict(hooks or {})
    while process.poll() is None:
        for hook, action in list(pending.items()):
            if (sync / f"{hook}.ready").exists():
                action()
                (sync / f"{hook}.done").touch()
                del pending[hook]
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


def to_priority_step(core: KioskCore, *, name: str, email: str, phone: str, id_number: str) -> None:
    """Through the core as a first-time visitor of the first service, up to the
    priority step (the one that takes the ticket): the ID first, then each choice
    question takes its first answer, the other questions the given values."""
    core.start(core.journey.services[0].id)
    core.accept_consent(photo=False)
    journey = core.journey
    journey.set_id_number(id_number)
    core.confirm_id()  # a NIK is looked up (inline worker); unknown → the questions
    if journey.step == Step.IDENTITY:  # the look-up is still on a worker thread:
        journey.lookup_result(None)  # go on as a first visit (its late answer is ignored)
        core.lookup_state = ""
    while journey.step == Step.GUESTBOOK:
        for field in journey.page:
            if field.kind == "choice":
                value = field.choices[0].value
            else:
                value = {"email": email, "phone": phone}.get(field.kind, name)
            core.set_value(field.name, value)
        core.next_field()
