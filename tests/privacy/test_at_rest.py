"""Personal data is encrypted in the database: raw rows, the SQLite file and WAL."""

from __future__ import annotations

import base64
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from server.config import Settings
from server.db.database import Database
from server.db.privacy_schema import visitors
from server.db.schema import metadata
from tests.privacy.conftest import (
    EMAIL,
    KNOWN_VALUES,
    NAME,
    NIK,
    PHONE,
    registration_body,
    visitor_payload,
)
from tests.server.conftest import Unit

PHOTO_MARKER = b"ID-PHOTO-PLAINTEXT-MARKER"
JPEG = b"\xff\xd8\xff\xe0" + PHOTO_MARKER * 10


def _variants(value: str) -> list[bytes]:
    return [value.encode(), value.lower().encode(), value.encode("utf-16-le")]


def _register_two(client: TestClient, kiosk: dict[str, str], unit: Unit) -> list[int]:
    body = registration_body(unit, id_photo_jpeg_base64=base64.b64encode(JPEG).decode())
    body["consent"]["photo_accepted"] = True
    first = client.post("/api/v1/registrations", json=body, headers=kiosk)
    other = visitor_payload(
        name="Budi Santoso",
        sex="male",
        id_number="1906011203850002",
        email="budi.santoso@example.com",
        phone="081911112222",
    )
    second = client.post(
        "/api/v1/registrations", json=registration_body(unit, visitor=other), headers=kiosk
    )
    assert first.status_code == second.status_code == 201
    return [first.json()["visitor_id"], second.json()["visitor_id"]]


def test_raw_rows_hold_no_plaintext(
    client: TestClient, kiosk: dict[str, str], unit: Unit, db: Database, settings: Settings
) -> None:
    _register_two(client, kiosk, unit)
    with db.read() as conn:
        dump = []
        for table in metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                for value in row:
                    dump.append(
                        bytes(value)
                        if isinstance(value, bytes | memoryview)
                        else str(value).encode()
                    )
        if db.is_postgres:  # the server's own text rendering of every column
            for table in ("visitors", "visits", "id_photos", "audit_log", "tickets"):
                dump += [
                    str(r).encode() for r in conn.execute(sa.text(f"SELECT t::text FROM {table} t"))
                ]
    blob = b"\n".join(dump)
    for value in (*KNOWN_VALUES, "Budi Santoso", "1906011203850002", "budi.santoso"):
        for variant in _variants(value):
            assert variant not in blob, value
    assert PHOTO_MARKER not in blob
    if db.is_sqlite:
        db_path = Path(settings.sqlalchemy_url.removeprefix("sqlite:///"))
        files = [db_path, db_path.with_name(db_path.name + "-wal")]
        raw = b"".join(p.read_bytes() for p in files if p.exists())
        assert len(raw) > 10_000
        for value in KNOWN_VALUES:
            for variant in _variants(value):
                assert variant not in raw, value
        assert PHOTO_MARKER not in raw


def test_swapped_or_tampered_ciphertexts_are_refused(
    client: TestClient, kiosk: dict[str, str], unit: Unit, db: Database, staff: dict[str, str]
) -> None:
    first, second = _register_two(client, kiosk, unit)
    with db.write() as conn:
        a = conn.execute(sa.select(visitors.c.name_ct).where(visitors.c.id == first)).scalar_one()
        b = conn.execute(sa.select(visitors.c.name_ct).where(visitors.c.id == second)).scalar_one()
        conn.execute(sa.update(visitors).where(visitors.c.id == first).values(name_ct=b))
        conn.execute(sa.update(visitors).where(visitors.c.id == second).values(name_ct=a))
    for vid in (first, second):
        response = client.post(
            f"/api/v1/visitors/{vid}/reveal", json={"field": "name", "reason": "cek"}, headers=staff
        )
        assert response.status_code == 500
        assert response.json()["error"]["code"] == "unreadable_personal_data"
        assert NAME not in response.text and "Budi" not in response.text
    # a field moved to another column of the same row is refused too
    with db.write() as conn:
        email_ct = conn.execute(
            sa.select(visitors.c.email_ct).where(visitors.c.id == second)
        ).scalar_one()
        conn.execute(sa.update(visitors).where(visitors.c.id == second).values(name_ct=email_ct))
    response = client.post(
        f"/api/v1/visitors/{second}/reveal", json={"field": "name", "reason": "cek"}, headers=staff
    )
    assert response.status_code == 500
    # a flipped byte in a stored ciphertext
    with db.write() as conn:
        ct = bytearray(
            conn.execute(sa.select(visitors.c.phone_ct).where(visitors.c.id == second)).scalar_one()
        )
        ct[-3] ^= 0xFF
        conn.execute(sa.update(visitors).where(visitors.c.id == second).values(phone_ct=bytes(ct)))
    response = client.post(
        f"/api/v1/visitors/{second}/reveal", json={"field": "phone", "reason": "cek"}, headers=staff
    )
    assert response.status_code == 500 and PHONE not in response.text and EMAIL not in response.text
    assert NIK not in response.text
