"""Erasure is final: no byte of an erased visitor is left in the database files.

The planted values' ciphertexts, look-up hashes and plaintexts are searched for
after ``DELETE /visitors/{id}`` in the SQLite file, its WAL and a backup taken
afterwards; on PostgreSQL in every file of the test schema's tables, TOAST
tables and indexes, and in a ``pg_dump`` taken afterwards.
"""

from __future__ import annotations

import base64
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from server.db.database import Database
from server.db.privacy_schema import id_photos, visitors
from tests.privacy.conftest import KNOWN_VALUES, registration_body
from tests.server.conftest import Unit, login

JPEG = b"\xff\xd8\xff\xe0" + b"unique-photo-body-0042" * 20


def _planted(db: Database, visitor_id: int) -> list[bytes]:
    """Every stored byte string that identifies the visitor."""
    with db.read() as conn:
        row = conn.execute(sa.select(visitors).where(visitors.c.id == visitor_id)).mappings().one()
        photo = conn.execute(
            sa.select(id_photos.c.photo_ct).where(id_photos.c.visitor_id == visitor_id)
        ).scalar_one()
    blobs = [bytes(row[c]) for c in ("name_ct", "email_ct", "phone_ct", "id_number_ct")]
    blobs.append(bytes(photo))
    hashes = [row["id_hash"].encode(), row["email_hash"].encode()]
    plain = [v.encode() for v in KNOWN_VALUES] + [JPEG]
    # a 32-byte slice of each ciphertext is enough to recognise it anywhere
    return [b[len(b) // 2 - 16 : len(b) // 2 + 16] for b in blobs] + hashes + plain


def _assert_absent(data: bytes, needles: list[bytes], where: str) -> None:
    for needle in needles:
        assert needle not in data, f"{needle[:12]!r}... found in {where}"


def _sqlite_file(db: Database) -> Path:
    return Path(str(db.engine.url.database))


def _pg_files(db: Database) -> list[Path]:
    with db.engine.connect() as conn:
        root = Path(conn.execute(sa.text("SHOW data_directory")).scalar_one())
        conn.execute(sa.text("CHECKPOINT"))
        rels = conn.execute(
            sa.text(
                "SELECT pg_relation_filepath(c.oid) FROM pg_class c "
                "WHERE c.relnamespace = current_schema()::regnamespace "
                "   OR c.oid IN (SELECT reltoastrelid FROM pg_class "
                "                WHERE relnamespace = current_schema()::regnamespace) "
                "   OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN "
                "                (SELECT reltoastrelid FROM pg_class "
                "                 WHERE relnamespace = current_schema()::regnamespace))"
            )
        ).scalars()
        paths = [root / r for r in rels if r]
    files = []
    for base in paths:
        files += [p for p in base.parent.glob(base.name + "*") if p.is_file()]
    return files


def test_erased_visitor_leaves_no_bytes_in_files_or_backups(
    client: TestClient, kiosk: dict[str, str], unit: Unit, db: Database, tmp_path: Path
) -> None:
    body = registration_body(unit, id_photo_jpeg_base64=base64.b64encode(JPEG).decode())
    body["consent"]["photo_accepted"] = True
    reg = client.post("/api/v1/registrations", json=body, headers=kiosk).json()
    needles = _planted(db, reg["visitor_id"])
    if db.is_sqlite:  # the values are really in the files before the erasure
        data = _sqlite_file(db).read_bytes()
        wal = Path(str(_sqlite_file(db)) + "-wal")
        data += wal.read_bytes() if wal.exists() else b""
        assert needles[0] in data and needles[4] in data

    erase = f"/api/v1/visitors/{reg['visitor_id']}?reason=permintaan+penghapusan"
    assert client.delete(erase, headers=login(client)).status_code == 204

    if db.is_sqlite:
        path = _sqlite_file(db)
        _assert_absent(path.read_bytes(), needles, "the database file")
        wal = Path(str(path) + "-wal")
        _assert_absent(wal.read_bytes() if wal.exists() else b"", needles, "the WAL")
        backup = tmp_path / "backup.sqlite3"
        source, target = sqlite3.connect(path), sqlite3.connect(backup)
        source.backup(target)  # what `loket backup` does
        source.close()
        target.close()
        _assert_absent(backup.read_bytes(), needles, "a backup taken after erasure")
    else:
        files = _pg_files(db)
        assert len(files) > 10  # tables, TOAST tables and indexes of the schema
        for file in files:
            _assert_absent(file.read_bytes(), needles, str(file))
        url = db.engine.url
        schema = str(url.query["options"]).split("=", 1)[1]
        dump = subprocess.run(
            [
                "pg_dump",
                "-h",
                str(url.host),
                "-U",
                str(url.username),
                "-n",
                schema,
                "--data-only",
                "-Fp",
                str(url.database),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
        assert b"COPY" in dump and b"visits" in dump
        _assert_absent(dump, needles, "a pg_dump taken after erasure")
        # pg_dump writes bytea as hex
        _assert_absent(dump, [n.hex().encode() for n in needles[:5]], "pg_dump (hex)")
