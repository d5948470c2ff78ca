"""The ``loket`` command as an administrator uses it, run as real subprocesses."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from pathlib import Path

import pytest
import requests
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server.config import Settings
from server.db.database import Database
from server.db.schema import metadata
from tests.live import free_port, loket, serve_in_subprocess


def test_init_user_device_and_backup_on_sqlite(tmp_path: Path) -> None:
    env = {"LOKET_DATA_DIR": str(tmp_path / "data"), "LOKET_DEMO": "1"}
    first = loket("init", env=env)
    assert "Created unit" in first.stdout
    password_line = next(line for line in first.stdout.splitlines() if "password" in line)
    generated = password_line.rsplit(" ", 1)[-1]
    assert len(generated) >= 12
    again = loket("init", env=env)
    assert "already exists" in again.stdout

    added = loket(
        "user", "add", "budi", "--role", "supervisor", env=env, stdin="budi-password-123\n"
    )
    assert "Added supervisor budi" in added.stdout
    weak = loket("user", "add", "ani", env=env, stdin="short\n", check=False)
    assert weak.returncode == 2 and "at least 10" in weak.stderr
    token = loket("device", "add", "--kind", "kiosk", "--name", "Lobi", env=env).stdout.strip()
    assert token.startswith("dev_")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    issued: list[str] = []
    with serve_in_subprocess(env, port, tmp_path / "serve.log"):
        login = requests.post(
            f"{base}/api/v1/auth/login",
            json={"username": "admin", "password": generated},
            timeout=10,
        )
        assert login.status_code == 200
        stop = threading.Event()

        def keep_issuing() -> None:
            session = requests.Session()
            while not stop.is_set():
                r = session.post(
                    f"{base}/api/v1/tickets",
                    timeout=10,
                    headers={"Authorization": f"Bearer {token}"},
                    json={"service_id": 2, "client_request_id": uuid.uuid4().hex},
                )
                issued.append(r.json()["number"])

        writer = threading.Thread(target=keep_issuing)
        writer.start()
        try:
            while len(issued) < 5:
                threading.Event().wait(0.05)
            backup = tmp_path / "backup" / "loket.sqlite3"
            result = loket("backup", str(backup), env=env)  # while tickets are being written
        finally:
            stop.set()
            writer.join()
    assert "Backup written" in result.stdout
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        numbers = [r[0] for r in conn.execute("SELECT number FROM tickets ORDER BY id")]
    assert len(numbers) >= 5
    assert numbers == [f"K{i:03d}" for i in range(1, len(numbers) + 1)]
    refused = loket("backup", str(backup), env=env, check=False)
    assert refused.returncode == 2 and "exists" in refused.stderr


def test_settings_are_one_typed_object(monkeypatch: pytest.MonkeyPatch) -> None:
    # LOKET_SECRET_KEY protected nothing and is gone; an old deployment that still sets
    # it (or LOKET_DEMO) starts as before. Retention settings keep their variable names.
    monkeypatch.setenv("LOKET_SECRET_KEY", "x")
    monkeypatch.setenv("LOKET_DEMO", "0")
    monkeypatch.setenv("LOKET_RETENTION_PHOTO_DAYS", "12")
    settings = Settings()
    assert settings.retention_photo_days == 12
    fields = set(Settings.model_fields)
    assert not fields & {"secret_key", "demo", "timezone", "default_service_minutes"}
    assert {
        "retention_guestbook_days",
        "retention_audit_days",
        "retention_interval_hours",
    } <= fields
    with pytest.raises(ValueError):
        Settings(retention_audit_days=1)  # audit rows are kept at least 30 days
    assert (
        Settings(database_url="postgres://u@h/db").sqlalchemy_url == "postgresql+psycopg://u@h/db"
    )


def test_migrations_match_the_schema(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
