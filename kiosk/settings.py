"""Typed kiosk settings, read from ``LOKET_KIOSK_*`` environment variables.

One :class:`KioskSettings` object holds everything a kiosk needs to know: the
server it talks to and its device token, the printer URL (a preview folder by
default), the MRZ scanner's serial port, whether the ID camera may be used,
the screen orientation, the default language, the idle timeout and the data
folder (outbox, previews). ``KioskSettings(**overrides)`` takes each value
from ``overrides``, else from ``LOKET_KIOSK_<NAME>``, else the default, and
converts and checks it; command-line options are passed as overrides.

This is a small hand-written class rather than pydantic-settings on purpose:
importing pydantic costs a noticeable part of the kiosk's cold-start budget.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal, cast

from server.i18n import normalise_language

Orientation = Literal["portrait", "landscape"]
ENV_PREFIX = "LOKET_KIOSK_"

#: window size per orientation (the kiosk's physical screens)
SCREEN_SIZES: dict[str, tuple[int, int]] = {
    "portrait": (1080, 1920),
    "landscape": (1920, 1080),
}

#: every setting: default value (its type is the setting's type) and meaning
FIELDS: dict[str, tuple[Any, str]] = {
    "server_url": ("http://127.0.0.1:8000", "Loket server base URL"),
    "device_token": ("", "token from `loket device add --kind kiosk`"),
    "printer_url": ("", "printer URL; empty means preview://<data_dir>/tickets"),
    "scanner_port": ("", "serial port of the passport MRZ scanner; empty means none"),
    "scanner_baudrate": (9600, "MRZ scanner speed"),
    "camera": (False, "offer an ID-card photo (only with the visitor's consent)"),
    "camera_index": (0, "camera number for the ID photo"),
    "orientation": ("portrait", "portrait (1080x1920) or landscape (1920x1080)"),
    "language": ("id", "language shown first: id or en"),
    "idle_timeout_seconds": (60.0, "seconds without a touch before 'Masih di sini?'"),
    "idle_grace_seconds": (15.0, "seconds after the question before everything is wiped"),
    "ticket_screen_seconds": (30.0, "seconds the ticket stays on screen"),
    "data_dir": (Path("var/kiosk"), "outbox, ticket previews, Kivy's own files"),
    "request_timeout_seconds": (5.0, "time limit of one server request"),
    "print_timeout_seconds": (15.0, "time limit of one printed ticket"),
    "outbox_retry_seconds": (10.0, "how often stored registrations are retried"),
    "heartbeat_seconds": (60.0, "how often the printer state is reported"),
    "fullscreen": (False, "run full screen (on the kiosk itself)"),
}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """A setting has a value the kiosk cannot use."""


def _convert(name: str, raw: Any, default: Any) -> Any:
    """``raw`` (a string from the environment or a Python value) as the default's type."""
    try:
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text not in _TRUE | _FALSE:
                raise ValueError(raw)
            return text in _TRUE
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            value = float(raw)
            if value <= 0:
                raise ValueError(raw)
            return value
        if isinstance(default, Path):
            return Path(raw)
        return str(raw)
    except (TypeError, ValueError):
        raise SettingsError(f"{ENV_PREFIX}{name.upper()} has an invalid value.") from None


class KioskSettings:
    """All configuration of one kiosk process."""

    server_url: str
    device_token: str
    printer_url: str
    scanner_port: str
    scanner_baudrate: int
    camera: bool
    camera_index: int
    orientation: Orientation
    language: str
    idle_timeout_seconds: float
    idle_grace_seconds: float
    ticket_screen_seconds: float
    data_dir: Path
    request_timeout_seconds: float
    print_timeout_seconds: float
    outbox_retry_seconds: float
    heartbeat_seconds: float
    fullscreen: bool

    def __init__(self, **overrides: Any) -> None:
        unknown = set(overrides) - set(FIELDS)
        if unknown:
            raise TypeError(f"unknown kiosk setting(s): {', '.join(sorted(unknown))}")
        for name, (default, _meaning) in FIELDS.items():
            if name in overrides:
                raw = overrides[name]
            else:
                raw = os.environ.get(ENV_PREFIX + name.upper(), default)
            setattr(self, name, _convert(name, raw, default))
        self.server_url = self.server_url.rstrip("/")
        self.language = normalise_language(self.language)
        if self.orientation not in SCREEN_SIZES:
            raise SettingsError(f"{ENV_PREFIX}ORIENTATION must be portrait or landscape.")
        self.orientation = cast(Orientation, self.orientation)

    def __repr__(self) -> str:
        shown = {n: getattr(self, n) for n in FIELDS if n != "device_token"}
        return f"KioskSettings({shown})"

    @property
    def resolved_printer_url(self) -> str:
        """The printer URL, defaulting to PNG previews in the data folder."""
        return self.printer_url or f"preview://{(self.data_dir / 'tickets').resolve().as_posix()}"

    @property
    def outbox_path(self) -> Path:
        return self.data_dir / "outbox.sqlite3"

    @property
    def window_size(self) -> tuple[int, int]:
        return SCREEN_SIZES[self.orientation]
