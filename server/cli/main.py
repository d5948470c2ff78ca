"""The ``loket`` command: one entry point, one small module per command group."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from printers.cli import add_printer_commands
from printers.errors import PrinterError
from server.cli import admin, run, sla
from server.cli import rating as rating_cli
from server.cli import reports as report_cli
from server.cli.common import fail
from server.privacy.cli import add_privacy_commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loket", description="Loket queue and kiosk system.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    admin.add_commands(sub)
    run.add_commands(sub)
    add_printer_commands(sub)
    add_privacy_commands(sub)
    sla.add_commands(sub)
    rating_cli.add_commands(sub)
    report_cli.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.func(args)
    except KeyboardInterrupt:
        return 130
    except PrinterError as exc:
        return fail(f"printer error: {exc.message_for_staff}")
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
