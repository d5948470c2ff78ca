"""Visitors and their identity: encryption, look-up, masking (SQL in store.visitors).

Keyword-only functions on a Connection from the caller's transaction, no HTTP,
no SQL of their own (:mod:`server.store.visitors` runs it). Personal values
are encrypted with the :class:`~server.privacy.crypto.KeyRing` passed in, bound
to ``visitors/<field>/<id>``; ``key_id`` records the key that encrypted a row
so rotation can find it.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection, RowMapping

from server.errors import LoketError
from server.privacy.crypto import DecryptError, KeyRing, context
from server.privacy.form import CATEGORY_FIELDS, PERSONAL_FIELDS
from server.privacy.masking import mask
from server.store import audit
from server.store import visitors as store
from server.store.common import Actor, as_aware, utcnow
from server.store.visitors import find_by_hash, get_visitor, photo_ids, visit_count

__all__ = [  # store functions callers reach through this module
    "find_by_hash",
    "get_visitor",
    "photo_ids",
    "visit_count",
]

log = logging.getLogger("loket.privacy")

IDENTITY_COLUMNS = {f: f"{f}_ct" for f in PERSONAL_FIELDS}
PROFILE_FIELDS = (*CATEGORY_FIELDS, "institution")
#: what a confirmed returning visitor may change at the kiosk (never the ID number)
CONTACT_FIELDS = ("name", "email", "phone")


class UnreadableData(LoketError):
    """Stored personal data failed authentication (tampered, or its key is missing)."""

    status_code = 500
    code = "unreadable_personal_data"


def id_lookup_hash(ring: KeyRing, *, id_type: str, number: str, is_nik: bool) -> str:
    """The keyed hash of an ID number; any ID that is a NIK hashes as ``nik``."""
    return ring.lookup_hash("nik" if is_nik else id_type, number)


def email_lookup_hash(ring: KeyRing, email: str | None) -> str | None:
    return ring.lookup_hash("email", email) if email else None


def encrypt_identity(
    ring: KeyRing, *, visitor_id: int, identity: dict[str, str | None]
) -> dict[str, Any]:
    """Column values holding ``identity`` encrypted under the active key."""
    values: dict[str, Any] = {"key_id": ring.active_id}
    for field, column in IDENTITY_COLUMNS.items():
        values[column] = ring.encrypt_text(
            identity.get(field), aad=context("visitors", field, visitor_id)
        )
    return values


def decrypt_identity(ring: KeyRing, row: RowMapping) -> dict[str, str | None]:
    """The plain identity of a visitor row; :class:`UnreadableData` if it fails."""
    try:
        return {
            field: ring.decrypt_text(row[column], aad=context("visitors", field, row["id"]))
            for field, column in IDENTITY_COLUMNS.items()
        }
    except DecryptError:
        log.error("Visitor %s: personal data failed authentication.", row["id"])
        raise UnreadableData(
            f"Visitor {row['id']}'s personal data cannot be decrypted; tell the administrator."
        ) from None


def masked_identity(identity: dict[str, str | None]) -> dict[str, str | None]:
    return {field: mask(field, identity.get(field)) for field in PERSONAL_FIELDS}


def create_visitor(
    conn: Connection,
    *,
    ring: KeyRing,
    unit_id: int,
    identity: dict[str, str | None],
    profile: dict[str, str | None],
    id_type: str | None,
    id_hash: str | None,
    now: datetime | None = None,
    review_of: int | None = None,
) -> int:
    """Insert a visitor, then encrypt the identity bound to the new row id.

    ``review_of``: the visitor on file whose ID number this one reused with other
    contact values; the new record is flagged ``needs_review``.
    """
    moment = now or utcnow()
    visitor_id = store.insert_visitor(
        conn,
        unit_id=unit_id,
        values={
            "created_at": moment,
            "updated_at": moment,
            "last_visit_at": moment,
            "needs_review": review_of is not None,
            "review_of": review_of,
            **{f: profile.get(f) for f in PROFILE_FIELDS},
        },
    )
    write_identity(
        conn, ring=ring, visitor_id=visitor_id, identity=identity, id_type=id_type, id_hash=id_hash
    )
    return visitor_id


def write_identity(
    conn: Connection,
    *,
    ring: KeyRing,
    visitor_id: int,
    identity: dict[str, str | None],
    id_type: str | None,
    id_hash: str | None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Replace a visitor's encrypted identity and look-up hashes."""
    values = encrypt_identity(ring, visitor_id=visitor_id, identity=identity)
    values.update(
        id_type=id_type,
        id_hash=id_hash,
        email_hash=email_lookup_hash(ring, identity.get("email")),
        **(extra or {}),
    )
    store.update_visitor(conn, visitor_id=visitor_id, values=values)


