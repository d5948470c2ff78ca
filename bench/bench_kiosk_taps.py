"""How many taps and how long a visitor needs for a ticket, on the real kiosk window.

Drives the real Kivy window (Xvfb, real touch events through Kivy's input
pipeline) against a live Loket server and a printer on a pty, with fixed sample
entries, exactly as ``tests/kiosk/test_window.py`` does, and counts from the
first tap on a service tile to the tap that takes the ticket:

- characters typed on the on-screen keyboard (``keys``; the "@gmail.com" key is one);
- every other tap (``taps``: tiles, "Setuju", "Lanjut", "Benar" ...);
- the screens the visitor reads (``screens``; each guestbook page counts).

The visitor's time is modelled as 0.6 s per tap of any kind plus 2 s of reading
per screen (the wall-clock time of the driven run is printed too, but it measures
the machine, not a person). Targets (issue 15): a first visit with a KTP in
≤ 12 taps besides typing and ≤ 60 s; a returning visitor with a KTP in ≤ 6 taps
besides typing the NIK.

Run: ``.venv/bin/python bench/bench_kiosk_taps.py [--write]`` (``--write`` updates
``docs/benchmarks-kiosk.md``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.kiosk.helpers import SerialPrinter, run_driver  # noqa: E402
from tests.kiosk.test_window import (  # noqa: E402
    ANSWERS,
    BUDI_NIK,
    SITI_NIK,
    kiosk_settings,
    seed_visitor,
)
from tests.live import LiveServer  # noqa: E402

SECONDS_PER_TAP = 0.6
SECONDS_PER_SCREEN = 2.0
DOC = REPO / "docs" / "benchmarks-kiosk.md"
HEADING = "## Kiosk journey: taps and time (issue 15)"


def visitor_seconds(counts: dict[str, Any]) -> float:
    taps = counts["keys"] + counts["taps"]
    return round(taps * SECONDS_PER_TAP + len(counts["screens"]) * SECONDS_PER_SCREEN, 1)


def measure(workdir: Path) -> dict[str, dict[str, Any]]:
    server = LiveServer(workdir / "loket").setup().start()
    printer = SerialPrinter()
    shots = workdir / "shots"
    try:
        seed_visitor(server, BUDI_NIK)
        runs = {
            "first visit, KTP": {
                "service_index": 2,
                "id_number": SITI_NIK,
                "answers": ANSWERS,
            },
            "returning visitor, KTP": {
                "service_index": 1,
                "id_number": BUDI_NIK,
                "answers": {"purpose": "pemerintahan"},
            },
        }
        results = {}
        for i, (name, extra) in enumerate(runs.items()):
            summary = run_driver(
                {
                    "scenario": "full",
                    "shot_prefix": f"bench{i}-",
                    "shots_dir": str(shots),
                    "skip_language": True,
                    "settings": kiosk_settings(server, printer, workdir, "portrait"),
                    **extra,
                },
                workdir,
            )
            results[name] = summary["counts"]
        return results
    finally:
        printer.close()
        server.stop()


def table(results: dict[str, dict[str, Any]]) -> list[str]:
    lines = [
        "| Journey | Screens | Characters typed | Other taps | Visitor time (model) | Target |",
        "|---|---:|---:|---:|---:|---|",
        "| Before (issue 15's count, short entries) | 17 | – | – (67 taps in all) | 89 s | – |",
    ]
    targets = {
        "first visit, KTP": lambda c, s: f"≤ 12 taps, ≤ 60 s ({_met(c['taps'] <= 12 and s <= 60)})",
        "returning visitor, KTP": lambda c, s: f"≤ 6 taps ({_met(c['taps'] <= 6)})",
    }
    for name, counts in results.items():
        seconds = visitor_seconds(counts)
        lines.append(
            f"| {name} | {len(counts['screens'])} | {counts['keys']} | {counts['taps']} "
            f"| {seconds:.1f} s | {targets[name](counts, seconds)} |"
        )
    return lines


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def write_doc(results: dict[str, dict[str, Any]]) -> None:
    load = os.getloadavg()
    section = [
        HEADING,
        "",
        f"Measured with `.venv/bin/python bench/bench_kiosk_taps.py --write` on "
        f"{dt.date.today().isoformat()}: Python {platform.python_version()}, Kivy window "
        f"1080×1920 (portrait) on Xvfb, live Loket server; load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}.",
        "",
        *table(results),
        "",
        f"- Visitor time = {SECONDS_PER_TAP} s per tap of any kind (typed characters and "
        f"other taps) + {SECONDS_PER_SCREEN:.0f} s of reading per screen; counted from the "
        "tap on a service tile to the tap that takes the ticket.",
        '- Sample entries: name `siti aminah` (shown and stored as "Siti Aminah"), NIK '
        f"`{SITI_NIK}`, institution `unair` with its category on the same page, e-mail "
        "`siti` + the `@gmail.com` key, phone `08123456789`; every choice one tile. "
        f"The returning visitor types only the NIK `{BUDI_NIK}`.",
        "- What made the difference: the service tiles are on the Welcome screen (no "
        "separate start tap); the ID comes first and a complete valid NIK moves on by "
        "itself; the NIK tells sex and age group (not asked) and finds a returning "
        'visitor, who sees one masked summary ("Benar") and answers only the main use of '
        "the data; a choice tile moves on by itself; the institution's name and category "
        "share a page; one tap on the last screen takes the ticket.",
        "- Screens read: "
        + "; ".join(f"{name}: {', '.join(c['screens'])}" for name, c in results.items()),
        "",
    ]
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    pattern = re.compile(re.escape(HEADING) + r".*?(?=\n## |\Z)", re.S)
    block = "\n".join(section)
    text = pattern.sub(block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block
    DOC.write_text(text.rstrip() + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks-kiosk.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = measure(Path(tmp))
    print("\n".join(table(results)))
    for name, counts in results.items():
        print(f"{name}: screens {counts['screens']}, run took {counts['journey_seconds']} s")
    if args.write:
        write_doc(results)


if __name__ == "__main__":
    main()
