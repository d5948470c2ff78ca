"""SQL of key rotation: rows still encrypted under an old key, and rows per key.

:mod:`server.privacy.rotation` decrypts and re-encrypts; this module only finds
the rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two rotations or a
rotation and the server never fight over a row) and writes the new ciphertexts.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.privacy_schema import id_photos, visitors

ENCRYPTED_TABLES = {"visitors": visitors, "id_photos": id_photos}


def stale_rows(conn: Connection, *, table: str, key_id: str, batch: int) -> list[RowMapping]:
    """Up to ``batch`` rows of ``table`` not encrypted under ``key_id``."""
    t = ENCRYPTED_TABLES[table]
    query = sa.select(t).where(t.c.key_id != key_id).order_by(t.c.id).limit(batch)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(conn.execute(query).mappings())


def set_ciphertexts(conn: Connection, *, table: str, row_id: int, values: dict[str, Any]) -> None:
    """Write a row's re-encrypted columns (and its ``key_id``)."""
    t = ENCRYPTED_TABLES[table]
    conn.execute(sa.update(t).where(t.c.id == row_id).values(**values))


def rows_per_key(conn: Connection, *, table: str) -> dict[str | None, int]:
    t = ENCRYPTED_TABLES[table]
    query = sa.select(t.c.key_id, sa.func.count()).group_by(t.c.key_id)
    return {key_id: int(count) for key_id, count in conn.execute(query)}
