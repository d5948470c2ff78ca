"""The audit log (SQL): who did what to whose personal data, when, and why.

Rows hold ids, field names and the reason staff typed — never a personal
value. Actions: ``register``, ``lookup``, ``open``, ``search``, ``reveal``,
``photo``, ``export``, ``correct``, ``review``, ``delete``, ``purge``, ``rotate``, ``report``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.privacy_schema import audit_log
from server.db.schema import users
from server.store.common import Actor, utcnow


def record(
    conn: Connection,
    *,
    unit_id: int | None,
    actor: Actor,
    action: str,
    visitor_id: int | None = None,
    visit_id: int | None = None,
    fields: Sequence[str] = (),
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """Append one audit row inside the caller's transaction."""
    conn.execute(
        sa.insert(audit_log).values(
            unit_id=unit_id,
            at=now or utcnow(),
            user_id=actor.user_id,
            device_id=actor.device_id,
            action=action,
            visitor_id=visitor_id,
            visit_id=visit_id,
            fields=",".join(fields) or None,
            reason=(reason or None) and reason[:500],
            detail=detail,
        )
    )


def list_entries(
    conn: Connection,
    *,
    unit_id: int,
    visitor_id: int | None = None,
    action: str | None = None,
    limit: int = 200,
) -> list[RowMapping]:
    query = sa.select(audit_log).where(audit_log.c.unit_id == unit_id)
    if visitor_id is not None:
        query = query.where(audit_log.c.visitor_id == visitor_id)
    if action:
        query = query.where(audit_log.c.action == action)
    query = query.order_by(audit_log.c.id.desc()).limit(limit)
    return list(conn.execute(query).mappings())


def count_before(conn: Connection, *, cutoff: datetime) -> int:
    """Audit rows older than ``cutoff`` (what retention would drop)."""
    query = sa.select(sa.func.count()).select_from(audit_log).where(audit_log.c.at < cutoff)
    return int(conn.execute(query).scalar_one())


def delete_before(conn: Connection, *, cutoff: datetime, batch: int) -> int:
    """Delete up to ``batch`` audit rows older than ``cutoff``; how many went."""
    query = sa.select(audit_log.c.id).where(audit_log.c.at < cutoff).limit(batch)
    ids = [int(i) for i in conn.execute(query).scalars()]
    if ids:
        conn.execute(sa.delete(audit_log).where(audit_log.c.id.in_(ids)))
    return len(ids)


# --- the audit page (admin feature): filter by staff, action, visitor and time ---


def list_audit_entries(
    conn: Connection,
    *,
    unit_id: int,
    user_id: int | None = None,
    action: str | None = None,
    visitor_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
) -> list[RowMapping]:
    """Newest first; ``since`` inclusive, ``until`` exclusive (UTC)."""
    query = (
        sa.select(audit_log, users.c.username)
        .select_from(audit_log.outerjoin(users, users.c.id == audit_log.c.user_id))
        .where(audit_log.c.unit_id == unit_id)
    )
    if user_id is not None:
        query = query.where(audit_log.c.user_id == user_id)
    if action:
        query = query.where(audit_log.c.action == action)
    if visitor_id is not None:
        query = query.where(audit_log.c.visitor_id == visitor_id)
    if since is not None:
        query = query.where(audit_log.c.at >= since)
    if until is not None:
        query = query.where(audit_log.c.at < until)
    query = query.order_by(audit_log.c.id.desc()).limit(limit)
    return list(conn.execute(query).mappings())


def audit_actions(conn: Connection, *, unit_id: int) -> list[str]:
    """The actions that occur in the unit's log, for the filter's suggestions."""
    query = (
        sa.select(audit_log.c.action)
        .where(audit_log.c.unit_id == unit_id)
        .distinct()
        .order_by(audit_log.c.action)
    )
    return list(conn.execute(query).scalars())
