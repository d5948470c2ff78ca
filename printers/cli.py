"""``printer`` commands: print a sample ticket, show a printer's status.

``add_printer_commands`` plugs ``printer test`` and ``printer status`` into
the main ``loket`` CLI; each sub-command sets ``func`` (``Namespace -> int``)
on the parsed arguments. Standalone: ``python -m printers.cli printer test
--printer preview:///tmp/tickets``. Exit code 0 when the printer is fine,
2 on a printer error with the message for staff on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from printers.errors import PrinterError
from printers.profiles import PAPER_PRESETS

if TYPE_CHECKING:
    from printers.ticket import TicketContent

EXIT_OK, EXIT_PRINTER_ERROR = 0, 2
SAMPLE_URL = "https://loket.example.id/t/CONTOH-R007"


def sample_ticket(language: str = "id") -> TicketContent:
    """A realistic ticket with a real tracking URL, for printer tests."""
    from printers.ticket import TicketContent  # here: keeps `loket serve` start fast

    return TicketContent(
        number="R007",
        service_name="Rekomendasi Kegiatan Statistik",
        issued_at=datetime.now(ZoneInfo("Asia/Jakarta")).replace(microsecond=0),
        people_ahead=3,
        estimated_wait_minutes=20,
        tracking_url=SAMPLE_URL,
        unit_name="BPS Kabupaten Belitung Timur",
        unit_address="Jl. Raya Manggarawan, Desa Padang Manggar 33512",
        counter_area="Loket PST 2",
        complaint_channels=("lapor.go.id", "bps1906@bps.go.id", "WhatsApp 081278563877"),
        language=language,
    )


def _cmd_test(args: argparse.Namespace) -> int:
    from printers.printer import open_printer

    printer = open_printer(args.printer, timeout=args.timeout, paper=args.paper)
    try:
        result = printer.print_ticket(sample_ticket(args.language))
    finally:
        printer.close()
    print(f"Printed sample ticket: {result.bytes_sent} bytes in {result.duration_s:.3f} s")
    print(f"QR code: {SAMPLE_URL}")
    if result.preview_path is not None:
        print(f"Preview: {result.preview_path}")
    return EXIT_OK


def _cmd_status(args: argparse.Namespace) -> int:
    from printers.printer import open_printer

    printer = open_printer(args.printer, timeout=args.timeout)
    try:
        status = printer.status()
    finally:
        printer.close()
    cover = "unknown" if status.cover_open is None else ("open" if status.cover_open else "closed")
    print(f"online: {'yes' if status.online else 'no'}")
    print(f"paper: {status.paper}")
    print(f"cover: {cover}")
    if status.error:
        print(status.error, file=sys.stderr)
        return EXIT_PRINTER_ERROR
    return EXIT_OK


def _printer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--printer", required=True, help="printer URL, e.g. network://192.168.1.50:9100"
    )
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds (default 5)")


def add_printer_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``printer test`` and ``printer status`` to a CLI's sub-commands."""
    printer = subparsers.add_parser("printer", help="ticket printer checks")
    commands = printer.add_subparsers(dest="printer_command", required=True)
    test = commands.add_parser("test", help="print a sample ticket with a QR code")
    _printer_options(test)
    test.add_argument("--paper", choices=sorted(PAPER_PRESETS), default=None)
    test.add_argument("--language", choices=("id", "en"), default="id")
    test.set_defaults(func=_cmd_test)
    status = commands.add_parser("status", help="ask the printer for its status")
    _printer_options(status)
    status.set_defaults(func=_cmd_status)


def run(args: argparse.Namespace) -> int:
    """Run a parsed ``printer`` command, turning printer errors into exit code 2."""
    try:
        code: int = args.func(args)
    except PrinterError as exc:
        print(f"Printer error: {exc.message_for_staff}", file=sys.stderr)
        return EXIT_PRINTER_ERROR
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry point: ``python -m printers.cli printer test --printer URL``."""
    parser = argparse.ArgumentParser(prog="python -m printers.cli")
    add_printer_commands(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
