"""What every CLI command needs: settings and a migrated database."""

from __future__ import annotations

import sys

from server.config import Settings, get_settings
from server.db.database import Database, create_db_engine
from server.db.migrate import upgrade


def open_database(settings: Settings | None = None, *, migrate: bool = True) -> Database:
    settings = settings or get_settings()
    if settings.sqlalchemy_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_db_engine(
        settings.sqlalchemy_url, sqlite_synchronous=settings.sqlite_synchronous
    )
    if migrate:
        upgrade(engine)
    return Database(engine)


def fail(message: str, code: int = 2) -> int:
    print(f"loket: {message}", file=sys.stderr)
    return code
