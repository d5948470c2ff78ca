"""``loket rating``: run the exit rating terminal (Kivy) against a Loket server."""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(sub: Any) -> None:
    from kiosk.rating.cli import add_rating_arguments

    parser = sub.add_parser("rating", help="run the exit rating terminal (tablet)")
    add_rating_arguments(parser)
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from kiosk.rating.cli import build_app, settings_from_args

    build_app(settings_from_args(args)).run()
    return 0
