"""Guestbook integrity (issue 10) through the HTTP API, on SQLite and PostgreSQL.

A kiosk cannot rewrite a known visitor; every reveal, photo, export, correction
and erasure needs a reason; the returning-visitor look-up is bounded and alerts
staff.
"""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from fastapi.testclient import TestClient

from server.db.database import Database
from server.db.privacy_schema import audit_log
from server.db.schema import events
from tests.privacy.conftest import EMAIL, NAME, NIK, PHONE, nik_for, registration_body
from tests.privacy.conftest import visitor_payload as payload
from tests.server.conftest import Unit, login

JPEG = b"\xff\xd8\xff\xe0" + b"fake-jpeg-body" * 20


def _register(client: TestClient, kiosk: dict[str, str], body: dict) -> dict:
    response = client.post("/api/v1/registrations", json=body, headers=kiosk)
    assert response.status_code == 201, response.text
    return response.json()


def _reveal(client: TestClient, staff: dict[str, str], vid: int) -> dict[str, str | None]:
    out = {}
    for field in ("name", "email", "phone", "id_number"):
        response = client.post(
            f"/api/v1/visitors/{vid}/reveal",
            json={"field": field, "reason": "pemeriksaan integritas"},
            headers=staff,
        )
        assert response.status_code == 200, response.text
        out[field] = response.json()["value"]
    return out


def _audit_rows(db: Database, action: str) -> list[sa.Row]:
    with db.read() as conn:
        return list(
            conn.execute(
                sa.select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.id)
            )
        )


ORIGINAL = {"name": NAME, "email": EMAIL, "phone": PHONE, "id_number": NIK}


def test_unconfirmed_registration_cannot_rewrite_a_known_visitor(
    client: TestClient, kiosk: dict[str, str], unit: Unit, staff: dict[str, str], db: Database
) -> None:
    first = _register(client, kiosk, registration_body(unit))
    intruder = payload(name="Budi Penyusup", email="budi@evil.example", phone="081300000001")
    second = _register(client, kiosk, registration_body(unit, visitor=intruder))

    assert second["visitor_id"] != first["visitor_id"]
    assert _reveal(client, staff, first["visitor_id"]) == ORIGINAL  # nothing on file changed
    flagged = client.get(f"/api/v1/visitors/{second['visitor_id']}", headers=staff).json()
    assert flagged["needs_review"] is True and flagged["review_of"] == first["visitor_id"]
    kept = client.get(f"/api/v1/visitors/{first['visitor_id']}", headers=staff).json()
    assert kept["needs_review"] is False
    # the record on file still answers the look-up, not the one awaiting review
    found = client.post("/api/v1/visitors/lookup", json={"nik": NIK}, headers=kiosk).json()
    assert found["visitor_id"] == first["visitor_id"]

    # the same person typing the same values again simply gets a new visit
    third = _register(client, kiosk, registration_body(unit))
    assert third["visitor_id"] == first["visitor_id"]
    # staff find the records awaiting review and settle them (with a reason)
    listed = client.post("/api/v1/visitors/search", json={"needs_review": True}, headers=staff)
    assert [v["id"] for v in listed.json()] == [second["visitor_id"]]
    for value in ("Penyusup", "budi@evil.example", "081300000001"):
        assert value not in listed.text  # masked, like every search result
    url = f"/api/v1/visitors/{second['visitor_id']}/reviewed"
    assert client.post(url, json={}, headers=staff).status_code == 422
    settled = client.post(url, json={"reason": "pengunjung berbeda"}, headers=staff)
    assert settled.status_code == 200 and settled.json()["needs_review"] is False
    assert (
        client.post("/api/v1/visitors/search", json={"needs_review": True}, headers=staff).json()
        == []
    )
    assert _audit_rows(db, "review")[0].reason == "pengunjung berbeda"
    registers = _audit_rows(db, "register")
    assert [r.visitor_id for r in registers] == [
        first["visitor_id"],
        second["visitor_id"],
        first["visitor_id"],
    ]
    assert registers[1].detail == {"returning": False, "review_of": first["visitor_id"]}
    assert registers[2].fields is None


def test_confirmed_returning_visitor_updates_contact_fields_audited(
    client: TestClient, kiosk: dict[str, str], unit: Unit, staff: dict[str, str], db: Database
) -> None:
    first = _register(client, kiosk, registration_body(unit))
    found = client.post("/api/v1/visitors/lookup", json={"nik": NIK}, headers=kiosk).json()
    moved = payload(email="siti.baru@example.com", phone="081399998888", education="s3")
    again = _register(
        client,
        kiosk,
        registration_body(unit, visitor=moved, returning_visitor_id=found["visitor_id"]),
    )
    assert again["visitor_id"] == first["visitor_id"]
    assert _reveal(client, staff, first["visitor_id"]) == {
        **ORIGINAL,
        "email": "siti.baru@example.com",
        "phone": "081399998888",
    }
    last = _audit_rows(db, "register")[-1]
    assert last.fields == "education,email,phone"  # the names of what changed
    assert last.detail == {"returning": True, "review_of": None}
    audit = client.get("/api/v1/audit", headers=login(client)).text
    for value in ("siti.baru@example.com", "081399998888", EMAIL, PHONE):
        assert value not in audit  # names of fields, never values


