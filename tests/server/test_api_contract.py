"""The API as a contract: every JSON answer has a declared schema, the queue reads
in a fixed number of queries, each ticket carries its allowed actions, and an
oversized body is refused by the one error hierarchy however it is sent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from server.db.database import Database
from tests.server.conftest import Unit

JSON = "application/json"


def _names_a_model(schema: dict[str, Any]) -> bool:
    """A schema that points at a named model (or a list / optional of one)."""
    if "$ref" in schema:
        return True
    if schema.get("type") == "array":
        return _names_a_model(schema.get("items", {}))
    options = schema.get("anyOf") or schema.get("oneOf") or []
    real = [o for o in options if o.get("type") != "null"]
    return bool(real) and all(_names_a_model(o) for o in real)


def test_every_json_operation_declares_a_response_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    problems: list[str] = []
    operations = 0
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            operations += 1
            success = {code: r for code, r in op["responses"].items() if code.startswith("2")}
            if not success:
                problems.append(f"{method.upper()} {path}: no 2xx response")
                continue
            json_operation = any(JSON in (r.get("content") or {}) for r in success.values())
            for code, response in success.items():
                content = response.get("content") or {}
                if json_operation and code != "204" and JSON not in content:
                    problems.append(f"{method.upper()} {path} {code}: no JSON body declared")
                elif JSON in content and not _names_a_model(content[JSON].get("schema") or {}):
                    problems.append(f"{method.upper()} {path} {code}: JSON without a model")
    assert operations > 25
    assert problems == []
    # The stream is documented as an event stream, the photo as a JPEG.
    assert (
        "text/event-stream" in spec["paths"]["/api/v1/events"]["get"]["responses"]["200"]["content"]
    )
    photo = spec["paths"]["/api/v1/visits/{visit_id}/photo"]["post"]["responses"]["200"]
    assert "image/jpeg" in photo["content"]


@contextmanager
def counting_queries(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statement = str(args[2])
        # PostgreSQL: the notification of an earlier commit is sent by a background
        # thread on the same engine and may land inside the window; it is no read.
        if "pg_notify" not in statement:
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def _issue(client: TestClient, kiosk: dict[str, str], service_id: int, **extra: Any) -> Any:
    r = client.post("/api/v1/tickets", json={"service_id": service_id, **extra}, headers=kiosk)
    assert r.status_code == 201, r.text
    return r.json()


def test_queue_reads_a_fixed_number_of_queries_and_matches_single_tickets(
    client: TestClient, db: Database, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    konsultasi, counter = unit.service_ids[1], unit.counter_ids[0]
    client.put(
        f"/api/v1/counters/{counter}/services",
        json={"service_ids": unit.service_ids},
        headers=staff,
    )
    # Some finished services, so the estimate uses measured durations.
    for _ in range(3):
        _issue(client, kiosk, konsultasi)
        called = client.post(f"/api/v1/counters/{counter}/call-next", headers=staff).json()
        for action in ("start", "finish"):
            r = client.post(f"/api/v1/tickets/{called['id']}/{action}", json={}, headers=staff)
            assert r.status_code == 200

    def queue_queries() -> int:
        with counting_queries(db) as statements:
            assert client.get("/api/v1/queue", headers=staff).status_code == 200
        return len(statements)

    # One waiting ticket per service, then many more: the reads grow with the
    # services (one recent-times read each), never with the tickets.
    _issue(client, kiosk, unit.service_ids[0], priority_reason="elderly")
    for service_id in unit.service_ids[1:]:
        _issue(client, kiosk, service_id)
    few = queue_queries()
    for i in range(10):
        _issue(client, kiosk, unit.service_ids[i % 4], priority=(i % 5 == 0))
    assert queue_queries() == few  # 14 waiting tickets cost what 4 did

    overview = client.get("/api/v1/queue", headers=staff).json()
    waiting = [t for s in overview["services"] for t in s["waiting"]]
    assert len(waiting) == 14
    assert any(t["estimated_wait_minutes"] > 0 for t in waiting)
    for ticket in waiting:  # the batched numbers are the single-ticket numbers
        single = client.get(f"/api/v1/tickets/{ticket['id']}", headers=staff).json()
        for key in ("people_ahead", "estimated_wait_minutes", "allowed_actions"):
            assert ticket[key] == single[key], (key, ticket["number"])


def test_each_ticket_carries_the_actions_allowed_now(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    counter = unit.counter_ids[0]
    ticket = _issue(client, kiosk, unit.service_ids[0])
    assert ticket["allowed_actions"] == ["transfer", "cancel"]
    called = client.post(f"/api/v1/counters/{counter}/call-next", headers=staff).json()
    assert called["allowed_actions"] == ["recall", "start", "requeue", "transfer", "cancel"]
    # The list says what the server then accepts: no-show only after a recall.
    refused = client.post(f"/api/v1/tickets/{called['id']}/no-show", json={}, headers=staff)
    assert refused.status_code == 409
    recalls: list[list[str]] = []
    for _ in range(3):
        r = client.post(f"/api/v1/tickets/{called['id']}/recall", json={}, headers=staff)
        recalls.append(r.json()["allowed_actions"])
    assert "no_show" in recalls[0] and "recall" in recalls[1]
    assert "recall" not in recalls[2]  # the third recall was the last one allowed
    again = client.post(f"/api/v1/tickets/{called['id']}/recall", json={}, headers=staff)
    assert again.status_code == 409 and again.json()["error"]["code"] == "recall_limit"
    served = client.post(f"/api/v1/tickets/{called['id']}/start", json={}, headers=staff).json()
    assert served["allowed_actions"] == ["finish", "transfer"]
    queue = client.get("/api/v1/queue", headers=staff).json()
    current = next(c for c in queue["counters"] if c["counter_id"] == counter)["current"]
    assert current["allowed_actions"] == ["finish", "transfer"]
    done = client.post(f"/api/v1/tickets/{called['id']}/finish", json={}, headers=staff).json()
    assert done["allowed_actions"] == []


def test_oversized_chunked_body_is_413_through_the_error_hierarchy(
    client: TestClient, kiosk: dict[str, str], db: Database
) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        for _ in range(40):
            yield b" " * 10_000

    response = client.post(
        "/api/v1/tickets", content=chunks(), headers={**kiosk, "content-type": JSON}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert "262144" in response.json()["error"]["message"]
    with db.read() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM tickets")).scalar_one() == 0
