"""Retention settings, read from the environment (``LOKET_RETENTION_*``).

Days after which data expires: ID photos (``LOKET_RETENTION_PHOTO_DAYS``, 30),
a visitor's identity counted from their last visit
(``LOKET_RETENTION_GUESTBOOK_DAYS``, 730) and audit-log rows
(``LOKET_RETENTION_AUDIT_DAYS``, 1825). Visits themselves are kept, without
identity, for reports. ``LOKET_RETENTION_INTERVAL_HOURS`` spaces the server's
purge job (24).

The returning-visitor look-up is bounded per device (or staff user) and per
identifier: ``LOKET_LOOKUP_DEVICE_LIMIT`` look-ups per
``LOKET_LOOKUP_DEVICE_WINDOW_SECONDS`` (20 per 600 s) and
``LOKET_LOOKUP_IDENTIFIER_LIMIT`` per ``LOKET_LOOKUP_IDENTIFIER_WINDOW_SECONDS``
(5 per 600 s) for one NIK or e-mail.
"""

from __future__ import annotations

from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PrivacySettings(BaseSettings):
    """How long each kind of personal data is kept."""

    model_config = SettingsConfigDict(env_prefix="LOKET_", env_file=".env", extra="ignore")

    retention_photo_days: int = Field(default=30, ge=0)
    retention_guestbook_days: int = Field(default=730, ge=1)
    retention_audit_days: int = Field(default=1825, ge=30)
    retention_interval_hours: float = Field(default=24.0, gt=0)
    lookup_device_limit: int = Field(default=20, ge=1)
    lookup_device_window_seconds: float = Field(default=600.0, gt=0)
    lookup_identifier_limit: int = Field(default=5, ge=1)
    lookup_identifier_window_seconds: float = Field(default=600.0, gt=0)


@cache
def get_privacy_settings() -> PrivacySettings:
    return PrivacySettings()
