"""call-next and the counter's previous ticket, through the HTTP API (SQLite and PostgreSQL)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.conftest import Unit


def _issue(client: TestClient, kiosk: dict[str, str], service_id: int) -> dict:
    response = client.post("/api/v1/tickets", json={"service_id": service_id}, headers=kiosk)
    assert response.status_code == 201, response.text
    return response.json()


def test_call_next_refuses_while_the_counter_holds_a_ticket(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    first = _issue(client, kiosk, unit.service_ids[0])
    second = _issue(client, kiosk, unit.service_ids[0])
    counter = unit.counter_ids[0]
    url = f"/api/v1/counters/{counter}/call-next"
    assert client.post(url, headers=staff).json()["id"] == first["id"]

    refused = client.post(url, headers=staff)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "counter_busy"
    assert first["number"] in error["message"] and "no-show" in error["message"]
    assert client.get(f"/api/v1/tickets/{second['id']}", headers=staff).json()["status"] == (
        "waiting"
    )
    assert client.get(f"/api/v1/tickets/{first['id']}", headers=staff).json()["status"] == (
        "called"
    )

    assert client.post(f"/api/v1/tickets/{first['id']}/start", headers=staff).status_code == 200
    serving = client.post(url, headers=staff)
    assert serving.status_code == 409 and "finish" in serving.json()["error"]["message"]

    assert client.post(f"/api/v1/tickets/{first['id']}/finish", headers=staff).status_code == 200
    nxt = client.post(url, headers=staff)
    assert nxt.status_code == 200 and nxt.json()["id"] == second["id"]


def test_another_counter_is_not_blocked(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    first = _issue(client, kiosk, unit.service_ids[0])
    second = _issue(client, kiosk, unit.service_ids[0])
    c1, c2 = unit.counter_ids
    for counter in (c1, c2):
        client.put(
            f"/api/v1/counters/{counter}/services",
            json={"service_ids": [unit.service_ids[0]]},
            headers=staff,
        )
    assert (
        client.post(f"/api/v1/counters/{c1}/call-next", headers=staff).json()["id"] == first["id"]
    )
    assert (
        client.post(f"/api/v1/counters/{c2}/call-next", headers=staff).json()["id"] == second["id"]
    )
