"""Rating terminal benchmark: cold start to the first screen, and last tap to stored rating.

Run under X (or it re-runs itself under ``xvfb-run``)::

    .venv/bin/python bench/bench_rating.py [--starts 5] [--taps 10] [--write]

* **Cold start**: a fresh ``python`` process builds and runs the terminal
  (``kiosk.rating.cli.build_app``) until its start screen is current and laid
  out. Timed from just before the process is spawned.
* **Last tap to stored rating**: in one running terminal, each served ticket
  is brought to the suggestion step through the core (overall 4, nine
  answers), then a real touch (``UnitTestTouch``) on "Kirim penilaian" is
  timed until the thanks screen shows — which happens only after the server
  answered 201, i.e. the rating is committed. The parent then checks every
  rating is in the database.

The server is the real one (uvicorn in a thread, temporary SQLite file).
``--write`` appends the figures to ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_kiosk import cpu_model, ensure_display, load_average  # noqa: E402

START_TARGET_S = 2.0
TAP_TARGET_MS = 300.0


def child(mode: str, config: dict[str, Any]) -> None:
    from kiosk.rating.cli import build_app
    from kiosk.rating.settings import RatingSettings

    app = build_app(RatingSettings(**config["settings"]))
    from kivy.clock import Clock

    out: dict[str, Any] = {}
    state = {"frames": 0}

    def first_screen(_dt: float) -> bool:
        if app.root is not None and app.root.current == "start":
            state["frames"] += 1
        if state["frames"] < 2:
            return True
        out["start_at"] = time.time()
        if mode == "start":
            app.stop()
        else:
            Clock.schedule_once(lambda _dt: run_taps(app, config, out), 0.3)
        return False

    Clock.schedule_interval(first_screen, 0)
    app.run()
    Path(config["result"]).write_text(json.dumps(out))


def run_taps(app: Any, config: dict[str, Any], out: dict[str, Any]) -> None:
    from kivy.clock import Clock
    from kivy.tests.common import UnitTestTouch

    tokens: list[str] = list(config["tokens"])
    out["taps_ms"] = []
    state: dict[str, Any] = {}

    def prepare() -> None:
        app.core.reset()
        app.core.scanned(tokens.pop(0))
        Clock.schedule_interval(answered, 0)

    def answered(_dt: float) -> bool:
        flow = app.core.flow
        if flow.step.value == "overall":
            app.core.choose_overall(4)
            while app.core.flow.step.value == "question":
                app.core.answer(0)
            state["frames"] = 0
        if flow.step.value == "suggestion" and not app._refresh_trigger.is_triggered:
            state["frames"] = state.get("frames", 0) + 1
            if state["frames"] >= 3 and app.root.current == "suggestion":
                tap()
                return False
        return True

    def tap() -> None:
        button = app.root.current_screen.ids.send
        x, y = button.to_window(*button.center)
        touch = UnitTestTouch(x, y)
        state["started"] = time.perf_counter()
        touch.touch_down()
        touch.touch_up()
        Clock.schedule_interval(wait_thanks, 0)

    def wait_thanks(_dt: float) -> bool:
        flow = app.core.flow
        if flow.step.value != "thanks":
            if flow.step.value == "notice" or time.perf_counter() - state["started"] > 20:
                out["error"] = f"no thanks screen (step {flow.step}, notice {flow.notice})"
                app.stop()
                return False
            return True
        out["taps_ms"].append(round((time.perf_counter() - state["started"]) * 1000, 1))
        if tokens:
            Clock.schedule_once(lambda _dt: prepare(), 0.1)
        else:
            app.stop()
        return False

    prepare()


def spawn(mode: str, config: dict[str, Any], workdir: Path) -> dict[str, Any]:
    import subprocess

    config = {**config, "result": str(workdir / f"{mode}-{time.time_ns()}.json")}
    path = workdir / "config.json"
    path.write_text(json.dumps(config))
    home = REPO / "build" / "kivy-home"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "KIVY_NO_ARGS": "1", "KIVY_NO_CONSOLELOG": "1",
           "KIVY_HOME": str(home), "PYTHONPATH": str(REPO)}  # fmt: skip
    spawned = time.time()
    subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        cwd=REPO, env=env, check=True, timeout=300,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(Path(config["result"]).read_text())
    result["spawned_at"] = spawned
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--taps", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="append to docs/benchmarks.md")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "CONFIG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], json.loads(Path(args.child[1]).read_text()))
        return
    ensure_display()

    from tests.live import LiveServer
    from tests.rating.helpers import served_ticket

    workdir = Path(tempfile.mkdtemp(prefix="bench-rating-"))
    server = LiveServer(workdir / "server").setup(devices={"kiosk": "Kios", "rating": "Tablet"})
    server.start()
    load_before = load_average()
    try:
        tokens = [served_ticket(server)["tracking_token"] for _ in range(args.taps)]
        settings = {
            "server_url": server.url,
            "device_token": server.tokens["rating"],
            "data_dir": str(workdir / "terminal"),
            "orientation": "portrait",
        }
        starts = []
        for _ in range(args.starts):
            result = spawn("start", {"settings": settings}, workdir)
            starts.append(result["start_at"] - result["spawned_at"])
        taps_result = spawn("tap", {"settings": settings, "tokens": tokens}, workdir)
        with server.client() as c:
            stored = sum(
                c.get("/ratings/target", params={"token": t}).json()["rated"] for t in tokens
            )
    finally:
        server.stop()
    if taps_result.get("error"):
        raise SystemExit(taps_result["error"])
    if stored != len(tokens):
        raise SystemExit(f"only {stored} of {len(tokens)} ratings stored")
    taps = taps_result["taps_ms"]
    figures = {
        "start_median_s": round(statistics.median(starts), 2),
        "start_max_s": round(max(starts), 2),
        "tap_median_ms": statistics.median(taps),
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
    text = f"""
## Rating terminal (issue 12)

Measured with `.venv/bin/python bench/bench_rating.py --write` on {dt.date.today()}:
{os.cpu_count()} cores, CPU "{cpu_model()}", {platform.system()} {platform.release()},
Python {platform.python_version()}, Kivy 2.3.1 on Xvfb (Mesa llvmpipe), portrait 800×1280,
live Loket server (uvicorn + SQLite) on the same machine. Load average during the run:
{f["load"]} (a shared machine: upper bounds).

| Measure | Runs | Median | Worst | Target (median) |
|---|---:|---:|---:|---:|
| Cold start to the start screen | {n_starts} | {f["start_median_s"]:.2f} s | {f["start_max_s"]:.2f} s | < {START_TARGET_S:.0f} s ({ok_start}) |
| Last tap ("Kirim penilaian") to stored rating (thanks shown after 201) | {n_taps} | {f["tap_median_ms"]:.0f} ms | {f["tap_max_ms"]:.0f} ms | < {TAP_TARGET_MS:.0f} ms ({ok_tap}) |
"""
    path = REPO / "docs" / "benchmarks.md"
    path.write_text(path.read_text().rstrip("\n") + "\n" + text)


if __name__ == "__main__":
    main()
