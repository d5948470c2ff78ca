"""Staff endpoints: masked by default, every reveal/export/correction/delete audited."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from fastapi.testclient import TestClient

from server.db.database import Database
from server.db.privacy_schema import audit_log, id_photos, visitors, visits
from tests.privacy.conftest import EMAIL, NAME, NIK, PHONE, registration_body
from tests.server.conftest import Unit, login


def _register(client: TestClient, kiosk: dict[str, str], unit: Unit) -> dict:
    response = client.post("/api/v1/registrations", json=registration_body(unit), headers=kiosk)
    assert response.status_code == 201, response.text
    return response.json()


def _audit(db: Database) -> list[tuple[str, str | None, int | None]]:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(audit_log.c.action, audit_log.c.fields, audit_log.c.user_id).order_by(
                audit_log.c.id
            )
        ).all()
    return [(a, f, u) for a, f, u in rows]


def test_staff_see_masked_values_and_reveals_are_audited(
    client: TestClient, kiosk: dict[str, str], unit: Unit, staff: dict[str, str], db: Database
) -> None:
    reg = _register(client, kiosk, unit)
    listing = client.get("/api/v1/visits", headers=staff)  # today in the unit's time zone
    assert listing.status_code == 200 and listing.headers["cache-control"] == "no-store"
    text = listing.text
    for value in (NIK, NAME, EMAIL, PHONE):
        assert value not in text
    visit = listing.json()[0]
    assert visit["visitor"]["masked"]["id_number"] == "1906xxxxxxxx0001"
    assert visit["ticket_number"] == reg["ticket"]["number"]
    opened = client.get(f"/api/v1/visits/{reg['visit_id']}", headers=staff)
    assert opened.status_code == 200 and NAME not in opened.text
    visitor_id = reg["visitor_id"]
    shown = client.get(f"/api/v1/visitors/{visitor_id}", headers=staff).json()
    assert shown["masked"]["email"] == "s***@example.com" and shown["visit_count"] == 1
    revealed = {}
    for field in ("name", "email", "phone", "id_number"):
        response = client.post(
            f"/api/v1/visitors/{visitor_id}/reveal",
            json={"field": field, "reason": "konfirmasi layanan rekomendasi"},
            headers=staff,
        )
        assert response.status_code == 200
        revealed[field] = response.json()["value"]
    assert revealed == {"name": NAME, "email": EMAIL, "phone": PHONE, "id_number": NIK}
    entries = _audit(db)
    reveals = [e for e in entries if e[0] == "reveal"]
    assert [r[1] for r in reveals] == ["name", "email", "phone", "id_number"]
    assert all(r[2] is not None for r in reveals)
    assert [e[0] for e in entries].count("open") == 2
    with db.read() as conn:
        reasons = (
            conn.execute(sa.select(audit_log.c.reason).where(audit_log.c.action == "reveal"))
            .scalars()
            .all()
        )
    assert set(reasons) == {"konfirmasi layanan rekomendasi"}
    log = client.get("/api/v1/audit?action=reveal", headers=login(client))
    assert log.status_code == 200 and len(log.json()) == 4
    assert client.get("/api/v1/audit", headers=staff).status_code == 403
    no_reason = client.post(
        f"/api/v1/visitors/{visitor_id}/reveal", json={"field": "name"}, headers=staff
    )
    assert no_reason.status_code == 422


def test_devices_and_the_public_get_no_personal_data(
    client: TestClient, kiosk: dict[str, str], unit: Unit
) -> None:
    reg = _register(client, kiosk, unit)
    vid, visit = reg["visitor_id"], reg["visit_id"]
    board = {"Authorization": f"Bearer {unit.board_token}"}
    calls = [
        ("GET", f"/api/v1/visits?date={date.today()}", None),
        ("GET", f"/api/v1/visits/{visit}", None),
        ("POST", f"/api/v1/visits/{visit}/photo", {"reason": "lihat foto"}),
        ("POST", "/api/v1/visitors/search", {"name": "Siti"}),
        ("GET", f"/api/v1/visitors/{vid}", None),
        ("POST", f"/api/v1/visitors/{vid}/reveal", {"field": "name", "reason": "ingin tahu"}),
        ("GET", f"/api/v1/visitors/{vid}/export", None),
        ("PATCH", f"/api/v1/visitors/{vid}", {"name": "X Y", "reason": "ubah data"}),
        ("DELETE", f"/api/v1/visitors/{vid}", None),
        ("GET", "/api/v1/audit", None),
    ]
    for method, url, body in calls:
        assert client.request(method, url, json=body).status_code == 401, url
        for headers in (kiosk, board):
            response = client.request(method, url, json=body, headers=headers)
            assert response.status_code == 403, (url, response.status_code)
    ticket = client.get(f"/api/v1/tickets/{reg['ticket']['id']}", headers=kiosk).text
    track = client.get(f"/api/v1/track/{reg['ticket']['tracking_token']}").text
    queue = client.get("/api/v1/queue", headers=board).text
    for text in (ticket, track, queue):
        for value in (NIK, NAME, EMAIL, PHONE, "Siti", "Universitas"):
            assert value not in text


def test_search_export_correct_delete(
    client: TestClient, kiosk: dict[str, str], unit: Unit, staff: dict[str, str], db: Database
) -> None:
    reg = _register(client, kiosk, unit)
    vid = reg["visitor_id"]
    for query in ({"nik": NIK}, {"email": EMAIL}, {"name": "aminah"}):
        found = client.post("/api/v1/visitors/search", json=query, headers=staff)
        assert found.status_code == 200 and [v["id"] for v in found.json()] == [vid], query
        assert NAME not in found.text
    assert client.post("/api/v1/visitors/search", json={"name": "budi"}, headers=staff).json() == []
    exported = client.get(f"/api/v1/visitors/{vid}/export?reason=permintaan+salinan", headers=staff)
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    data = exported.json()
    assert data["identity"] == {
        "name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "id_number": NIK,
        "id_type": "ktp",
    }
    assert data["visits"][0]["ticket_number"] == reg["ticket"]["number"]

    bad = client.patch(
        f"/api/v1/visitors/{vid}", json={"email": "broken", "reason": "koreksi"}, headers=staff
    )
    assert bad.status_code == 422 and bad.json()["error"]["fields"] == {"email": "email_format"}
    new_nik = "1906011203850002"
    fixed = client.patch(
        f"/api/v1/visitors/{vid}",
        json={
            "name": "Siti Aminah",
            "id_number": new_nik,
            "phone": None,
            "reason": "permintaan koreksi pengunjung",
        },
        headers=staff,
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["masked"]["name"] == "Siti A." and fixed.json()["masked"]["phone"] is None
    assert (
        client.post("/api/v1/visitors/lookup", json={"nik": new_nik}, headers=kiosk).json()[
            "visitor_id"
        ]
        == vid
    )
    assert (
        client.post("/api/v1/visitors/lookup", json={"nik": NIK}, headers=kiosk).status_code == 404
    )

    erase = f"/api/v1/visitors/{vid}?reason=permintaan+penghapusan"
    assert client.delete(erase, headers=staff).status_code == 403  # erasure is a supervisor's
    gone = client.delete(erase, headers=login(client))
    assert gone.status_code == 204
    assert client.get(f"/api/v1/visitors/{vid}", headers=staff).status_code == 404
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(visitors)).scalar_one() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(id_photos)).scalar_one() == 0
        visit = conn.execute(sa.select(visits)).mappings().one()
    assert visit["visitor_id"] is None and visit["anonymised_at"] is not None
    assert visit["service_id"] == unit.service_ids[0] and visit["education"] == "s2"
    actions = [a for a, _, _ in _audit(db)]
    for action in ("search", "export", "correct", "delete"):
        assert action in actions, action
    corrected = next(f for a, f, _ in _audit(db) if a == "correct")
    assert corrected == "id_number,name,phone"
