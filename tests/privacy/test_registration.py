"""POST /registrations, GET /guestbook/form and POST /visitors/lookup."""

from __future__ import annotations

import base64

import sqlalchemy as sa
from fastapi.testclient import TestClient

from server.db.database import Database
from server.db.privacy_schema import id_photos, visitors, visits
from server.db.schema import tickets
from tests.privacy.conftest import EMAIL, NIK, registration_body, visitor_payload
from tests.server.conftest import Unit

JPEG = b"\xff\xd8\xff\xe0" + b"fake-jpeg-body" * 20


def test_form_is_data_driven_and_bilingual(client: TestClient, kiosk: dict[str, str]) -> None:
    form_id = client.get("/api/v1/guestbook/form?lang=id", headers=kiosk).json()
    form_en = client.get("/api/v1/guestbook/form?lang=en", headers=kiosk).json()
    assert form_id["notice"]["version"] == "2026-11"
    assert "UU No. 27 Tahun 2022" in form_id["notice"]["text"]
    assert "730 hari" not in form_en["notice"]["text"] and "730" in form_en["notice"]["text"]
    names = [f["name"] for f in form_id["fields"]]
    assert names[:2] == ["name", "sex"] and "purpose" in names
    education = next(f for f in form_id["fields"] if f["name"] == "education")
    assert [c["value"] for c in education["choices"]] == [
        "up_to_slta",
        "d1_d3",
        "d4_s1",
        "s2",
        "s3",
    ]
    personal = {f["name"] for f in form_id["fields"] if f["personal"]}
    assert personal == {"name", "email", "phone"}
    assert [c["value"] for c in form_id["id_types"]] == ["ktp", "sim", "passport", "other"]
    assert {c["value"] for c in form_id["priority_reasons"]} >= {"elderly", "pregnant"}
    for field in form_en["fields"]:
        assert not field["label"].startswith("privacy.")
        for choice in field["choices"] or []:
            assert not choice["label"].startswith("privacy."), choice


def test_form_needs_an_identity(client: TestClient) -> None:
    assert client.get("/api/v1/guestbook/form").status_code == 401


def test_register_creates_visitor_visit_and_ticket_once(
    client: TestClient, kiosk: dict[str, str], unit: Unit, db: Database
) -> None:
    body = registration_body(unit)
    first = client.post("/api/v1/registrations", json=body, headers=kiosk)
    assert first.status_code == 201, first.text
    data = first.json()
    assert data["ticket"]["visit_id"] == data["visit_id"]
    assert data["ticket"]["number"].endswith("001")
    again = client.post("/api/v1/registrations", json=body, headers=kiosk)
    assert again.status_code == 200
    assert again.json()["ticket"]["id"] == data["ticket"]["id"]
    assert again.json()["visit_id"] == data["visit_id"]
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(visits)).scalar_one() == 1
        assert conn.execute(sa.select(sa.func.count()).select_from(tickets)).scalar_one() == 1
        row = conn.execute(sa.select(visits)).mappings().one()
        assert row["ticket_id"] == data["ticket"]["id"]
        assert row["notice_version"] == "2026-11" and row["purpose"] == "penelitian"


def test_returning_visitor_is_reused_by_nik(
    client: TestClient, kiosk: dict[str, str], unit: Unit, db: Database
) -> None:
    first = client.post("/api/v1/registrations", json=registration_body(unit), headers=kiosk)
    found = client.post("/api/v1/visitors/lookup", json={"nik": NIK}, headers=kiosk)
    assert found.status_code == 200
    match = found.json()
    assert match["visitor_id"] == first.json()["visitor_id"]
    # the least a visitor needs to recognise themselves (issue 10): the masked name
    assert match["masked"] == {"name": "Siti A. R."}
    assert match["prefill"]["education"] == "s2"
    by_mail = client.post("/api/v1/visitors/lookup", json={"email": EMAIL.upper()}, headers=kiosk)
    assert by_mail.json()["visitor_id"] == match["visitor_id"]
    second = client.post(
        "/api/v1/registrations",
        json=registration_body(unit, returning_visitor_id=match["visitor_id"]),
        headers=kiosk,
    )
    assert second.status_code == 201
    assert second.json()["visitor_id"] == match["visitor_id"]
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(visitors)).scalar_one() == 1
        assert conn.execute(sa.select(sa.func.count()).select_from(visits)).scalar_one() == 2


