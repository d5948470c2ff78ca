"""The records awaiting review, as the console's privacy desk reads them (SQLite and PostgreSQL).

`GET /visitors/review-count` is the badge's number (no personal data); the
`needs_review` search names, masked, the record on file each one collides with.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.privacy.conftest import EMAIL, NAME, PHONE, registration_body
from tests.privacy.conftest import visitor_payload as payload
from tests.server.conftest import Unit, login

COUNT = "/api/v1/visitors/review-count"
SEARCH = "/api/v1/visitors/search"


def _register(client: TestClient, kiosk: dict[str, str], body: dict) -> int:
    response = client.post("/api/v1/registrations", json=body, headers=kiosk)
    assert response.status_code == 201, response.text
    return int(response.json()["visitor_id"])


def test_review_count_and_the_record_on_file_masked(
    client: TestClient, kiosk: dict[str, str], unit: Unit, staff: dict[str, str]
) -> None:
    assert client.get(COUNT, headers=staff).json() == {"count": 0}
    on_file = _register(client, kiosk, registration_body(unit))
    first = _register(client, kiosk, registration_body(unit, visitor=payload(phone="081300000001")))
    second = _register(
        client, kiosk, registration_body(unit, visitor=payload(name="Budi Santoso Wijaya"))
    )
    assert len({on_file, first, second}) == 3
    assert client.get(COUNT, headers=staff).json() == {"count": 2}

    listed = client.post(SEARCH, json={"needs_review": True}, headers=staff)
    assert listed.status_code == 200
    on_file_masked = client.get(f"/api/v1/visitors/{on_file}", headers=staff).json()["masked"]
    assert {v["id"]: (v["review_of"], v["review_of_masked"]) for v in listed.json()} == {
        first: (on_file, on_file_masked),
        second: (on_file, on_file_masked),
    }
    for value in (NAME, EMAIL, PHONE, "081300000001", "Budi Santoso Wijaya"):
        assert value not in listed.text
    # an ordinary search does not carry it
    by_name = client.post(SEARCH, json={"name": "Siti"}, headers=staff).json()
    assert by_name and all(v["review_of_masked"] is None for v in by_name)

    settled = client.post(
        f"/api/v1/visitors/{first}/reviewed", json={"reason": "pengunjung berbeda"}, headers=staff
    )
    assert settled.status_code == 200
    assert client.get(COUNT, headers=staff).json() == {"count": 1}
    url = f"/api/v1/visitors/{second}"
    assert client.delete(url, params={"reason": "duplikat"}, headers=staff).status_code == 403
    assert (
        client.delete(url, params={"reason": "duplikat"}, headers=login(client)).status_code == 204
    )
    assert client.get(COUNT, headers=staff).json() == {"count": 0}
    assert client.post(SEARCH, json={"needs_review": True}, headers=staff).json() == []


def test_review_count_needs_a_signed_in_user(client: TestClient, kiosk: dict[str, str]) -> None:
    assert client.get(COUNT).status_code == 401
    assert client.get(COUNT, headers=kiosk).status_code == 403
