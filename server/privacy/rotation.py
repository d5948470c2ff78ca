"""Key rotation: re-encrypt every personal value under a new key, online.

:func:`rotate` adds a new key to the key file and makes it active (running
servers notice the file change and encrypt new data with it), then
re-encrypts rows still on an older key in small batches, each its own short
write transaction, until a pass finds none. Old keys stay in the file, marked
retired, so older backups remain readable; ``drop_old`` removes them after a
grace period and a last check. The look-up HMAC key is not rotated, so
returning visitors are still found by NIK and e-mail.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from server.db.database import Database
from server.privacy.crypto import KeyRing, context
from server.privacy.keys import KeyFile, add_rotation_key, retire_keys
from server.privacy.visitors import decrypt_identity, encrypt_identity
from server.store import audit, privacy_keys
from server.store.common import Actor

log = logging.getLogger("loket.privacy.rotation")


@dataclass(frozen=True)
class RotationResult:
    new_key_id: str
    old_key_ids: tuple[str, ...]
    visitors: int
    photos: int


def _reencrypt_visitors(db: Database, ring: KeyRing, batch: int) -> int:
    with db.write() as conn:
        rows = privacy_keys.stale_rows(conn, table="visitors", key_id=ring.active_id, batch=batch)
        for row in rows:
            values = encrypt_identity(
                ring, visitor_id=row["id"], identity=decrypt_identity(ring, row)
            )
            privacy_keys.set_ciphertexts(conn, table="visitors", row_id=row["id"], values=values)
        return len(rows)


def _reencrypt_photos(db: Database, ring: KeyRing, batch: int) -> int:
    with db.write() as conn:
        rows = privacy_keys.stale_rows(conn, table="id_photos", key_id=ring.active_id, batch=batch)
        for row in rows:
            aad = context("id_photos", "photo", row["id"])
            blob = ring.encrypt(ring.decrypt(bytes(row["photo_ct"]), aad=aad), aad=aad)
            privacy_keys.set_ciphertexts(
                conn,
                table="id_photos",
                row_id=row["id"],
                values={"photo_ct": blob, "key_id": ring.active_id},
            )
        return len(rows)


def reencrypt_all(
    db: Database,
    key_file: KeyFile,
    *,
    batch: int = 200,
    pause: float = 0.0,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Re-encrypt until no row is on a non-active key; returns (visitors, photos) done."""
    done_visitors = done_photos = 0
    while True:
        ring = key_file.ring()
        n_v = _reencrypt_visitors(db, ring, batch)
        n_p = _reencrypt_photos(db, ring, batch)
        done_visitors += n_v
        done_photos += n_p
        if progress is not None:
            progress(done_visitors, done_photos)
        if n_v == 0 and n_p == 0:
            return done_visitors, done_photos
        if pause:
            time.sleep(pause)


def rotate(
    db: Database,
    key_path: Path,
    *,
    batch: int = 200,
    drop_old: bool = False,
    grace_seconds: float = 2.0,
    progress: Callable[[int, int], None] | None = None,
) -> RotationResult:
    """Rotate to a new data key without stopping the server."""
    new_id, old_ids = add_rotation_key(key_path)
    key_file = KeyFile(key_path, create=False)
    log.info("Rotating personal data to key %s (old: %s).", new_id, ", ".join(sorted(old_ids)))
    total_v, total_p = reencrypt_all(db, key_file, batch=batch, progress=progress)
    # A request that read the key file just before the switch may still commit
    # a row under the old key: wait, then sweep again until nothing is left.
    while True:
        time.sleep(grace_seconds)
        more_v, more_p = reencrypt_all(db, key_file, batch=batch)
        total_v, total_p = total_v + more_v, total_p + more_p
        if more_v == 0 and more_p == 0:
            break
    retire_keys(key_path, old_ids, drop=drop_old)
    with db.write() as conn:
        audit.record(
            conn,
            unit_id=None,
            actor=Actor(),
            action="rotate",
            detail={
                "new_key_id": new_id,
                "visitors": total_v,
                "photos": total_p,
                "dropped_old": drop_old,
            },
        )
    return RotationResult(new_id, tuple(sorted(old_ids)), total_v, total_p)


def rows_per_key(db: Database) -> dict[str, dict[str, int]]:
    """How many visitor and photo rows each key id encrypts (``loket keys status``)."""
    out: dict[str, dict[str, int]] = {}
    with db.read() as conn:
        for name, table in (("visitors", "visitors"), ("photos", "id_photos")):
            for key_id, count in privacy_keys.rows_per_key(conn, table=table).items():
                out.setdefault(str(key_id), {"visitors": 0, "photos": 0})[name] = count
    return out
