"""Issuing and moving tickets through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from server.db.database import Database
from server.store import tickets
from server.store.common import Actor
from tests.server.conftest import Unit


def issue(client: TestClient, headers: dict[str, str], service_id: int, **extra: object) -> dict:
    response = client.post(
        "/api/v1/tickets", json={"service_id": service_id, **extra}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_issue_numbers_per_service_with_tracking(
    client: TestClient, unit: Unit, kiosk: dict[str, str]
) -> None:
    library, _, _, recommendation = unit.service_ids
    first = issue(client, kiosk, recommendation)
    second = issue(client, kiosk, recommendation)
    other = issue(client, kiosk, library)
    assert (first["number"], second["number"], other["number"]) == ("R001", "R002", "P001")
    assert first["status"] == "waiting"
    assert second["people_ahead"] == 1 and first["people_ahead"] == 0
    assert second["estimated_wait_minutes"] > 0
    assert first["tracking_url"] == f"http://loket.test/t/{first['tracking_token']}"
    assert first["tracking_token"] != second["tracking_token"]


def test_retry_with_same_request_id_returns_same_ticket(
    client: TestClient, unit: Unit, kiosk: dict[str, str]
) -> None:
    body = {"service_id": unit.service_ids[0], "client_request_id": "kiosk-1-0001"}
    first = client.post("/api/v1/tickets", json=body, headers=kiosk)
    again = client.post("/api/v1/tickets", json=body, headers=kiosk)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["number"] == "P001"
    assert issue(client, kiosk, unit.service_ids[0])["number"] == "P002"


def test_numbers_reset_each_local_day(db: Database, unit: Unit) -> None:
    service = unit.service_ids[1]
    # 23:59 and 00:01 WIB (UTC+7) on consecutive days
    late = datetime(2026, 11, 23, 16, 59, tzinfo=UTC)
    early = datetime(2026, 11, 23, 17, 1, tzinfo=UTC)
    with db.write() as conn:
        a, _ = tickets.issue_ticket(
            conn, unit_id=unit.id, service_id=service, actor=Actor(), now=late
        )
        b, _ = tickets.issue_ticket(
            conn, unit_id=unit.id, service_id=service, actor=Actor(), now=early
        )
        c, _ = tickets.issue_ticket(
            conn, unit_id=unit.id, service_id=service, actor=Actor(), now=early
        )
    assert (a["number"], b["number"], c["number"]) == ("K001", "K001", "K002")
    assert str(a["day"]) == "2026-11-23" and str(b["day"]) == "2026-11-24"


def test_full_lifecycle_is_recorded(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str], db: Database
) -> None:
    ticket = issue(client, kiosk, unit.service_ids[0])
    counter = unit.counter_ids[1]
    called = client.post(f"/api/v1/counters/{counter}/call-next", headers=staff).json()
    assert called["id"] == ticket["id"] and called["status"] == "called"
    assert called["counter_id"] == counter
    tid = ticket["id"]
    recalled = client.post(f"/api/v1/tickets/{tid}/recall", headers=staff).json()
    assert recalled["recall_count"] == 1
    assert client.post(f"/api/v1/tickets/{tid}/start", headers=staff).json()["status"] == "serving"
    done = client.post(
        f"/api/v1/tickets/{tid}/finish", json={"note": "Data diberikan"}, headers=staff
    )
    assert done.json()["status"] == "done"
    with db.read() as conn:
        from server.db.schema import ticket_transitions

        rows = (
            conn.execute(
                ticket_transitions.select()
                .where(ticket_transitions.c.ticket_id == tid)
                .order_by(ticket_transitions.c.id)
            )
            .mappings()
            .all()
        )
    assert [r["action"] for r in rows] == ["issue", "call", "recall", "start", "finish"]
    assert rows[1]["counter_id"] == counter and rows[1]["user_id"] is not None
    assert rows[0]["device_id"] is not None
    assert rows[-1]["note"] == "Data diberikan"


def test_call_next_returns_204_when_empty(
    client: TestClient, unit: Unit, staff: dict[str, str]
) -> None:
    response = client.post(f"/api/v1/counters/{unit.counter_ids[0]}/call-next", headers=staff)
    assert response.status_code == 204 and response.content == b""


def test_priority_first_with_fairness(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    service = unit.service_ids[2]
    regular = [issue(client, kiosk, service)["number"] for _ in range(2)]
    priority = [
        issue(client, kiosk, service, priority=True, priority_reason="elderly")["number"]
        for _ in range(3)
    ]
    order = []
    for _ in range(5):
        t = client.post(f"/api/v1/counters/{unit.counter_ids[0]}/call-next", headers=staff).json()
        order.append(t["number"])
        client.post(f"/api/v1/tickets/{t['id']}/start", headers=staff)
        client.post(f"/api/v1/tickets/{t['id']}/finish", headers=staff)
    # default rule: at most 2 priority calls in a row; FIFO within each lane
    assert order == [priority[0], priority[1], regular[0], priority[2], regular[1]]


def test_no_show_needs_a_recall_then_requeue_keeps_place(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    service, counter = unit.service_ids[0], unit.counter_ids[0]
    first = issue(client, kiosk, service)
    second = issue(client, kiosk, service)
    client.post(f"/api/v1/counters/{counter}/call-next", headers=staff)
    refused = client.post(f"/api/v1/tickets/{first['id']}/no-show", headers=staff)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "recall_first"
    client.post(f"/api/v1/tickets/{first['id']}/recall", headers=staff)
    gone = client.post(f"/api/v1/tickets/{first['id']}/no-show", headers=staff)
    assert gone.json()["status"] == "no_show"
    back = client.post(f"/api/v1/tickets/{first['id']}/requeue", headers=staff).json()
    assert back["status"] == "waiting" and back["counter_id"] is None
    again = client.post(f"/api/v1/counters/{counter}/call-next", headers=staff).json()
    assert again["id"] == first["id"]  # arrival time kept: still ahead of the second
    assert second["id"] != again["id"]


def test_transfer_keeps_arrival_and_priority(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    consult, recommendation = unit.service_ids[1], unit.service_ids[3]
    moved = issue(client, kiosk, consult, priority=True, priority_reason="pregnant")
    later = issue(client, kiosk, recommendation, priority=True, priority_reason="disability")
    client.put(
        f"/api/v1/counters/{unit.counter_ids[0]}/services",
        json={"service_ids": [consult]},
        headers=staff,
    )
    called = client.post(f"/api/v1/counters/{unit.counter_ids[0]}/call-next", headers=staff).json()
    assert called["id"] == moved["id"]
    out = client.post(
        f"/api/v1/tickets/{moved['id']}/transfer",
        json={"service_id": recommendation},
        headers=staff,
    ).json()
    assert out["status"] == "waiting" and out["service_id"] == recommendation
    assert out["priority"] is True and out["number"] == moved["number"]
    assert out["people_ahead"] == 0  # it arrived before the other recommendation ticket
    nxt = client.post(f"/api/v1/counters/{unit.counter_ids[1]}/call-next", headers=staff).json()
    assert nxt["id"] == moved["id"] and later["id"] != nxt["id"]


def test_transfer_to_a_counter_only_that_counter_calls_it(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    ticket = issue(client, kiosk, unit.service_ids[0])
    c1, c2 = unit.counter_ids
    client.post(f"/api/v1/tickets/{ticket['id']}/transfer", json={"counter_id": c2}, headers=staff)
    assert client.post(f"/api/v1/counters/{c1}/call-next", headers=staff).status_code == 204
    assert (
        client.post(f"/api/v1/counters/{c2}/call-next", headers=staff).json()["id"] == ticket["id"]
    )


def test_illegal_transition_is_409_and_changes_nothing(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    ticket = issue(client, kiosk, unit.service_ids[0])
    response = client.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=staff)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "illegal_transition" and "P001" in error["message"]
    assert (
        client.get(f"/api/v1/tickets/{ticket['id']}", headers=staff).json()["status"] == "waiting"
    )


def test_other_counter_cannot_finish_a_held_ticket(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    issue(client, kiosk, unit.service_ids[0])
    c1, c2 = unit.counter_ids
    called = client.post(f"/api/v1/counters/{c1}/call-next", headers=staff).json()
    response = client.post(
        f"/api/v1/tickets/{called['id']}/start", json={"counter_id": c2}, headers=staff
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "held_elsewhere"


def test_paused_counter_does_not_call(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    issue(client, kiosk, unit.service_ids[0])
    counter = unit.counter_ids[0]
    assert client.post(f"/api/v1/counters/{counter}/pause", headers=staff).json()["paused"] is True
    refused = client.post(f"/api/v1/counters/{counter}/call-next", headers=staff)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "counter_paused"
    client.post(f"/api/v1/counters/{counter}/resume", headers=staff)
    assert client.post(f"/api/v1/counters/{counter}/call-next", headers=staff).status_code == 200


def test_queue_overview_and_board_view(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    for _ in range(3):
        issue(client, kiosk, unit.service_ids[3])
    client.post(f"/api/v1/counters/{unit.counter_ids[1]}/call-next", headers=staff)
    overview = client.get("/api/v1/queue", headers=staff).json()
    rec = next(s for s in overview["services"] if s["prefix"] == "R")
    assert rec["waiting_count"] == 2
    counter = next(c for c in overview["counters"] if c["counter_id"] == unit.counter_ids[1])
    assert counter["current"]["number"] == "R001"
    assert overview["recent_calls"][0]["number"] == "R001"
    assert overview["recent_calls"][0]["counter_number"] == 2
    board = client.get("/api/v1/queue", headers={"Authorization": f"Bearer {unit.board_token}"})
    assert all(t["tracking_token"] is None for s in board.json()["services"] for t in s["waiting"])


def test_public_tracking_shows_no_token_or_personal_data(
    client: TestClient, unit: Unit, kiosk: dict[str, str]
) -> None:
    ticket = issue(client, kiosk, unit.service_ids[3])
    public = client.get(f"/api/v1/track/{ticket['tracking_token']}")
    assert public.status_code == 200
    assert set(public.json()) == {
        "number",
        "service",
        "counter_name",
        "status",
        "people_ahead",
        "estimated_wait_minutes",
        "issued_at",
        "opening_hours",  # the office's, not the visitor's
    }
    assert public.json()["service"] == "Rekomendasi Kegiatan Statistik"
    assert client.get("/api/v1/track/not-a-token").status_code == 404


def test_openapi_documents_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in [
        "/api/v1/tickets",
        "/api/v1/counters/{counter_id}/call-next",
        "/api/v1/queue",
        "/api/v1/events",
        "/api/v1/health",
        "/api/v1/tickets/{ticket_id}/transfer",
    ]:
        assert path in paths
