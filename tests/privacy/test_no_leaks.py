"""Known personal values fed through every path never reach logs or error bodies.

The in-process part captures every logger at DEBUG (SQLAlchemy's statement
log included) with caplog; the subprocess part runs the real server under
uvicorn with debug logging and access log, and greps its whole output.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from server.bootstrap import init_unit
from server.cli.common import open_database
from server.config import Settings
from server.db.database import Database
from server.db.privacy_schema import visitors
from server.store import accounts
from tests.live import free_port
from tests.privacy.conftest import (
    EMAIL,
    KNOWN_VALUES,
    NAME,
    NIK,
    PHONE,
    registration_body,
    subprocess_env,
    visitor_payload,
)
from tests.server.conftest import Unit

ROOT = Path(__file__).resolve().parents[2]


def _exercise(
    client: httpx.Client | TestClient,
    unit_service: int,
    kiosk: dict[str, str],
    staff: dict[str, str],
) -> list[httpx.Response]:
    """Every path personal data can take; returns the responses that must not echo it."""
    unit = Unit(0, [unit_service], [], "", "")
    checked: list[httpx.Response] = []

    def post(url: str, body: object, headers: dict[str, str]) -> httpx.Response:
        response = client.post(url, json=body, headers=headers)
        checked.append(response)
        return response

    body = registration_body(unit)
    created = post("/api/v1/registrations", body, kiosk)
    assert created.status_code == 201, created.text
    assert post("/api/v1/registrations", body, kiosk).status_code == 200
    vid, visit_id = created.json()["visitor_id"], created.json()["visit_id"]
    # invalid input: known values in the wrong places, so an echo would show them
    wrong = visitor_payload(
        phone=EMAIL, email=NAME, id_number=NIK + "9", age_group=PHONE, education=NIK, name=NAME * 20
    )
    assert (
        post("/api/v1/registrations", registration_body(unit, visitor=wrong), kiosk).status_code
        == 422
    )
    typed = registration_body(unit, service_id=NIK, visitor=visitor_payload(name=[NAME, NIK]))
    assert post("/api/v1/registrations", typed, kiosk).status_code == 422
    no_consent = registration_body(unit)
    no_consent["consent"]["accepted"] = False
    assert post("/api/v1/registrations", no_consent, kiosk).status_code == 422
    broken = client.post(
        "/api/v1/registrations",
        headers={**kiosk, "content-type": "application/json"},
        content=f'{{"nik": "{NIK}", "name": "{NAME}'.encode(),
    )
    checked.append(broken)
    assert broken.status_code == 422
    assert (
        post("/api/v1/registrations", registration_body(unit, service_id=999), kiosk).status_code
        == 404
    )
    # look-ups
    found = post("/api/v1/visitors/lookup", {"nik": NIK}, kiosk)
    assert found.status_code == 200
    assert post("/api/v1/visitors/lookup", {"email": EMAIL}, kiosk).status_code == 200
    assert post("/api/v1/visitors/lookup", {"nik": NIK[:-1] + "x"}, kiosk).status_code == 422
    assert post("/api/v1/visitors/lookup", {"email": NAME}, kiosk).status_code == 422
    assert post("/api/v1/visitors/lookup", {"nik": "1906011203850009"}, kiosk).status_code == 404
    # console
    for url in ("/api/v1/visits", f"/api/v1/visits/{visit_id}", f"/api/v1/visitors/{vid}"):
        response = client.get(url, headers=staff)
        assert response.status_code == 200
        checked.append(response)
    for query in ({"name": NAME}, {"nik": NIK}, {"email": EMAIL}, {"name": "zzz"}):
        assert post("/api/v1/visitors/search", query, staff).status_code == 200
    revealed = client.post(
        f"/api/v1/visitors/{vid}/reveal",
        json={"field": "id_number", "reason": "verifikasi"},
        headers=staff,
    )
    assert revealed.json()["value"] == NIK  # allowed: the audited reveal itself
    assert (
        client.get(f"/api/v1/visitors/{vid}/export?reason=akses+data", headers=staff).status_code
        == 200
    )
    bad = client.patch(
        f"/api/v1/visitors/{vid}",
        json={"email": NAME, "phone": NIK, "id_number": EMAIL, "reason": "koreksi"},
        headers=staff,
    )
    checked.append(bad)
    assert bad.status_code == 422
    good = client.patch(
        f"/api/v1/visitors/{vid}", json={"phone": PHONE, "reason": "koreksi"}, headers=staff
    )
    checked.append(good)
    assert good.status_code == 200
    # errors: unknown ids, devices and the public on staff endpoints
    for response in (
        client.get("/api/v1/visitors/999999", headers=staff),
        client.get(f"/api/v1/visitors/{vid}", headers=kiosk),
        client.post(f"/api/v1/visitors/{vid}/reveal", json={"field": "name", "reason": NAME}),
    ):
        assert response.status_code in (401, 403, 404)
        checked.append(response)
    return checked


def _assert_clean(text: str, where: str) -> None:
    for value in KNOWN_VALUES:
        assert value not in text, f"{where} contains a personal value"
        assert value.lower() not in text.lower(), f"{where} contains a personal value"


def test_in_process_logs_and_error_bodies_hold_no_personal_data(
    client: TestClient,
    kiosk: dict[str, str],
    unit: Unit,
    staff: dict[str, str],
    db: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")  # statements and their parameters
    responses = _exercise(client, unit.service_ids[0], kiosk, staff)
    # a row that fails authentication: logged by id only
    with db.write() as conn:
        conn.execute(sa.update(visitors).values(name_ct=b"\x01\x01x" + b"\x00" * 40))
    unreadable = client.get("/api/v1/visits", headers=staff)
    assert unreadable.status_code == 200
    failed = client.post(
        "/api/v1/visitors/1/reveal", json={"field": "name", "reason": "cek"}, headers=staff
    )
    assert failed.status_code == 500
    for response in [*responses, unreadable, failed]:
        _assert_clean(response.text, f"response {response.request.method} {response.request.url}")
    records = caplog.records
    assert any(r.name.startswith("sqlalchemy.engine") for r in records)
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in records)
    assert "failed authentication" in logged
    _assert_clean(logged, "the server log")
    _assert_clean(caplog.text, "the captured log text")


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Path]]:
    env = subprocess_env(tmp_path / "data")
    db = open_database(Settings(data_dir=tmp_path / "data", database_url=""))
    unit_id = init_unit(db, admin_password="admin-password-123").unit_id
    with db.write() as conn:
        _, token = accounts.add_device(conn, unit_id=unit_id, kind="kiosk", name="Kiosk")
    db.dispose()
    port = free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log_file:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "tests.privacy.asgi_factory:app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "trace",
            ],
            env=env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/api/v1/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            yield f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {token}"}, log_path
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_uvicorn_log_holds_no_personal_data(
    live_server: tuple[str, dict[str, str], Path],
) -> None:
    base_url, kiosk, log_path = live_server
    with httpx.Client(base_url=base_url, timeout=10) as client:
        login = client.post(
            "/api/v1/auth/login", json={"username": "admin", "password": "admin-password-123"}
        )
        staff = {"Authorization": f"Bearer {login.json()['token']}"}
        services = client.get("/api/v1/services", headers=kiosk).json()
        responses = _exercise(client, services[0]["id"], kiosk, staff)
    for response in responses:
        _assert_clean(response.text, f"response {response.request.url}")
    time.sleep(0.3)
    text = log_path.read_text(errors="replace")
    assert "POST /api/v1/registrations" in text  # the access log is on
    assert "sqlalchemy.engine" in text and "INSERT INTO visitors" in text  # and DEBUG logging
    _assert_clean(text, "the uvicorn log")
