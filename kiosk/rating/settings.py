"""Typed settings of one rating terminal, from options and ``LOKET_RATING_*`` variables.

A plain dataclass (no pydantic: start-up time matters on a tablet). The
window is a portrait tablet (800×1280) or landscape (1280×800). Ticket QR
codes come from a serial scanner (``scanner``) and/or the tablet's camera
(``camera``, off by default; ``camera_index`` picks the device).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

SCREEN_SIZES = {"portrait": (800, 1280), "landscape": (1280, 800)}
ENV_PREFIX = "LOKET_RATING_"
_TRUE = {"1", "true", "yes", "on"}


def _env(name: str, default: str) -> str:
    return os.environ.get(ENV_PREFIX + name.upper(), default)


@dataclass
class RatingSettings:
    server_url: str = field(default_factory=lambda: _env("server_url", "http://127.0.0.1:8000"))
    device_token: str = field(default_factory=lambda: _env("device_token", ""))
    scanner: str = field(default_factory=lambda: _env("scanner", ""))  # serial:///dev/ttyACM0
    camera: bool = field(default_factory=lambda: _env("camera", "0").lower() in _TRUE)
    camera_index: int = field(default_factory=lambda: int(_env("camera_index", "0")))
    orientation: str = field(default_factory=lambda: _env("orientation", "portrait"))
    language: str = field(default_factory=lambda: _env("language", "id"))
    data_dir: Path = field(default_factory=lambda: Path(_env("data_dir", "var/rating")))
    idle_timeout_seconds: float = field(
        default_factory=lambda: float(_env("idle_timeout_seconds", "45"))
    )
    idle_grace_seconds: float = field(
        default_factory=lambda: float(_env("idle_grace_seconds", "10"))
    )
    thanks_seconds: float = field(default_factory=lambda: float(_env("thanks_seconds", "12")))
    request_timeout_seconds: float = 5.0
    outbox_retry_seconds: float = field(
        default_factory=lambda: float(_env("outbox_retry_seconds", "10"))
    )
    fullscreen: bool = field(default_factory=lambda: _env("fullscreen", "0").lower() in _TRUE)

    def __post_init__(self) -> None:
        self.server_url = self.server_url.rstrip("/")
        self.language = "en" if self.language.lower().startswith("en") else "id"
        if self.orientation not in SCREEN_SIZES:
            raise ValueError("orientation must be portrait or landscape")
        self.data_dir = Path(self.data_dir)

    @property
    def window_size(self) -> tuple[int, int]:
        return SCREEN_SIZES[self.orientation]

    @property
    def outbox_path(self) -> Path:
        return self.data_dir / "rating-outbox.sqlite3"

    @property
    def scanner_port(self) -> str:
        """The device path of ``serial:///dev/x?baudrate=n`` (or a bare path)."""
        url = self.scanner
        if url.startswith("serial://"):
            url = url[len("serial://") :]
        return url.split("?", 1)[0]

    @property
    def scanner_baudrate(self) -> int:
        if "baudrate=" in self.scanner:
            return int(self.scanner.split("baudrate=", 1)[1].split("&", 1)[0])
        return 9600
