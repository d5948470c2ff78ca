"""Bad input gets a clear 4xx, changes nothing, and never causes a 500."""

from __future__ import annotations

from fastapi.testclient import TestClient

from server.db.database import Database
from server.db.schema import tickets
from tests.server.conftest import Unit


def ticket_count(db: Database) -> int:
    with db.read() as conn:
        return len(conn.execute(tickets.select()).all())


def test_unknown_service_is_404(client: TestClient, kiosk: dict[str, str], db: Database) -> None:
    response = client.post("/api/v1/tickets", json={"service_id": 999}, headers=kiosk)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_service"
    assert ticket_count(db) == 0


def test_wrong_types_and_extra_fields_are_422(
    client: TestClient, kiosk: dict[str, str], db: Database
) -> None:
    for body in [
        {"service_id": "satu"},
        {},
        {"service_id": 1, "priority": "maybe"},
        {"service_id": 1, "nik": "3171234567890001"},
        {"service_id": 1, "priority_reason": "vip"},
        [1, 2],
        "text",
    ]:
        response = client.post("/api/v1/tickets", json=body, headers=kiosk)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "invalid_input"
        assert "3171234567890001" not in response.text  # input values are never echoed
    assert ticket_count(db) == 0


def test_broken_json_is_422(client: TestClient, kiosk: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/tickets",
        content=b"{not json",
        headers={**kiosk, "content-type": "application/json"},
    )
    assert response.status_code == 422


def test_oversized_body_is_413(client: TestClient, kiosk: dict[str, str], db: Database) -> None:
    response = client.post(
        "/api/v1/tickets",
        content=b"x" * 400_000,
        headers={**kiosk, "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert ticket_count(db) == 0


def test_unknown_ids_and_routes(client: TestClient, staff: dict[str, str]) -> None:
    assert client.get("/api/v1/tickets/424242", headers=staff).status_code == 404
    assert client.post("/api/v1/tickets/424242/start", headers=staff).status_code == 404
    assert client.post("/api/v1/counters/77/call-next", headers=staff).status_code == 404
    assert client.get("/api/v1/tickets/abc", headers=staff).status_code == 422
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.delete("/api/v1/health").status_code == 405


def test_transfer_needs_exactly_one_target(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    ticket = client.post(
        "/api/v1/tickets", json={"service_id": unit.service_ids[0]}, headers=kiosk
    ).json()
    both = client.post(
        f"/api/v1/tickets/{ticket['id']}/transfer",
        json={"service_id": unit.service_ids[1], "counter_id": unit.counter_ids[0]},
        headers=staff,
    )
    assert both.status_code == 422
    neither = client.post(f"/api/v1/tickets/{ticket['id']}/transfer", json={}, headers=staff)
    assert neither.status_code == 422


def test_counter_services_must_exist(client: TestClient, unit: Unit, staff: dict[str, str]) -> None:
    response = client.put(
        f"/api/v1/counters/{unit.counter_ids[0]}/services",
        json={"service_ids": [999]},
        headers=staff,
    )
    assert response.status_code == 404
    counters = client.get("/api/v1/counters", headers=staff).json()
    assert counters[0]["service_ids"] == unit.service_ids  # unchanged


def test_heartbeat_validation(client: TestClient, unit: Unit, kiosk: dict[str, str]) -> None:
    bad = client.post(
        "/api/v1/devices/heartbeat", json={"printer": {"online": "ya"}}, headers=kiosk
    )
    assert bad.status_code == 422
    ok = client.post(
        "/api/v1/devices/heartbeat",
        json={"printer": {"online": True, "paper": "out", "error": "Paper out"}},
        headers=kiosk,
    )
    assert ok.status_code == 204


def test_ids_beyond_sql_integers_are_422_not_500(
    client: TestClient, staff: dict[str, str], kiosk: dict[str, str]
) -> None:
    huge = 10**30
    for method, path in [
        ("post", f"/api/v1/counters/{huge}/call-next"),
        ("post", f"/api/v1/tickets/{huge}/start"),
        ("post", "/api/v1/tickets/-5/start"),
        ("get", f"/api/v1/tickets/{huge}"),
        ("get", f"/api/v1/visitors/{huge}"),
        ("get", f"/api/v1/visitors/{huge}/export"),
    ]:
        response = getattr(client, method)(path, headers=staff)
        assert response.status_code == 422, path
    body = {"service_id": huge}
    assert client.post("/api/v1/tickets", json=body, headers=kiosk).status_code == 422
