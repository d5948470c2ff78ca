"""Typed settings for the server, read once from the environment and `.env`.

Every setting has the prefix ``LOKET_`` in the environment (``LOKET_DATABASE_URL``,
``LOKET_SECRET_KEY`` ...). The default secret is refused outside demo mode, so a
real office can never run on a key that is published in this repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "insecure-demo-secret-change-me"


class InsecureSettingsError(RuntimeError):
    """The settings are not safe for a real deployment."""


class Settings(BaseSettings):
    """All configuration of a Loket server process."""

    model_config = SettingsConfigDict(env_prefix="LOKET_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("var"), description="Where the SQLite file, keys and previews live."
    )
    database_url: str = Field(
        default="", description="SQLAlchemy URL; empty means SQLite in data_dir."
    )
    secret_key: str = DEFAULT_SECRET
    key_file: Path | None = Field(
        default=None, description="Encryption key file; default data_dir/keys.json."
    )
    demo: bool = False
    public_base_url: str = "http://127.0.0.1:8000"
    timezone: str = "Asia/Jakarta"
    session_hours: int = 12
    max_body_bytes: int = 256 * 1024
    login_max_failures: int = 5
    login_window_seconds: int = 300
    default_service_minutes: float = 7.0
    sse_ping_seconds: float = 15.0
    sse_poll_seconds: float = 1.0
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

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite:///{(self.data_dir / 'loket.sqlite3').as_posix()}"

    @property
    def resolved_key_file(self) -> Path:
        return self.key_file or self.data_dir / "keys.json"

    def check_secure(self) -> None:
        """Refuse to run a non-demo server on the published default secret."""
        if not self.demo and self.secret_key == DEFAULT_SECRET:
            raise InsecureSettingsError(
                "LOKET_SECRET_KEY is the published default. Set a long random value "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) "
                "or run with LOKET_DEMO=1 for a demonstration."
            )
        if not self.demo and len(self.secret_key) < 32:
            raise InsecureSettingsError("LOKET_SECRET_KEY must be at least 32 characters long.")


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
