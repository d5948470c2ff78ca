"""The admin API on both backends: every change validated, audited, announced."""

from __future__ import annotations

import base64

import sqlalchemy as sa
from fastapi.testclient import TestClient

from server.db.database import Database
from server.db.privacy_schema import audit_log
from server.db.schema import events
from tests.server.conftest import Unit, login


def _audit_actions(db: Database) -> list[str]:
    with db.read() as conn:
        return list(conn.execute(sa.select(audit_log.c.action).order_by(audit_log.c.id)).scalars())


def _event_types(db: Database) -> list[str]:
    with db.read() as conn:
        return list(conn.execute(sa.select(events.c.type).order_by(events.c.id)).scalars())


def test_office_update_is_validated_audited_and_announced(
    client: TestClient, db: Database, staff: dict[str, str]
) -> None:
    admin = login(client)
    body = {
        "name": "BPS Kota Bandung",
        "address": "Jl. Sumatera No. 15, Bandung",
        "phone": "022-4241688",
        "email": "bps3273@bps.go.id",
        "whatsapp": "+62 812 0000 3273",
        "timezone": "WIB",
        "complaint_channels": ["lapor.go.id", "  ", "bps3273@bps.go.id"],
        "running_text": "Selamat datang di PST BPS Kota Bandung",
        "skd_url": "https://skd.bps.go.id/3273",
        "opening_hours": {"mon": "08:00-15:30", "fri": "08:00-16:00", "sat": ""},
    }
    r = client.put("/api/v1/admin/office", json=body, headers=admin)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["name"] == "BPS Kota Bandung"
    assert out["timezone"] == "Asia/Jakarta"
    assert out["complaint_channels"] == ["lapor.go.id", "bps3273@bps.go.id"]
    assert out["opening_hours"] == {"mon": "08:00-15:30", "fri": "08:00-16:00"}
    unit = client.get("/api/v1/unit", headers=staff).json()
    assert unit["name"] == "BPS Kota Bandung"
    assert unit["complaint_channels"] == ["lapor.go.id", "bps3273@bps.go.id"]
    assert unit["whatsapp"] == "+62 812 0000 3273" and unit["skd_url"].endswith("/3273")
    assert unit["opening_hours"] == {"mon": "08:00-15:30", "fri": "08:00-16:00"}
    assert "admin.office.update" in _audit_actions(db)
    assert _event_types(db)[-1] == "unit.updated"

    before = client.get("/api/v1/admin/office", headers=admin).json()
    for bad, code in (
        ({"email": "not-an-email"}, "bad_email"),
        ({"timezone": "Europe/Paris"}, "bad_timezone"),
        ({"opening_hours": {"mon": "16:00-08:00"}}, "bad_hours"),
        ({"name": "   "}, "required"),
        ({"skd_url": "javascript:alert(1)"}, "bad_url"),
        ({"logo": "data:text/html;base64,AAAA"}, "bad_logo"),
        ({"logo": "data:image/png;base64," + base64.b64encode(b"<svg/>").decode()}, "bad_logo"),
        ({"logo": "data:image/png;base64,!!!"}, "bad_logo"),
        (
            {
                "logo": "data:image/jpeg;base64,"
                + base64.b64encode(b"\xff\xd8\xff" * 55_000).decode()
            },
            "logo_too_large",
        ),
    ):
        r = client.put("/api/v1/admin/office", json=bad, headers=admin)
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["error"]["code"] == code
    assert client.get("/api/v1/admin/office", headers=admin).json() == before

    assert client.get("/api/v1/admin/office/logo", headers=staff).status_code == 404
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    logo = "data:image/png;base64," + base64.b64encode(png).decode()
    assert client.put("/api/v1/admin/office", json={"logo": logo}, headers=admin).status_code == 200
    r = client.get("/api/v1/admin/office/logo", headers=staff)
    assert r.headers["content-type"] == "image/png" and r.content == png

    r = client.put("/api/v1/admin/office", json={"name": "X"}, headers=staff)
    assert r.status_code == 403
    assert client.get("/api/v1/admin/office", headers=staff).status_code == 403