def touch_visitor(conn: Connection, *, visitor_id: int, values: dict[str, Any]) -> None:
    """Update a visitor's plain columns (last visit, categories)."""
    store.update_visitor(conn, visitor_id=visitor_id, values=values)


def visitor_out(
    ring: KeyRing, row: RowMapping, *, visit_count: int | None = None
) -> dict[str, Any]:
    """A visitor as staff see it by default: identity masked."""
    out: dict[str, Any] = {
        "id": row["id"],
        "masked": masked_identity(decrypt_identity(ring, row)),
        "id_type": row["id_type"],
        **{f: row[f] for f in PROFILE_FIELDS},
        "created_at": as_aware(row["created_at"]),
        "last_visit_at": as_aware(row["last_visit_at"]),
        "needs_review": bool(row["needs_review"]),
        "review_of": row["review_of"],
    }
    if visit_count is not None:
        out["visit_count"] = visit_count
    return out


def with_review_targets(
    conn: Connection, ring: KeyRing, *, unit_id: int, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Add to each record awaiting review the record on file it collides with, masked.

    Staff compare the two masked records to choose how to settle the flag; a
    record on file that cannot be decrypted (the reason it was flagged) is named
    by its id only.
    """
    for out in rows:
        target_id = out.get("review_of")
        target = (
            store.visitor_in_unit(conn, unit_id=unit_id, visitor_id=target_id)
            if target_id is not None
            else None
        )
        out["review_of_masked"] = None
        # a record on file that cannot be decrypted is named by its id only
        with contextlib.suppress(UnreadableData):
            if target is not None:
                out["review_of_masked"] = masked_identity(decrypt_identity(ring, target))
    return rows


def prefill_of(row: RowMapping) -> dict[str, str | None]:
    """The non-identifying answers a returning visitor need not type again.

    Categories only: the institution's name identifies a person too well to be
    shown to whoever types a NIK at a public kiosk.
    """
    return {f: row[f] for f in CATEGORY_FIELDS}


def lookup(
    conn: Connection,
    *,
    ring: KeyRing,
    unit_id: int,
    actor: Actor,
    nik: str | None = None,
    email: str | None = None,
) -> RowMapping | None:
    """A returning visitor by NIK or e-mail (keyed hash), audited as ``lookup``."""
    id_hash = ring.lookup_hash("nik", nik) if nik else None
    email_hash = email_lookup_hash(ring, email) if not nik else None
    row = find_by_hash(conn, unit_id=unit_id, id_hash=id_hash, email_hash=email_hash)
    audit.record(
        conn,
        unit_id=unit_id,
        actor=actor,
        action="lookup",
        visitor_id=row["id"] if row else None,
        fields=["id_number" if nik else "email"],
        detail={"found": row is not None},
    )
    return row


def search(
    conn: Connection,
    *,
    ring: KeyRing,
    unit_id: int,
    actor: Actor,
    nik: str | None = None,
    email: str | None = None,
    name: str | None = None,
    needs_review: bool = False,
    limit: int = 50,
) -> list[RowMapping]:
    """Staff search: by NIK/e-mail hash, by name in memory, or the records awaiting review."""
    found: list[RowMapping] = []
    if needs_review:
        found = store.awaiting_review(conn, unit_id=unit_id, limit=limit)
    elif nik or email:
        found = store.all_by_hash(
            conn,
            unit_id=unit_id,
            id_hash=ring.lookup_hash("nik", nik) if nik else None,
            email_hash=email_lookup_hash(ring, email) if not nik else None,
        )
    elif name:
        needle = " ".join(name.split()).casefold()
        for row in store.with_names(conn, unit_id=unit_id):
            try:
                plain = ring.decrypt_text(
                    row["name_ct"], aad=context("visitors", "name", row["id"])
                )
            except DecryptError:
                log.error("Visitor %s: name failed authentication during search.", row["id"])
                continue
            if plain and needle in " ".join(plain.split()).casefold():
                found.append(row)
                if len(found) >= limit:
                    break
    audit.record(
        conn,
        unit_id=unit_id,
        actor=actor,
        action="search",
        fields=[
            "needs_review" if needs_review else "id_number" if nik else "email" if email else "name"
        ],
        detail={"results": len(found)},
    )
    return found[:limit]
