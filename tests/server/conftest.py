"""Fixtures for server tests: an initialised unit, the app, and signed-in clients."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from server.api.app import create_app
from server.bootstrap import init_unit
from server.config import Settings
from server.db.database import Database
from server.store import accounts
from tests.conftest import ADMIN_PASSWORD


@dataclass
class Unit:
    id: int
    service_ids: list[int]
    counter_ids: list[int]
    kiosk_token: str
    board_token: str


@pytest.fixture
def unit(db: Database) -> Unit:
    result = init_unit(db, admin_password=ADMIN_PASSWORD)
    with db.write() as conn:
        from server.store import units

        services = [s["id"] for s in units.list_services(conn, unit_id=result.unit_id)]
        counters = [c["id"] for c in units.list_counters(conn, unit_id=result.unit_id)]
        _, kiosk = accounts.add_device(conn, unit_id=result.unit_id, kind="kiosk", name="Kiosk")
        _, board = accounts.add_device(conn, unit_id=result.unit_id, kind="board", name="Board")
        accounts.add_user(
            conn, unit_id=result.unit_id, username="siti", password="staff-password-1", role="staff"
        )
    return Unit(result.unit_id, services, counters, kiosk, board)


@pytest.fixture
def client(settings: Settings, db: Database, unit: Unit) -> Iterator[TestClient]:
    with TestClient(create_app(settings, db=db)) as c:
        yield c


def login(
    client: TestClient, username: str = "admin", password: str = ADMIN_PASSWORD
) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.fixture
def staff(client: TestClient) -> dict[str, str]:
    return login(client, "siti", "staff-password-1")


@pytest.fixture
def kiosk(unit: Unit) -> dict[str, str]:
    return {"Authorization": f"Bearer {unit.kiosk_token}"}