def test_returning_id_of_a_stranger_is_ignored(
    client: TestClient, kiosk: dict[str, str], unit: Unit
) -> None:
    first = client.post("/api/v1/registrations", json=registration_body(unit), headers=kiosk)
    other = visitor_payload(
        name="Budi Santoso", sex="male", id_number="1906011203850002", email="budi@example.com"
    )
    second = client.post(
        "/api/v1/registrations",
        json=registration_body(
            unit, visitor=other, returning_visitor_id=first.json()["visitor_id"]
        ),
        headers=kiosk,
    )
    assert second.status_code == 201
    assert second.json()["visitor_id"] != first.json()["visitor_id"]


def test_lookup_unknown_is_404(client: TestClient, kiosk: dict[str, str]) -> None:
    response = client.post("/api/v1/visitors/lookup", json={"nik": NIK}, headers=kiosk)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "visitor_not_found"


def test_no_consent_stores_nothing(
    client: TestClient, kiosk: dict[str, str], unit: Unit, db: Database
) -> None:
    body = registration_body(unit)
    body["consent"]["accepted"] = False
    response = client.post("/api/v1/registrations", json=body, headers=kiosk)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "consent_required"
    with db.read() as conn:
        for table in (visitors, visits, tickets):
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0


def test_invalid_fields_are_named_with_codes(
    client: TestClient, kiosk: dict[str, str], unit: Unit, db: Database
) -> None:
    bad = visitor_payload(
        id_number="1906019913900001",
        email="not-an-email",
        phone="08-12ab",
        education="phd",
        name="",
    )
    response = client.post(
        "/api/v1/registrations", json=registration_body(unit, visitor=bad), headers=kiosk
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_field"
    assert error["fields"] == {
        "id_number": "nik_bad_date",
        "email": "email_format",
        "phone": "phone_format",
        "education": "choice_invalid",
        "name": "required",
    }
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(visitors)).scalar_one() == 0


def test_outdated_notice_and_unconsented_photo_are_refused(
    client: TestClient, kiosk: dict[str, str], unit: Unit
) -> None:
    body = registration_body(unit, id_photo_jpeg_base64=base64.b64encode(JPEG).decode())
    body["consent"]["notice_version"] = "2020-01"
    response = client.post("/api/v1/registrations", json=body, headers=kiosk)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "consent": "notice_outdated",
        "id_photo": "photo_consent_required",
    }


def test_photo_is_stored_encrypted_with_consent(
    client: TestClient, kiosk: dict[str, str], unit: Unit, db: Database, staff: dict[str, str]
) -> None:
    body = registration_body(unit, id_photo_jpeg_base64=base64.b64encode(JPEG).decode())
    body["consent"]["photo_accepted"] = True
    response = client.post("/api/v1/registrations", json=body, headers=kiosk)
    assert response.status_code == 201, response.text
    with db.read() as conn:
        blob = conn.execute(sa.select(id_photos.c.photo_ct)).scalar_one()
    assert b"fake-jpeg-body" not in bytes(blob)
    visit_id = response.json()["visit_id"]
    photo = client.post(
        f"/api/v1/visits/{visit_id}/photo", json={"reason": "verifikasi"}, headers=staff
    )
    assert photo.status_code == 200 and photo.content == JPEG


def test_refused_ticket_leaves_nothing_behind(
    client: TestClient, kiosk: dict[str, str], unit: Unit, db: Database
) -> None:
    response = client.post(
        "/api/v1/registrations", json=registration_body(unit, service_id=9999), headers=kiosk
    )
    assert response.status_code == 404
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(visitors)).scalar_one() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(visits)).scalar_one() == 0


def test_board_cannot_register_or_look_up(client: TestClient, unit: Unit) -> None:
    board = {"Authorization": f"Bearer {unit.board_token}"}
    assert (
        client.post(
            "/api/v1/registrations", json=registration_body(unit), headers=board
        ).status_code
        == 403
    )
    assert (
        client.post("/api/v1/visitors/lookup", json={"nik": NIK}, headers=board).status_code == 403
    )
    assert client.post("/api/v1/registrations", json=registration_body(unit)).status_code == 401
