"""Kiosk benchmark: cold start to the Welcome screen, and "Ambil" tap to printed bytes.

Run under X (or it re-runs itself under ``xvfb-run``)::

    .venv/bin/python bench/bench_kiosk.py [--starts 5] [--taps 10] [--write]

* **Cold start**: a fresh ``python`` process that builds and runs the kiosk
  (``kiosk.cli.build_app``) until the Welcome screen shows with the server's
  configuration loaded. Timed from just before the process is spawned.
* **Tap to print**: in one running kiosk, the visitor is brought to the last
  step (priority) through the core, then a real touch (``UnitTestTouch``) on
  "Ambil Nomor Antrean" is timed until the ticket's number arrives on the
  other end of a virtual serial printer (socat pty pair, status queries
  answered like a healthy printer). That covers the registration round trip
  to the live server, building the ticket and rendering the ESC/POS bytes.

The live server is the real one (uvicorn in a thread, temporary SQLite).
``--write`` stores the figures in ``docs/benchmarks-kiosk.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

START_TARGET_S = 3.0
TAP_TARGET_MS = 500.0


# --- child processes (each owns one Kivy window) ---------------------------------------


def child(mode: str, config: dict[str, Any]) -> None:
    from kiosk.cli import build_app
    from kiosk.settings import KioskSettings

    settings = KioskSettings(**config["settings"])
    app = build_app(settings)
    from kivy.clock import Clock

    out: dict[str, Any] = {}

    def welcome_ready(_dt: float) -> bool:
        if app.core.load_state == "ready" and app.root.current == "welcome":
            out["welcome_at"] = time.time()
            if mode == "start":
                app.stop()
            else:
                Clock.schedule_once(lambda _dt: run_taps(app, config, out), 0.5)
            return False
        return True

    Clock.schedule_interval(welcome_ready, 0)
    app.run()
    Path(config["result"]).write_text(json.dumps(out))


def run_taps(app: Any, config: dict[str, Any], out: dict[str, Any]) -> None:
    from kivy.clock import Clock
    from kivy.tests.common import UnitTestTouch

    from kiosk.printing import TicketPrinting
    from tests.kiosk.helpers import SerialPrinter, to_priority_step

    printer = SerialPrinter()
    app.core.printing = TicketPrinting(printer.url, timeout=10)
    app.core.printing.warm_up()
    out["taps_ms"] = []
    state: dict[str, Any] = {"n": 0}

    def prepare() -> None:
        to_priority_step(
            app.core,
            name="Tamu Bench",
            email="bench@gmail.com",
            phone="081234567890",
            id_number="1906011203850001",
        )
        state["frames"] = 0
        Clock.schedule_interval(laid_out, 0)

    def laid_out(_dt: float) -> bool:
        # tap only once the priority screen has shown and been laid out for a few frames
        if app.root.current == "priority" and not app._refresh_trigger.is_triggered:
            state["frames"] += 1
        if state["frames"] < 3:
            return True
        tap()
        return False

    def tap() -> None:
        button = app.root.current_screen.ids.take
        x, y = button.to_window(*button.center)
        before = len(printer.received)
        touch = UnitTestTouch(x, y)
        started = time.perf_counter()
        touch.touch_down()
        touch.touch_up()
        state.update(started=started, before=before)
        Clock.schedule_interval(wait_bytes, 0)

    def wait_bytes(_dt: float) -> bool:
        ticket = app.core.journey.ticket
        if ticket is None or ticket.number.encode() not in printer.received[state["before"] :]:
            if time.perf_counter() - state["started"] > 20:
                out["error"] = (
                    f"no ticket bytes within 20 s (step {app.core.journey.step}, "
                    f"print {app.core.print_state}, screen {app.root.current})"
                )
                finish()
                return False
            return True
        out["taps_ms"].append(round((time.perf_counter() - state["started"]) * 1000, 1))
        state["n"] += 1
        if state["n"] >= config["taps"]:
            finish()
        else:
            Clock.schedule_once(lambda _dt: prepare(), 0.2)
        return False

    def finish() -> None:
        printer.close()
        app.stop()

    prepare()


# --- the parent: server, children, figures ----------------------------------------------


def ensure_display() -> None:
    """Re-run this benchmark under one Xvfb if there is no display (so no run pays for it)."""
    if os.environ.get("DISPLAY"):
        return
    if not shutil.which("xvfb-run"):
        raise SystemExit("needs an X display or xvfb-run")
    command = ["xvfb-run", "-a", "-s", "-screen 0 1920x1920x24", sys.executable, *sys.argv]
    os.execvp(command[0], command)


def spawn(mode: str, config: dict[str, Any], workdir: Path) -> dict[str, Any]:
    config = {**config, "result": str(workdir / f"{mode}-{time.time_ns()}.json")}
    path = workdir / "config.json"
    path.write_text(json.dumps(config))
    env = dict(os.environ)
    home = REPO / "build" / "kivy-home"
    home.mkdir(parents=True, exist_ok=True)
    env.update(KIVY_NO_ARGS="1", KIVY_NO_CONSOLELOG="1", KIVY_HOME=str(home), PYTHONPATH=str(REPO))
    command = [sys.executable, __file__, "--child", mode, str(path)]
    spawned = time.time()
    subprocess.run(command, cwd=REPO, env=env, check=True, timeout=300)
    result: dict[str, Any] = json.loads(Path(config["result"]).read_text())
    result["spawned_at"] = spawned
    return result


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--taps", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks-kiosk.md")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "CONFIG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], json.loads(Path(args.child[1]).read_text()))
        return
    ensure_display()

    from tests.live import LiveServer

    workdir = Path(tempfile.mkdtemp(prefix="bench-kiosk-"))
    server = LiveServer(workdir / "server").setup().start()
    load_before = load_average()
    try:
        settings = {
            "server_url": server.url,
            "device_token": server.kiosk_token,
            "data_dir": str(workdir / "kiosk"),
            "orientation": "portrait",
        }
        starts = []
        for _ in range(args.starts):
            result = spawn("start", {"settings": settings}, workdir)
            starts.append(result["welcome_at"] - result["spawned_at"])
        taps_result = spawn("tap", {"settings": settings, "taps": args.taps}, workdir)
    finally:
        server.stop()
    if taps_result.get("error"):
        raise SystemExit(taps_result["error"])
    taps = taps_result["taps_ms"]
    figures = {
        "start_median_s": statistics.median(starts),
        "start_max_s": max(starts),
        "tap_median_ms": statistics.median(taps),
        "tap_p90_ms": sorted(taps)[max(0, int(len(taps) * 0.9) - 1)],
        "tap_max_ms": max(taps),
        "starts": [round(s, 2) for s in starts],
        "taps": taps,
        "load": f"{load_before} -> {load_average()}",
    }
    print(json.dumps(figures, indent=2))
    if args.write:
        write_doc(figures, len(starts), len(taps))


def write_doc(f: dict[str, Any], n_starts: int, n_taps: int) -> None:
    ok_start = "met" if f["start_median_s"] < START_TARGET_S else "NOT met"
    ok_tap = "met" if f["tap_median_ms"] < TAP_TARGET_MS else "NOT met"
    text = f"""## Kiosk (issue 5)

