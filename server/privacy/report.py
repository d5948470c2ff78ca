"""The personal-data inventory for a breach notice (UU 27/2022: 3 × 24 hours).

:func:`personal_data_report` counts, per unit, whose data of which kind is
held (visitors, photos, and the cases, complaints, mails and attachments
holding personal data); with ``identities=True`` it also decrypts who they are. Only the admin
CLI (``loket report personal-data --identities``) shows that list.
"""

from __future__ import annotations

from typing import Any

from server.db.database import Database
from server.privacy.crypto import KeyRing
from server.privacy.visitors import UnreadableData, decrypt_identity
from server.store import audit, case_privacy
from server.store import visitors as store
from server.store.common import Actor, as_aware, utcnow


def personal_data_report(
    db: Database, *, ring: KeyRing | None = None, identities: bool = False
) -> dict[str, Any]:
    """Counts per unit and kind of data, and optionally every identity (decrypted)."""
    report: dict[str, Any] = {"generated_at": utcnow(), "units": []}
    with db.read() as conn:
        for unit in store.all_units(conn):
            uid = unit["id"]
            held = store.unit_counts(conn, unit_id=uid)
            entry: dict[str, Any] = {
                "unit_id": uid,
                "unit_code": unit["code"],
                "unit_name": unit["name"],
                "counts": {**held["counts"], **case_privacy.unit_counts(conn, unit_id=uid)},
                "oldest_record": as_aware(held["oldest_record"]),
                "latest_visit": as_aware(held["latest_visit"]),
            }
            if identities:
                assert ring is not None, "identities need the key ring"
                entry["identities"] = _identities(conn, ring, uid)
            report["units"].append(entry)
    return report


def _identities(conn: Any, ring: KeyRing, unit_id: int) -> list[dict[str, Any]]:
    photo_owners = store.photo_owners(conn, unit_id=unit_id)
    out = []
    for row in store.of_unit(conn, unit_id=unit_id):
        try:
            identity: dict[str, Any] = dict(decrypt_identity(ring, row))
        except UnreadableData:
            identity = {"unreadable": True}
        out.append(
            {
                "visitor_id": row["id"],
                **identity,
                "id_type": row["id_type"],
                "has_id_photo": row["id"] in photo_owners,
                "first_seen": as_aware(row["created_at"]),
                "last_visit": as_aware(row["last_visit_at"]),
            }
        )
    return out


def record_report(db: Database, *, identities: bool) -> None:
    """Audit that the breach report was produced (and whether with identities)."""
    with db.write() as conn:
        audit.record(
            conn, unit_id=None, actor=Actor(), action="report", detail={"identities": identities}
        )
