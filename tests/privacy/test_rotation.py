"""Key rotation while visitors keep registering: nothing lost, all on the new key."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import sqlalchemy as sa

from server.db.database import Database
from server.db.privacy_schema import id_photos, visitors
from server.privacy.crypto import context
from server.privacy.keys import KeyFile, key_file_for
from server.privacy.rotation import rotate
from server.privacy.visitors import decrypt_identity, find_by_hash
from tests.privacy.conftest import direct_registration, nik_for
from tests.server.conftest import Unit

JPEG = b"\xff\xd8\xff\xe0rotating photo"


def test_rotation_mid_traffic_loses_nothing(db: Database, unit: Unit, tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    server_keys = key_file_for(path)  # what a running server holds
    old_ring = server_keys.ring()
    for serial in range(1, 61):
        direct_registration(
            db, old_ring, unit, serial=serial, photo=JPEG if serial % 3 == 0 else None
        )

    stop = threading.Event()
    registered: list[int] = []
    errors: list[BaseException] = []

    def traffic() -> None:
        serial = 1000
        try:
            while not stop.is_set() or len(registered) < 5:
                serial += 1
                direct_registration(
                    db, server_keys.ring(), unit, serial=serial, photo=JPEG if serial % 2 else None
                )
                registered.append(serial)
                time.sleep(0.005)  # a busy kiosk, not a benchmark
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    worker = threading.Thread(target=traffic)
    worker.start()
    try:
        result = rotate(db, path, batch=16, grace_seconds=0.2)
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not errors, errors
    assert registered, "no registration ran during the rotation"

    new_ring = KeyFile(path, create=False).ring()
    assert new_ring.active_id == result.new_key_id != old_ring.active_id
    assert new_ring.lookup_key == old_ring.lookup_key
    # rows written after rotate returned are on the new key as well
    direct_registration(db, server_keys.ring(), unit, serial=9999, photo=JPEG)
    total = 60 + len(registered) + 1
    with db.read() as conn:
        rows = list(conn.execute(sa.select(visitors)).mappings())
        photos = list(conn.execute(sa.select(id_photos)).mappings())
        assert len(rows) == total
        assert {r["key_id"] for r in rows} == {result.new_key_id}
        assert {p["key_id"] for p in photos} == {result.new_key_id}
        only_new = type(new_ring)(
            {result.new_key_id: new_ring.keys[result.new_key_id]},
            result.new_key_id,
            new_ring.lookup_key,
        )
        for row in rows:
            assert decrypt_identity(only_new, row)["name"].startswith("Pengunjung Nomor")
        for p in photos:
            aad = context("id_photos", "photo", p["id"])
            assert only_new.decrypt(bytes(p["photo_ct"]), aad=aad) == JPEG
        found = find_by_hash(conn, unit_id=unit.id, id_hash=only_new.lookup_hash("nik", nik_for(7)))
        assert found is not None
    assert new_ring.retired == frozenset(result.old_key_ids)
