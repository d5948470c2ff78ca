"""Who may do what: 401 without identity, 403 for the wrong role or device."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import Unit, login


def test_no_token_is_401_everywhere_but_public(client: TestClient, unit: Unit) -> None:
    assert client.get("/api/v1/health").status_code == 200
    for method, path in [
        ("get", "/api/v1/queue"),
        ("post", "/api/v1/tickets"),
        ("get", "/api/v1/unit"),
        ("get", "/api/v1/events"),
        ("post", f"/api/v1/counters/{unit.counter_ids[0]}/call-next"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "unauthorized"


def test_unknown_token_is_401(client: TestClient) -> None:
    response = client.get("/api/v1/queue", headers={"Authorization": "Bearer dev_nope"})
    assert response.status_code == 401


@pytest.mark.parametrize("kind", ["kiosk", "board"])
def test_devices_cannot_call_or_move_tickets(client: TestClient, unit: Unit, kind: str) -> None:
    token = unit.kiosk_token if kind == "kiosk" else unit.board_token
    headers = {"Authorization": f"Bearer {token}"}
    assert (
        client.post(
            f"/api/v1/counters/{unit.counter_ids[0]}/call-next", headers=headers
        ).status_code
        == 403
    )
    assert client.post("/api/v1/tickets/1/cancel", headers=headers).status_code == 403
    assert client.get("/api/v1/devices", headers=headers).status_code == 403


def test_board_cannot_issue_tickets(client: TestClient, unit: Unit) -> None:
    response = client.post(
        "/api/v1/tickets",
        json={"service_id": unit.service_ids[0]},
        headers={"Authorization": f"Bearer {unit.board_token}"},
    )
    assert response.status_code == 403


def test_staff_is_not_supervisor(client: TestClient, staff: dict[str, str]) -> None:
    assert client.get("/api/v1/devices", headers=staff).status_code == 403
    admin = login(client)
    assert client.get("/api/v1/devices", headers=admin).status_code == 200


def test_wrong_password_then_throttled(client: TestClient) -> None:
    for _ in range(5):
        bad = client.post("/api/v1/auth/login", json={"username": "siti", "password": "wrong"})
        assert bad.status_code == 401 and bad.json()["error"]["code"] == "bad_credentials"
    blocked = client.post(
        "/api/v1/auth/login", json={"username": "siti", "password": "staff-password-1"}
    )
    assert blocked.status_code == 429


def test_unknown_user_answers_like_wrong_password(client: TestClient) -> None:
    response = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"})
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Wrong user name or password."


def test_cookie_session_needs_csrf_header_for_changes(client: TestClient, unit: Unit) -> None:
    login(client, "siti", "staff-password-1")  # sets the cookie on the client
    assert client.get("/api/v1/queue").status_code == 200
    path = f"/api/v1/counters/{unit.counter_ids[0]}/call-next"
    assert client.post(path).status_code == 403
    assert client.post(path, headers={"X-Loket-CSRF": "1"}).status_code == 204


def test_logout_ends_the_session(client: TestClient) -> None:
    headers = login(client, "siti", "staff-password-1")
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    client.cookies.clear()
    assert client.get("/api/v1/queue", headers=headers).status_code == 401


def test_me_describes_the_user(client: TestClient, staff: dict[str, str]) -> None:
    me = client.get("/api/v1/auth/me", headers=staff).json()
    assert me["username"] == "siti" and me["role"] == "staff"
