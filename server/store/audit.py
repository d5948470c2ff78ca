"""Reading the audit log for the audit page: filter by staff, action, visitor, time.

Self-contained: it reads the shared ``audit_log`` table (written by
:mod:`server.privacy.audit`) and joins the staff user names; it writes nothing.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.privacy_schema import audit_log
from server.db.schema import users


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
