"""Complaints (pengaduan): a case of a complaint kind plus where it came from.

The category picks the kind and so the clock (SP4N-LAPOR practice: first
response within 3 working days; 5, 14 or 60 to resolve). A complaint may
concern a ticket or a case, or nothing; it may be anonymous. The text and any
contact are encrypted. Complaints through lapor.go.id carry its tracking number.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.cases_schema import cases, complaints
from server.errors import InvalidInput
from server.privacy.crypto import KeyRing, context
from server.store import cases as case_store
from server.store import tickets
from server.store.common import first_row, inserted_id

CHANNELS = ("box", "lapor", "email", "sms", "whatsapp", "desk", "web")
CATEGORIES = {
    "info": "complaint_info",
    "dispute": "complaint_dispute",
    "field_check": "complaint_field_check",
}
MAX_TEXT = 4000
MAX_WEB_PER_DAY = 3  # complaints one tracking page may file per day (against floods)


def file_complaint(
    conn: Connection,
    *,
    ctx: case_store.Context,
    unit_id: int,
    category: str,
    channel: str,
    text: str,
    role: str,
    user_id: int | None,
    lapor_number: str | None = None,
    about_ticket_id: int | None = None,
    about_case_id: int | None = None,
    anonymous: bool = False,
    contact: case_store.Contact | None = None,
    language: str = "id",
) -> tuple[int, int]:
    """Record a complaint and open its case; returns ``(complaint_id, case_id)``."""
    errors: dict[str, str] = {}
    if category not in CATEGORIES:
        errors["category"] = "not_a_choice"
    if channel not in CHANNELS:
        errors["channel"] = "not_a_choice"
    if channel == "lapor" and not (lapor_number or "").strip():
        errors["lapor_number"] = "required"
    if not text.strip():
        errors["text"] = "required"
    elif len(text) > MAX_TEXT:
        errors["text"] = "too_long"
    if errors:
        raise InvalidInput(
            "Some complaint fields are missing or invalid: " + ", ".join(sorted(errors)) + ".",
            code="complaint_fields",
            fields=errors,
        )
    if about_ticket_id is not None:
        tickets.get_ticket(conn, unit_id=unit_id, ticket_id=about_ticket_id)
    if about_case_id is not None:
        case_store.get_case(conn, unit_id=unit_id, case_id=about_case_id)
    case_id = case_store.open_case(
        conn,
        ctx=ctx,
        unit_id=unit_id,
        kind_code=CATEGORIES[category],
        role=role,
        user_id=user_id,
        contact=None if anonymous else contact,
        language=language,
        title=f"{channel}{' ' + lapor_number if lapor_number else ''}",
        complaint=True,
    )
    case = case_store.get_case(conn, unit_id=unit_id, case_id=case_id)
    ring = ctx.ring
    assert ring is not None
    complaint_id = inserted_id(
        conn.execute(
            sa.insert(complaints).values(
                unit_id=unit_id,
                case_id=case_id,
                channel=channel,
                lapor_number=(lapor_number or "").strip() or None,
                about_ticket_id=about_ticket_id,
                about_case_id=about_case_id,
                anonymous=anonymous,
                first_response_due=case_store.first_response_due(conn, case),
                created_at=ctx.now,
            )
        )
    )
    conn.execute(
        sa.update(complaints)
        .where(complaints.c.id == complaint_id)
        .values(
            key_id=ring.active_id,
            text_ct=ring.encrypt_text(
                text.strip(), aad=context("complaints", "text", complaint_id)
            ),
        )
    )
    return complaint_id, case_id


def complaint_of_case(conn: Connection, *, case_id: int) -> RowMapping | None:
    return first_row(conn, complaints, case_id=case_id)


def text_of(ring: KeyRing, row: RowMapping) -> str | None:
    return ring.decrypt_text(row["text_ct"], aad=context("complaints", "text", row["id"]))


def list_complaints(conn: Connection, *, unit_id: int) -> list[dict[str, Any]]:
    query = (
        sa.select(complaints, cases.c.kind, cases.c.current_step, cases.c.status, cases.c.due_date)
        .join(cases, cases.c.id == complaints.c.case_id)
        .where(complaints.c.unit_id == unit_id)
        .order_by(complaints.c.id.desc())
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def web_complaints_since(
    conn: Connection, *, ticket_id: int | None, case_id: int | None, since: datetime
) -> int:
    """How many complaints the public tracking page filed about this ticket/case since ``since``."""
    about = []
    if ticket_id is not None:
        about.append(complaints.c.about_ticket_id == ticket_id)
    if case_id is not None:
        about.append(complaints.c.about_case_id == case_id)
    if not about:
        return 0
    query = sa.select(sa.func.count()).where(
        complaints.c.channel == "web", complaints.c.created_at >= since, sa.or_(*about)
    )
    return int(conn.execute(query).scalar() or 0)