Measured with `.venv/bin/python bench/bench_kiosk.py --write` on {dt.date.today()}:
{os.cpu_count()} cores (`nproc`), CPU "{cpu_model()}", {platform.system()} {platform.release()},
Python {platform.python_version()}, Kivy 2.3.1 on Xvfb with Mesa software OpenGL (llvmpipe),
portrait 1080×1920 window, live Loket server (uvicorn + SQLite) on the same machine.
Load average during the run: {f["load"]} — the machine was shared with colleagues'
test runs, so these are upper bounds rather than clean figures.

| Measure | Runs | Median | p90 | Worst | Target (on the median) |
|---|---:|---:|---:|---:|---:|
| Cold start → Welcome screen, configuration loaded | {n_starts} | {f["start_median_s"]:.2f} s | – | {f["start_max_s"]:.2f} s | < 3 s ({ok_start}) |
| "Ambil Nomor Antrean" tap → ticket number on the printer's serial line | {n_taps} | {f["tap_median_ms"]:.0f} ms | {f["tap_p90_ms"]:.0f} ms | {f["tap_max_ms"]:.0f} ms | < 500 ms ({ok_tap}) |

- All runs share one Xvfb server (started once, not counted).
- Cold start is timed from just before the kiosk process is spawned (Python start,
  Kivy and SDL start-up, window creation, .kv loading, the four configuration
  requests) until the Welcome screen shows with the start button enabled.
- Tap to print is a real touch event on the button, through the registration
  round trip (`POST /api/v1/registrations`), the ticket screen switch, the ESC/POS
  rendering and the status check, until the ticket number's bytes arrive on the
  far end of a socat pty pair. The on-screen preview is rendered in parallel and
  is not on this path.
- What made these numbers: the Welcome screen is built first and the other ten
  screens one per frame after it shows; the four configuration requests run in
  parallel while the window is being built; python-escpos is imported in the
  background after start; settings avoid pydantic; the ticket is sent to the
  printer from the worker thread as soon as the server answers, without waiting
  for the next UI frame (under load a software-rendered frame can take 100-300 ms).
- Individual runs: starts {f["starts"]} s; taps {f["taps"]} ms.
"""
    (REPO / "docs" / "benchmarks-kiosk.md").write_text(text, encoding="utf-8")
    print("wrote docs/benchmarks-kiosk.md")


if __name__ == "__main__":
    main()
