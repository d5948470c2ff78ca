"""``python -m printers.cli printer ...`` run as a real subprocess."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from pyzbar.pyzbar import decode

from printers.cli import SAMPLE_URL, add_printer_commands
from tests.printers.conftest import read_ticket
from tests.printers.fakes import PAPER_NEAR_END, PAPER_OUT, QUERIES, NetworkPrinter, wait_until

REPO = Path(__file__).resolve().parents[2]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "printers.cli", "printer", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_cli_test_to_preview(tmp_path: Path) -> None:
    run = _cli("test", "--printer", f"preview://{tmp_path}", "--paper", "58mm")
    assert run.returncode == 0, run.stderr
    assert "Printed sample ticket" in run.stdout
    pngs = list(tmp_path.glob("*.png"))
    assert len(pngs) == 1 and f"Preview: {pngs[0]}" in run.stdout
    image = Image.open(pngs[0])
    assert image.width == 384
    assert [s.data.decode() for s in decode(image)] == [SAMPLE_URL]


def test_cli_test_to_network_printer(network_printer: Callable[..., NetworkPrinter]) -> None:
    fake = network_printer()
    run = _cli("test", "--printer", fake.url, "--paper", "80mm", "--timeout", "2")
    assert run.returncode == 0, run.stderr
    assert wait_until(lambda: fake.received.endswith(QUERIES) and len(fake.received) > 100)
    ticket = fake.received[len(QUERIES) : -len(QUERIES)]
    assert f"{len(ticket)} bytes" in run.stdout
    printout = read_ticket(ticket, paper="80mm")
    assert printout.qr_payloads == [SAMPLE_URL.encode()]
    assert "R007" in printout.lines
    assert "Layanan ini tidak dipungut biaya" in printout.lines


def test_cli_paper_out_exits_2_with_staff_message(
    network_printer: Callable[..., NetworkPrinter],
) -> None:
    fake = network_printer(answers=PAPER_OUT)
    run = _cli("test", "--printer", fake.url, "--timeout", "2")
    assert run.returncode == 2
    assert "out of paper" in run.stderr
    assert "Printed" not in run.stdout


def test_cli_status(network_printer: Callable[..., NetworkPrinter]) -> None:
    low = network_printer(answers=PAPER_NEAR_END)
    run = _cli("status", "--printer", low.url, "--timeout", "2")
    assert run.returncode == 0, run.stderr
    assert "online: yes" in run.stdout and "paper: near_end" in run.stdout
    refused = _cli("status", "--printer", "network://127.0.0.1:1", "--timeout", "1")
    assert refused.returncode == 2
    assert "online: no" in refused.stdout and "Cannot reach" in refused.stderr


def test_cli_bad_url_exits_2() -> None:
    run = _cli("test", "--printer", "lpt://1")
    assert run.returncode == 2 and "must start with one of" in run.stderr


def test_add_printer_commands_plugs_into_another_cli() -> None:
    parser = argparse.ArgumentParser(prog="loket")
    add_printer_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["printer", "status", "--printer", "network://10.0.0.9"])
    assert args.command == "printer" and args.printer_command == "status"
    assert callable(args.func) and args.timeout == 5.0