def test_services_create_edit_and_conflicts(
    client: TestClient, db: Database, unit: Unit, staff: dict[str, str]
) -> None:
    admin = login(client)
    new = {
        "code": "pengaduan", "prefix": "A", "name_id": "Pengaduan", "name_en": "Complaints",
        "case_kind": "complaint",
    }  # fmt: skip
    r = client.post("/api/v1/admin/services", json=new, headers=admin)
    assert r.status_code == 201, r.text
    service = r.json()
    assert service["case_kind"] == "complaint" and service["sort_order"] == 4
    kiosk_list = client.get("/api/v1/services", headers=staff).json()
    assert any(s["code"] == "pengaduan" for s in kiosk_list)
    assert _event_types(db)[-1] == "services.updated"

    dup = client.post("/api/v1/admin/services", json={**new, "code": "lain"}, headers=admin)
    assert dup.status_code == 409 and dup.json()["error"]["code"] == "service_prefix_taken"
    bad = client.post("/api/v1/admin/services", json={**new, "prefix": "a1"}, headers=admin)
    assert bad.status_code == 422

    r = client.patch(
        f"/api/v1/admin/services/{service['id']}",
        json={"name_en": "Complaints desk", "active": False},
        headers=admin,
    )
    assert r.status_code == 200 and r.json()["active"] is False
    r = client.patch(
        f"/api/v1/admin/services/{unit.service_ids[0]}", json={"prefix": "A"}, headers=admin
    )
    assert r.status_code == 409
    assert (
        client.patch(
            "/api/v1/admin/services/999999", json={"active": True}, headers=admin
        ).status_code
        == 404
    )
    assert client.post("/api/v1/admin/services", json=new, headers=staff).status_code == 403
    assert _audit_actions(db).count("admin.service.update") == 1


def test_counters_create_edit_and_supervisor_limits(
    client: TestClient, db: Database, unit: Unit
) -> None:
    admin = login(client)
    r = client.post(
        "/api/v1/admin/counters",
        json={"number": 3, "name": "Loket 3", "service_ids": unit.service_ids[:2]},
        headers=admin,
    )
    assert r.status_code == 201, r.text
    counter = r.json()
    assert counter["service_ids"] == sorted(unit.service_ids[:2])
    assert _event_types(db)[-1] == "counter.updated"
    taken = client.post("/api/v1/admin/counters", json={"number": 3, "name": "Lagi"}, headers=admin)
    assert taken.status_code == 409
    r = client.patch(
        f"/api/v1/admin/counters/{counter['id']}",
        json={"name": "Loket Prioritas", "paused": True, "service_ids": [unit.service_ids[3]]},
        headers=admin,
    )
    assert r.json() == {**counter, "name": "Loket Prioritas", "paused": True,
                        "service_ids": [unit.service_ids[3]]}  # fmt: skip

    client.post(
        "/api/v1/admin/staff",
        json={"username": "sari", "role": "supervisor", "password": "temporary-pass-1"},
        headers=admin,
    )
    client.post(
        "/api/v1/auth/password",
        json={"username": "sari", "current_password": "temporary-pass-1",
              "new_password": "sari-own-password-1"},
    )  # fmt: skip
    supervisor = login(client, "sari", "sari-own-password-1")
    r = client.patch(
        f"/api/v1/admin/counters/{counter['id']}", json={"paused": False}, headers=supervisor
    )
    assert r.status_code == 200 and r.json()["paused"] is False
    r = client.patch(
        f"/api/v1/admin/counters/{counter['id']}", json={"name": "Nope"}, headers=supervisor
    )
    assert r.status_code == 403


