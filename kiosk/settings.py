"""Typed kiosk settings, read from ``LOKET_KIOSK_*`` environment variables.

One :class:`KioskSettings` object holds everything a kiosk needs to know: the
server it talks to and its device token, the printer URL (a preview folder by
default), the MRZ scanner's serial port, whether the ID camera may be used,
the screen orientation, the default language, the idle timeout and the data
folder (outbox, previews). Command-line options override the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Orientation = Literal["portrait", "landscape"]

#: window size per orientation (the kiosk's physical screens)
SCREEN_SIZES: dict[str, tuple[int, int]] = {
    "portrait": (1080, 1920),
    "landscape": (1920, 1080),
}


class KioskSettings(BaseSettings):
    """All configuration of one kiosk process."""

    model_config = SettingsConfigDict(env_prefix="LOKET_KIOSK_", extra="ignore")

    server_url: str = Field(default="http://127.0.0.1:8000", description="Loket server base URL.")
    device_token: str = Field(default="", description="Token from `loket device add --kind kiosk`.")
    printer_url: str = Field(
        default="", description="Printer URL; empty means preview://<data_dir>/tickets."
    )
    scanner_port: str = Field(
        default="", description="Serial port of the MRZ scanner; empty = none."
    )
    scanner_baudrate: int = 9600
    camera: bool = Field(default=False, description="Offer an ID-card photo (needs consent).")
    camera_index: int = 0
    orientation: Orientation = "portrait"
    language: str = Field(default="id", description="Language shown first (id or en).")
    idle_timeout_seconds: float = Field(default=60.0, gt=0)
    idle_grace_seconds: float = Field(default=15.0, gt=0)
    ticket_screen_seconds: float = Field(default=30.0, gt=0)
    data_dir: Path = Path("var/kiosk")
    request_timeout_seconds: float = Field(default=5.0, gt=0)
    print_timeout_seconds: float = Field(default=15.0, gt=0)
    outbox_retry_seconds: float = Field(default=10.0, gt=0)
    heartbeat_seconds: float = Field(default=60.0, gt=0)
    fullscreen: bool = False

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        return "en" if value.strip().lower().startswith("en") else "id"

    @field_validator("server_url")
    @classmethod
    def _server_url(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def resolved_printer_url(self) -> str:
        """The printer URL, defaulting to PNG/bytes previews in the data folder."""
        return self.printer_url or f"preview://{(self.data_dir / 'tickets').resolve().as_posix()}"

    @property
    def outbox_path(self) -> Path:
        return self.data_dir / "outbox.sqlite3"

    @property
    def window_size(self) -> tuple[int, int]:
        return SCREEN_SIZES[self.orientation]
