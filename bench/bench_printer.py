"""Benchmark the ticket printer layer (issue 3).

Reports ticket size in bytes (native QR and raster fallback, 58 and 80 mm),
render time per ticket (mean and p99 over many renders, ESC/POS and PNG
preview) and the time to send each ticket over a serial line at common
baud rates (10 bits per byte: start, 8 data, stop).

Run: ``.venv/bin/python bench/bench_printer.py``
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from printers import TicketContent, render_escpos, render_preview

RUNS = 200
BAUDS = (9600, 19200, 115200)
CASES = [  # label, paper, profile
    ("80mm native QR (TM-T20II)", "80mm", None),
    ("58mm native QR (Sunmi-V2)", "58mm", None),
    ("80mm raster QR (TH230)", None, "TH230"),
    ("58mm raster QR (POS-5890)", None, "POS-5890"),
]

CONTENT = TicketContent(
    number="R007",
    service_name="Konsultasi Statistik",
    issued_at=datetime(2025, 11, 24, 9, 5, tzinfo=ZoneInfo("Asia/Jakarta")),
    people_ahead=3,
    estimated_wait_minutes=15,
    tracking_url="https://pst1906.example.id/t/8f3k2m9q",
    unit_name="BPS Kabupaten Belitung Timur",
    unit_address="Jl. Raya Manggarawan, Desa Padang Manggar 33512",
    counter_area="Loket PST 2",
    complaint_channels=("lapor.go.id", "bps1906@bps.go.id", "WhatsApp 081278563877"),
)


def timed(render: Callable[[], bytes], runs: int = RUNS) -> tuple[float, float]:
    """(mean, p99) in milliseconds over ``runs`` calls, after one warm-up call."""
    render()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        render()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.fmean(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def main() -> None:
    print(
        f"{'ticket':30} {'bytes':>7} {'mean ms':>8} {'p99 ms':>7} "
        + " ".join(f"{b:>7}bd" for b in BAUDS)
    )
    for label, paper, profile in CASES:
        data = render_escpos(CONTENT, paper=paper, profile=profile)
        mean, p99 = timed(partial(render_escpos, CONTENT, paper=paper, profile=profile))
        sends = " ".join(f"{len(data) * 10 / baud:8.2f}s" for baud in BAUDS)
        print(f"{label:30} {len(data):7d} {mean:8.2f} {p99:7.2f} {sends}")
    for preview_paper in ("80mm", "58mm"):
        png = render_preview(CONTENT, paper=preview_paper)
        mean, p99 = timed(partial(render_preview, CONTENT, paper=preview_paper), runs=50)
        print(f"{'PNG preview ' + preview_paper:30} {len(png):7d} {mean:8.2f} {p99:7.2f}")


if __name__ == "__main__":
    main()
