"""Command-line entry: ``python -m kiosk`` and the ``loket kiosk`` command.

:func:`add_kiosk_arguments` adds the kiosk's options to any argparse parser
(the lead's ``loket`` CLI uses it); :func:`settings_from_args` merges them over
the ``LOKET_KIOSK_*`` environment; :func:`run_kiosk` prepares Kivy's
environment and window size, then runs the app until it is closed.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from kiosk.settings import KioskSettings


def add_kiosk_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the kiosk options; each overrides its ``LOKET_KIOSK_*`` variable."""
    group = parser.add_argument_group("kiosk")
    group.add_argument(
        "--server", dest="server_url", help="Loket server URL (LOKET_KIOSK_SERVER_URL)."
    )
    group.add_argument(
        "--token",
        dest="device_token",
        help="kiosk device token from `loket device add --kind kiosk` (LOKET_KIOSK_DEVICE_TOKEN).",
    )
    group.add_argument(
        "--printer",
        dest="printer_url",
        help="printer URL, e.g. serial:///dev/ttyUSB0?baudrate=19200, network://10.0.0.5:9100, "
        "preview:///path (default preview://<data dir>/tickets).",
    )
    group.add_argument(
        "--scanner-port",
        dest="scanner_port",
        help="serial port of the passport MRZ scanner, e.g. /dev/ttyACM0 (default: none).",
    )
    group.add_argument(
        "--camera",
        dest="camera",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="offer an ID-card photo (only with the visitor's consent); off by default.",
    )
    group.add_argument(
        "--orientation",
        choices=("portrait", "landscape"),
        help="screen orientation: portrait 1080x1920 or landscape 1920x1080.",
    )
    group.add_argument(
        "--lang", dest="language", choices=("id", "en"), help="first language shown."
    )
    group.add_argument("--data-dir", dest="data_dir", type=Path, help="outbox and previews folder.")
    group.add_argument(
        "--fullscreen",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run full screen (on the kiosk itself).",
    )
    return parser


def settings_from_args(args: argparse.Namespace) -> KioskSettings:
    """Environment settings, overridden by the options given on the command line."""
    names = (
        "server_url",
        "device_token",
        "printer_url",
        "scanner_port",
        "camera",
        "orientation",
        "language",
        "data_dir",
        "fullscreen",
    )
    overrides: dict[str, Any] = {
        name: getattr(args, name) for name in names if getattr(args, name, None) is not None
    }
    return KioskSettings(**overrides)


def prepare_kivy(data_dir: Path, window_size: tuple[int, int], *, fullscreen: bool) -> None:
    """Kivy environment and window of a touch app (kiosk or rating terminal).

    Must run before Kivy is imported. Full screen uses the display's own size
    (``auto``); otherwise the window has the app's fixed size.
    """
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_HOME", str((data_dir / "kivy").resolve()))
    Path(os.environ["KIVY_HOME"]).mkdir(parents=True, exist_ok=True)
    from kivy.config import Config

    width, height = window_size
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("input", "mouse", "mouse,multitouch_on_demand")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "keyboard_mode", "system")  # our own on-screen keyboards, never Kivy's
    Config.set("kivy", "log_level", "info")


def build_app(settings: KioskSettings) -> Any:
    """The configured (not yet running) :class:`kiosk.app.KioskApp`."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    prepare_kivy(settings.data_dir, settings.window_size, fullscreen=settings.fullscreen)
    from kiosk.app import KioskApp

    return KioskApp(settings)


def run_kiosk(settings: KioskSettings) -> None:
    """Run the kiosk until its window is closed."""
    build_app(settings).run()


def run_demo_kiosk(*, server_url: str, token: str, printer_url: str = "") -> int:
    """The kiosk of ``loket demo``: given server and token, other settings from the environment."""
    overrides: dict[str, Any] = {"server_url": server_url, "device_token": token}
    if printer_url:
        overrides["printer_url"] = printer_url
        if printer_url.startswith("preview://"):
            overrides.setdefault(
                "data_dir", Path(printer_url[len("preview://") :]).parent / "kiosk"
            )
    run_kiosk(KioskSettings(**overrides))
    return 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m kiosk", description="Loket walk-in kiosk.")
    add_kiosk_arguments(parser)
    run_kiosk(settings_from_args(parser.parse_args(argv)))
