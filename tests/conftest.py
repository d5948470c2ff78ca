"""Shared fixtures: real databases (a SQLite file, and PostgreSQL when configured).

Storage tests run once per backend. PostgreSQL runs when LOKET_TEST_POSTGRES_URL
is set (CI sets it); each test gets its own schema, dropped afterwards. If the
variable is set and the server is unreachable, those tests fail — never skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from server.auth import passwords
from server.config import Settings, normalise_database_url
from server.db.database import Database, create_db_engine
from server.db.migrate import upgrade

POSTGRES_URL = os.environ.get("LOKET_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])
ADMIN_PASSWORD = "admin-password-123"


@pytest.fixture(autouse=True)
def _cheap_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters in this process (a hash costs about 60 ms at the
    real ones, seconds on a busy CI machine). Tests about password hashing
    itself are marked ``real_password_cost`` and keep the production hasher."""
    if request.node.get_closest_marker("real_password_cost") is None:
        monkeypatch.setattr(
            passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
        )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once by Alembic; each test gets a copy (fast, same schema)."""
    path = tmp_path_factory.mktemp("template") / "loket.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """A URL of a freshly migrated database on each configured backend (SQLite:
    a copy of the template migrated once; PostgreSQL: a new schema, migrated)."""
    if request.param == "sqlite":
        target = tmp_path / "loket.sqlite3"
        shutil.copyfile(sqlite_template, target)
        yield f"sqlite:///{target}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    base = normalise_database_url(POSTGRES_URL)
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    engine = create_db_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        public_base_url="http://loket.test",
        sse_poll_seconds=0.2,
        sse_ping_seconds=1.0,
    )


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(create_db_engine(settings.sqlalchemy_url))
    yield database
    database.dispose()
