"""The personal-data inventory for a breach notice (UU 27/2022: 3 × 24 hours).

:func:`personal_data_report` counts, per unit, whose data of which kind is
held; with ``identities=True`` it also decrypts who they are. Only the admin
CLI (``loket report personal-data --identities``) shows that list.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from server.db.database import Database
from server.db.privacy_schema import id_photos, visitors, visits
from server.db.schema import units
from server.privacy import audit
from server.privacy.crypto import KeyRing
from server.privacy.visitors import UnreadableData, decrypt_identity
from server.store.common import Actor, as_aware, utcnow

KINDS = (
    ("name", "name_ct"),
    ("email", "email_ct"),
    ("phone", "phone_ct"),
    ("id_number", "id_number_ct"),
)


def _count(conn: Any, table: sa.Table, *conditions: Any) -> int:
    query = sa.select(sa.func.count()).select_from(table).where(*conditions)
    return int(conn.execute(query).scalar_one())


def personal_data_report(
    db: Database, *, ring: KeyRing | None = None, identities: bool = False
) -> dict[str, Any]:
    """Counts per unit and kind of data, and optionally every identity (decrypted)."""
    report: dict[str, Any] = {"generated_at": utcnow(), "units": []}
    with db.read() as conn:
        for unit in conn.execute(sa.select(units).order_by(units.c.id)).mappings():
            uid = unit["id"]
            counts: dict[str, Any] = {"visitors": _count(conn, visitors, visitors.c.unit_id == uid)}
            for kind, column in KINDS:
                counts[kind] = _count(
                    conn, visitors, visitors.c.unit_id == uid, visitors.c[column].is_not(None)
                )
            by_type = conn.execute(
                sa.select(visitors.c.id_type, sa.func.count())
                .where(visitors.c.unit_id == uid)
                .group_by(visitors.c.id_type)
            ).all()
            counts["id_number_by_type"] = {str(t): int(n) for t, n in by_type}
            counts["id_photos"] = _count(conn, id_photos, id_photos.c.unit_id == uid)
            counts["visits_identified"] = _count(
                conn, visits, visits.c.unit_id == uid, visits.c.visitor_id.is_not(None)
            )
            counts["visits_anonymised"] = _count(
                conn, visits, visits.c.unit_id == uid, visits.c.visitor_id.is_(None)
            )
            span = conn.execute(
                sa.select(
                    sa.func.min(visitors.c.created_at), sa.func.max(visitors.c.last_visit_at)
                ).where(visitors.c.unit_id == uid)
            ).one()
            entry: dict[str, Any] = {
                "unit_id": uid,
                "unit_code": unit["code"],
                "unit_name": unit["name"],
                "counts": counts,
                "oldest_record": as_aware(span[0]),
                "latest_visit": as_aware(span[1]),
            }
            if identities:
                assert ring is not None, "identities need the key ring"
                entry["identities"] = _identities(conn, ring, uid)
            report["units"].append(entry)
    return report


def _identities(conn: Any, ring: KeyRing, unit_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        sa.select(visitors).where(visitors.c.unit_id == unit_id).order_by(visitors.c.id)
    ).mappings()
    photo_owners = {
        int(v)
        for v in conn.execute(
            sa.select(id_photos.c.visitor_id).where(id_photos.c.unit_id == unit_id)
        ).scalars()
        if v is not None
    }
    out = []
    for row in rows:
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
