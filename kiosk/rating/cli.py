"""Start the rating terminal: Kivy environment, window size, then the app.

``loket rating`` (``server/cli/rating.py``) and ``python -m kiosk.rating``
both end here. Kivy is imported only after its environment is set (the
kiosk's :func:`kiosk.cli.prepare_kivy`, shared by both touch apps).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.cli import prepare_kivy
from kiosk.rating.settings import RatingSettings

OPTION_NAMES = (
    "server_url",
    "device_token",
    "scanner",
    "camera",
    "camera_index",
    "orientation",
    "language",
    "data_dir",
    "fullscreen",
)


def add_rating_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The terminal's options; each overrides its ``LOKET_RATING_*`` variable."""
    parser.add_argument("--server", dest="server_url", help="Loket server URL.")
    parser.add_argument(
        "--token", dest="device_token", help="device token from `loket device add --kind rating`."
    )
    parser.add_argument(
        "--scanner", help="QR scanner, e.g. serial:///dev/ttyACM0?baudrate=9600 (default: none)."
    )
    parser.add_argument(
        "--camera",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also read the ticket's QR code with the tablet's camera; off by default.",
    )
    parser.add_argument(
        "--camera-index", dest="camera_index", type=int, help="camera number (default 0)."
    )
    parser.add_argument("--orientation", choices=("portrait", "landscape"))
    parser.add_argument("--lang", dest="language", choices=("id", "en"))
    parser.add_argument("--data-dir", dest="data_dir", type=Path, help="outbox folder.")
    parser.add_argument(
        "--fullscreen",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run full screen (on the tablet itself).",
    )
    return parser


def settings_from_args(args: argparse.Namespace) -> RatingSettings:
    """Environment settings, overridden by the options given on the command line."""
    given: dict[str, Any] = {
        n: getattr(args, n) for n in OPTION_NAMES if getattr(args, n, None) is not None
    }
    return RatingSettings(**given)


def build_app(settings: RatingSettings) -> Any:
    """The configured (not yet running) :class:`kiosk.rating.app.RatingApp`."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    prepare_kivy(settings.data_dir, settings.window_size, fullscreen=settings.fullscreen)
    from kiosk.rating.app import RatingApp

    return RatingApp(settings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.rating", description="Rating terminal.")
    build_app(settings_from_args(add_rating_arguments(parser).parse_args(argv))).run()
    return 0
