"""The ``loket`` command: one entry point, one small module per command group.

Each command group's module is imported only when one of its commands is run
(``COMMANDS`` below), so ``loket serve`` does not load the report, calendar,
privacy-tool or printer code. ``loket`` without a known command (``--help``,
a typo) loads them all to print the full list.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from printers.errors import PrinterError  # a small module: the printer stack loads lazily
from server.cli.common import fail

# "module:function" that adds a group's sub-commands to the top-level parser,
# in the order ``loket --help`` lists them.
ADMIN = "server.cli.admin:add_commands"
RUN = "server.cli.run:add_commands"
PRINTER = "printers.cli:add_printer_commands"
PRIVACY = "server.privacy.cli:add_privacy_commands"
SLA = "server.cli.sla:add_commands"
RATING = "server.cli.rating:add_commands"
REPORTS = "server.cli.reports:add_commands"
REGISTRARS = (ADMIN, RUN, PRINTER, PRIVACY, SLA, RATING, REPORTS)

# Top-level command -> the registrars that define it (``report`` has sub-commands
# from two modules). tests/server/test_cli_imports.py checks this table against
# what each registrar really adds.
COMMANDS: dict[str, tuple[str, ...]] = {
    "init": (ADMIN,),
    "migrate": (ADMIN,),
    "user": (ADMIN,),
    "device": (ADMIN,),
    "backup": (ADMIN,),
    "serve": (RUN,),
    "demo": (RUN,),
    "kiosk": (RUN,),
    "printer": (PRINTER,),
    "keys": (PRIVACY,),
    "purge": (PRIVACY,),
    "report": (PRIVACY, REPORTS),
    "sla": (SLA,),
    "rating": (RATING,),
    "rating-setup": (RATING,),
}


def _registrar(spec: str) -> Callable[[Any], None]:
    module, function = spec.split(":")
    register: Callable[[Any], None] = getattr(importlib.import_module(module), function)
    return register


def _chosen_command(argv: Sequence[str]) -> str | None:
    """The top-level command in ``argv`` (the parser has no options of its own but -h)."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: only the chosen command's group, or all groups."""
    parser = argparse.ArgumentParser(prog="loket", description="Loket queue and kiosk system.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = _chosen_command(argv) if argv is not None else None
    for spec in COMMANDS.get(chosen or "", REGISTRARS):
        _registrar(spec)(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(arguments).parse_args(arguments)
    try:
        result = args.func(args)
    except KeyboardInterrupt:
        return 130
    except PrinterError as exc:
        return fail(f"printer error: {exc.message_for_staff}")
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