def test_staff_reset_forces_new_password_and_signs_out(client: TestClient, db: Database) -> None:
    admin = login(client)
    r = client.post(
        "/api/v1/admin/staff",
        json={
            "username": "budi",
            "full_name": "Budi",
            "role": "staff",
            "password": "temp-pass-123",
        },
        headers=admin,
    )
    assert r.status_code == 201 and r.json()["must_change_password"] is True
    budi_id = r.json()["id"]
    r = client.post("/api/v1/auth/login", json={"username": "budi", "password": "temp-pass-123"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "password_change_required"
    r = client.post(
        "/api/v1/auth/password",
        json={"username": "budi", "current_password": "temp-pass-123",
              "new_password": "budi-chosen-pass-1"},
    )  # fmt: skip
    assert r.status_code == 204
    budi = login(client, "budi", "budi-chosen-pass-1")
    assert client.get("/api/v1/auth/me", headers=budi).status_code == 200

    r = client.post(
        f"/api/v1/admin/staff/{budi_id}/reset-password",
        json={"temporary_password": "another-temp-99"},
        headers=admin,
    )
    assert r.status_code == 200 and r.json()["must_change_password"] is True
    assert client.get("/api/v1/auth/me", headers=budi).status_code == 401  # signed out everywhere
    r = client.post("/api/v1/auth/login", json={"username": "budi", "password": "another-temp-99"})
    assert r.json()["error"]["code"] == "password_change_required"

    weak = client.post(
        f"/api/v1/admin/staff/{budi_id}/reset-password",
        json={"temporary_password": "short"},
        headers=admin,
    )
    assert weak.status_code == 422 and weak.json()["error"]["code"] == "weak_password"
    taken = client.post(
        "/api/v1/admin/staff",
        json={"username": "budi", "password": "whatever-pass-1"},
        headers=admin,
    )
    assert taken.status_code == 409

    r = client.patch(f"/api/v1/admin/staff/{budi_id}", json={"role": "supervisor"}, headers=admin)
    assert r.json()["role"] == "supervisor"
    r = client.patch(f"/api/v1/admin/staff/{budi_id}", json={"active": False}, headers=admin)
    assert r.json()["active"] is False
    me = client.get("/api/v1/auth/me", headers=admin).json()
    last = client.patch(f"/api/v1/admin/staff/{me['id']}", json={"role": "staff"}, headers=admin)
    assert last.status_code == 409 and last.json()["error"]["code"] == "last_admin"
    actions = _audit_actions(db)
    for action in ("admin.staff.create", "admin.staff.reset_password", "admin.staff.update",
                   "staff.password_changed"):  # fmt: skip
        assert action in actions


def test_sign_out_everywhere_ends_every_session(client: TestClient) -> None:
    admin = login(client)
    first, second = (
        login(client, "siti", "staff-password-1"),
        login(client, "siti", "staff-password-1"),
    )
    staff = [
        s
        for s in client.get("/api/v1/admin/staff", headers=admin).json()
        if s["username"] == "siti"
    ]
    r = client.post(f"/api/v1/admin/staff/{staff[0]['id']}/sign-out", headers=admin)
    assert r.status_code == 200
    assert client.get("/api/v1/auth/me", headers=first).status_code == 401
    assert client.get("/api/v1/auth/me", headers=second).status_code == 401


def test_device_token_shown_once_with_qr_and_revoked(client: TestClient, db: Database) -> None:
    admin = login(client)
    r = client.post(
        "/api/v1/admin/devices", json={"kind": "board", "name": "TV lobi"}, headers=admin
    )
    assert r.status_code == 201, r.text
    device = r.json()
    assert device["token"].startswith("dev_")
    assert device["pair_url"].endswith(f"/board?token={device['token']}")
    assert device["qr_svg"].lstrip().startswith("<?xml") and "<path" in device["qr_svg"]
    listed = client.get("/api/v1/admin/devices", headers=admin).json()
    assert all("token" not in d for d in listed)
    board = {"Authorization": f"Bearer {device['token']}"}
    assert client.get("/api/v1/queue", headers=board).status_code == 200
    r = client.post(f"/api/v1/admin/devices/{device['id']}/revoke", headers=admin)
    assert r.status_code == 200 and r.json()["active"] is False
    assert client.get("/api/v1/queue", headers=board).status_code == 401
    bad = client.post("/api/v1/admin/devices", json={"kind": "toaster", "name": "x"}, headers=admin)
    assert bad.status_code == 422
    assert "admin.device.revoke" in _audit_actions(db)
