"""Retention settings now live in the one :class:`server.config.Settings`.

``PrivacySettings`` is that class under its old name, kept only so modules that
still import it (``server/privacy/form.py``) keep working; new code imports
``server.config.Settings`` and reads ``settings.retention_photo_days`` etc.
The environment variables are unchanged (``LOKET_RETENTION_PHOTO_DAYS`` ...).
"""

from __future__ import annotations

from server.config import Settings, get_settings

PrivacySettings = Settings
get_privacy_settings = get_settings

__all__ = ["PrivacySettings", "get_privacy_settings"]
