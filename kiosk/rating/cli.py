"""Start the rating terminal: Kivy environment, window size, then the app.

``loket rating`` (``server/cli/rating.py``) and ``python -m kiosk.rating``
both end here. Kivy is imported only after its environment is set.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from kiosk.rating.settings import RatingSettings


def add_rating_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--server", dest="server_url", help="Loket server URL.")
    parser.add_argument(
        "--token", dest="device_token", help="device token from `loket device add --kind rating`."
    )
    parser.add_argument(
        "--scanner", help="QR scanner, e.g. serial:///dev/ttyACM0?baudrate=9600 (default: none)."
    )
    parser.add_argument("--orientation", choices=("portrait", "landscape"))
    parser.add_argument("--lang", dest="language", choices=("id", "en"))
    parser.add_argument("--data-dir", dest="data_dir", type=Path, help="outbox folder.")
    return parser


def settings_from_args(args: argparse.Namespace) -> RatingSettings:
    names = ("server_url", "device_token", "scanner", "orientation", "language", "data_dir")
    given: dict[str, Any] = {n: getattr(args, n) for n in names if getattr(args, n, None)}
    return RatingSettings(**given)


def build_app(settings: RatingSettings) -> Any:
    """The configured (not yet running) :class:`kiosk.rating.app.RatingApp`."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_HOME", str((settings.data_dir / "kivy").resolve()))
    Path(os.environ["KIVY_HOME"]).mkdir(parents=True, exist_ok=True)
    from kivy.config import Config

    width, height = settings.window_size
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "fullscreen", "auto" if settings.fullscreen else "0")
    Config.set("input", "mouse", "mouse,multitouch_on_demand")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "keyboard_mode", "system")
    from kiosk.rating.app import RatingApp

    return RatingApp(settings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.rating", description="Rating terminal.")
    build_app(settings_from_args(add_rating_arguments(parser).parse_args(argv))).run()
    return 0
