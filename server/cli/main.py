"""The ``loket`` command: one entry point, one small module per command group."""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
from collections.abc import Sequence

from server.cli import admin, run

OPTIONAL_GROUPS = (
    ("printers.cli", "add_printer_commands"),
    ("server.privacy.cli", "add_privacy_commands"),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loket", description="Loket queue and kiosk system.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    admin.add_commands(sub)
    run.add_commands(sub)
    for module_name, function in OPTIONAL_GROUPS:
        parent = module_name.rpartition(".")[0]
        if importlib.util.find_spec(parent) and importlib.util.find_spec(module_name):
            getattr(importlib.import_module(module_name), function)(sub)
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
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