def test_every_access_needs_a_reason(
    client: TestClient, kiosk: dict[str, str], unit: Unit, staff: dict[str, str], db: Database
) -> None:
    body = registration_body(unit, id_photo_jpeg_base64=base64.b64encode(JPEG).decode())
    body["consent"]["photo_accepted"] = True
    reg = _register(client, kiosk, body)
    vid, visit = reg["visitor_id"], reg["visit_id"]
    boss = login(client)
    attempts = []
    for reason in (None, "", "   ", " a "):
        with_reason = {} if reason is None else {"reason": reason}
        query = "" if reason is None else f"?reason={reason}"
        attempts += [
            client.post(
                f"/api/v1/visitors/{vid}/reveal",
                json={"field": "name", **with_reason},
                headers=staff,
            ),
            client.post(f"/api/v1/visits/{visit}/photo", json=with_reason, headers=staff),
            client.get(f"/api/v1/visitors/{vid}/export{query}", headers=staff),
            client.patch(
                f"/api/v1/visitors/{vid}", json={"phone": None, **with_reason}, headers=staff
            ),
            client.delete(f"/api/v1/visitors/{vid}{query}", headers=boss),
        ]
    for response in attempts:
        assert response.status_code == 422, (response.request.url, response.text)
        error = response.json()["error"]
        assert error["code"] == "reason_required" and "reason is required" in error["message"]
        assert error["fields"] == {"reason": "required"}
    # nothing was shown, changed or erased
    for action in ("reveal", "photo", "export", "correct", "delete"):
        assert _audit_rows(db, action) == [], action
    assert _reveal(client, staff, vid)["phone"] == PHONE
    gone = client.delete(f"/api/v1/visitors/{vid}?reason=permintaan+penghapusan", headers=boss)
    assert gone.status_code == 204
    assert _audit_rows(db, "delete")[0].reason == "permintaan penghapusan"


def test_lookup_is_bounded_per_device_and_identifier_and_alerts_staff(
    client: TestClient, kiosk: dict[str, str], unit: Unit, staff: dict[str, str], db: Database
) -> None:
    _register(client, kiosk, registration_body(unit))
    # the least a visitor needs to recognise themselves
    first = client.post("/api/v1/visitors/lookup", json={"nik": NIK}, headers=staff)
    assert first.status_code == 200
    assert first.json()["masked"] == {"name": "Siti A. R."}
    assert "institution" not in first.json()["prefill"]
    for value in (EMAIL, PHONE, "example.com", "877", "Universitas"):
        assert value not in first.text
    for _ in range(4):
        assert (
            client.post("/api/v1/visitors/lookup", json={"nik": NIK}, headers=staff).status_code
            == 200
        )
    sixth = client.post("/api/v1/visitors/lookup", json={"nik": NIK}, headers=staff)
    assert sixth.status_code == 429
    assert sixth.json()["error"]["limited_by"] == "identifier"
    assert 1 <= int(sixth.headers["Retry-After"]) <= 600

    def look(serial: int) -> tuple[int, str | None, dict]:
        r = client.post("/api/v1/visitors/lookup", json={"nik": nik_for(serial)}, headers=kiosk)
        return r.status_code, r.headers.get("Retry-After"), r.json()

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(look, range(100, 300)))  # a burst of 200 look-ups
    answered = [r for r in results if r[0] != 429]
    refused = [r for r in results if r[0] == 429]
    assert len(answered) == 20 and {r[0] for r in answered} == {404}
    assert len(refused) == 180
    for _, retry_after, data in refused:
        assert retry_after is not None and 1 <= int(retry_after) <= 600
        error = data["error"]
        assert error["code"] == "lookup_limited" and error["limited_by"] == "device"
        assert error["retry_after_seconds"] == int(retry_after)
        assert f"try again in {retry_after} seconds" in error["message"]
    # the desk is not blocked by the kiosk's budget
    other = client.post("/api/v1/visitors/lookup", json={"nik": nik_for(999)}, headers=staff)
    assert other.status_code == 404
    with db.read() as conn:
        alerts = list(
            conn.execute(sa.select(events.c.payload).where(events.c.type == "device.alert"))
        )
    assert len(alerts) == 1  # once per window, not once per refused look-up
    payload_ = alerts[0].payload
    assert payload_["lookup"] == {"limit": 20, "window_seconds": 600.0}
    assert payload_["device"]["kind"] == "kiosk" and payload_["device"]["name"]
    assert NIK not in str(payload_) and nik_for(100) not in str(payload_)


def test_an_unreadable_record_on_file_never_blocks_the_kiosk(
    client: TestClient, kiosk: dict[str, str], unit: Unit, staff: dict[str, str], db: Database
) -> None:
    from server.db.privacy_schema import visitors

    first = _register(client, kiosk, registration_body(unit))
    with db.write() as conn:  # a damaged ciphertext (tampering, a lost key)
        conn.execute(
            sa.update(visitors)
            .where(visitors.c.id == first["visitor_id"])
            .values(name_ct=b"\x01\x02broken-ciphertext-bytes-of-some-length-000000000")
        )
    second = client.post("/api/v1/registrations", json=registration_body(unit), headers=kiosk)
    assert second.status_code == 201, second.text
    assert second.json()["visitor_id"] != first["visitor_id"]
    flagged = client.get(f"/api/v1/visitors/{second.json()['visitor_id']}", headers=staff).json()
    assert flagged["needs_review"] is True and flagged["review_of"] == first["visitor_id"]
