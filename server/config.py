"""The server's one typed settings object, read once from the environment and `.env`.

Every setting has the prefix ``LOKET_`` in the environment (``LOKET_DATABASE_URL``,
``LOKET_RETENTION_PHOTO_DAYS`` ...). The app receives its :class:`Settings` in
:func:`server.api.create_app` and hands it to routes through
``server.api.deps.SettingsDep``; command-line tools call :func:`get_settings`.
Nothing else reads the environment for server configuration.

There is no server secret: staff sessions and device tokens are random and
stored only as hashes, and personal data is protected by the key file
(``key_file``, see docs/privacy.md). ``LOKET_SECRET_KEY``, once demanded but
used for nothing, is ignored if still set.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """All configuration of a Loket server process."""

    model_config = SettingsConfigDict(env_prefix="LOKET_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("var"), description="Where the SQLite file, keys and previews live."
    )
    database_url: str = Field(
        default="", description="SQLAlchemy URL; empty means SQLite in data_dir."
    )
    key_file: Path | None = Field(
        default=None, description="Encryption key file; default data_dir/keys.json."
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000", description="What ticket QR codes point to."
    )
    session_hours: int = Field(default=12, ge=1, description="Staff sign-in lifetime.")
    max_body_bytes: int = Field(default=256 * 1024, ge=1024, description="Largest request body.")
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=300, ge=1)
    sse_ping_seconds: float = Field(default=15.0, gt=0, description="Keep-alive on idle streams.")
    sse_poll_seconds: float = Field(
        default=1.0, gt=0, description="SQLite: how often a stream looks for new events."
    )
    sse_held_seconds: float = Field(
        default=0.05,
        gt=0,
        description="PostgreSQL: how soon a stream looks again while committed events "
        "wait for an older transaction to end.",
    )
    sqlite_synchronous: str = "FULL"
    # mail (issue 11): SMTP for the durable outbox; empty host = mail off
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = Field(default="starttls", description="none, starttls or tls")
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = "loket@localhost"
    smtp_timeout_seconds: float = 15.0
    mail_poll_seconds: float = 5.0
    mail_retry_base_seconds: float = 30.0
    mail_retry_max_seconds: float = 1800.0
    mail_max_attempts: int = 40
    case_near_limit_days: int = 5
    attachment_max_bytes: int = 200 * 1024
    smtp_ca_file: str = Field(
        default="",
        description="CA bundle for the SMTP server's TLS certificate; empty = system CAs",
    )

    @property
    def mail_enabled(self) -> bool:
        return bool(self.smtp_host)

    # Retention of personal data (docs/privacy.md); the server purges on this schedule.
    retention_photo_days: int = Field(default=30, ge=0, description="ID photos.")
    retention_guestbook_days: int = Field(
        default=730, ge=1, description="A visitor's identity, from their last visit."
    )
    retention_audit_days: int = Field(default=1825, ge=30, description="Audit-log rows.")
    retention_case_days: int = Field(
        default=730,
        ge=1,
        description="A closed case's or complaint's contact, form, text and attachments, "
        "from its closing.",
    )
    retention_mail_days: int = Field(
        default=90, ge=1, description="A sent or failed mail's recipient and bodies."
    )
    retention_interval_hours: float = Field(
        default=24.0, gt=0, description="Time between the server's purge runs."
    )
    # The kiosk's returning-visitor look-up budget (docs/privacy.md).
    lookup_device_limit: int = Field(default=20, ge=1, description="Look-ups per device window.")
    lookup_device_window_seconds: float = Field(default=600.0, gt=0)
    lookup_identifier_limit: int = Field(
        default=5, ge=1, description="Look-ups of one NIK or e-mail per identifier window."
    )
    lookup_identifier_window_seconds: float = Field(default=600.0, gt=0)

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite:///{(self.data_dir / 'loket.sqlite3').as_posix()}"

    @property
    def resolved_key_file(self) -> Path:
        return self.key_file or self.data_dir / "keys.json"


def normalise_database_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


@cache
def get_settings() -> Settings:
    """The process-wide settings (tests build their own ``Settings`` instead)."""
    return Settings()
