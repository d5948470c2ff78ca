"""Retention settings, read from the environment (``LOKET_RETENTION_*``).

Days after which data expires: ID photos (``LOKET_RETENTION_PHOTO_DAYS``, 30),
a visitor's identity counted from their last visit
(``LOKET_RETENTION_GUESTBOOK_DAYS``, 730) and audit-log rows
(``LOKET_RETENTION_AUDIT_DAYS``, 1825). Visits themselves are kept, without
identity, for reports. ``LOKET_RETENTION_INTERVAL_HOURS`` spaces the server's
purge job (24).
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


@cache
def get_privacy_settings() -> PrivacySettings:
    return PrivacySettings()
