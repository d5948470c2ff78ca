"""Fixtures for the report tests: the hand-counted month on each backend, and an API client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.api.app import create_app
from server.config import Settings
from server.db.database import Database
from tests.reports.month import seed_month


@pytest.fixture
def month(db: Database, settings: Settings) -> dict[str, Any]:
    return seed_month(db, settings)


@pytest.fixture
def client(settings: Settings, db: Database, month: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(settings, db=db)) as c:
        yield c


def login(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}
