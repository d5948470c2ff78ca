"""Mail about cases and tickets, queued in the caller's transaction.

A step whose kind names a mail (:mod:`server.domain.cases`) queues it here in
the visitor's language, with the case's tracking link and the office's
contact; so does the kiosk's e-mail copy of a ticket. Addresses are decrypted
only to be re-encrypted into the outbox row (:mod:`server.store.mail_outbox`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.cases_schema import case_steps
from server.domain import cases as rules
from server.domain.clock import local_day
from server.domain.workdays import add_working_days
from server.i18n import t
from server.mail.messages import Office, compose
from server.privacy.crypto import KeyRing, context
from server.store import calendar, mail_outbox, units
from server.store.common import as_aware


def tracking_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/t/{token}"


def office_of(unit: RowMapping) -> Office:
    return Office(
        name=unit["name"], address=unit["address"], phone=unit["phone"], email=unit["email"]
    )


def queue_step_mail(
    conn: Connection,
    *,
    ring: KeyRing,
    base_url: str,
    now: datetime,
    unit: RowMapping,
    case: RowMapping,
    kind: rules.KindDef,
    template: str,
    values: dict[str, str],
    user_id: int | None,
) -> None:
    email = ring.decrypt_text(case["email_ct"], aad=context("cases", "email", case["id"]))
    if not email:
        return
    lang = case["language"]
    params: dict[str, Any] = {
        "kind": t(f"cases.kind_{kind.code}", lang),
        "date": _local_date(case["opened_at"], unit["timezone"]),
        "due": case["due_date"].isoformat() if case["due_date"] else "",
        "days": case["due_days"],
        "round": case["rounds"],
        **values,
    }
    if "outcome" in values:
        params["outcome"] = t(f"cases.outcome_{values['outcome']}", lang)
    if template == "letter_sent":
        last = _last_data(conn, case["id"], "letter_drafted")
        params.setdefault("letter_number", last.get("letter_number", ""))
        params["outcome"] = t(f"cases.outcome_{last.get('outcome', 'layak')}", lang)
    body_key = None
    if template == "received" and not case["due_date"]:
        body_key = "mail_received_nodue_body"
    if kind.complaint:
        due = first_response_due(conn, case)
        params["first_due"] = due.isoformat() if due else ""
    link = tracking_link(base_url, case["tracking_token"])
    if template == "rate_invitation" and case["ticket_id"] is not None:
        link += "/rate"  # straight to the rating form behind the ticket's QR
    message = compose(
        template,
        lang,
        office=office_of(unit),
        link=link,
        body_key=body_key,
        **params,
    )
    mail_outbox.enqueue(
        conn,
        ring=ring,
        unit_id=case["unit_id"],
        to=email,
        language=lang,
        template=template,
        message=message,
        case_id=case["id"],
        user_id=user_id,
        now=now,
    )


def first_response_due(conn: Connection, case: RowMapping) -> date | None:
    """When a complaint's first response is due (its kind's days after the clock start)."""
    days = rules.get_kind(case["kind"]).first_response_days
    if days is None or case["clock_start"] is None:
        return None
    cal = calendar.work_calendar(conn, unit_id=case["unit_id"])
    return add_working_days(case["clock_start"], int(days), cal)


def _last_data(conn: Connection, case_id: int, step: str) -> dict[str, Any]:
    query = (
        sa.select(case_steps.c.data)
        .where(case_steps.c.case_id == case_id, case_steps.c.step == step)
        .order_by(case_steps.c.seq.desc())
        .limit(1)
    )
    data = conn.execute(query).scalar()
    return dict(data or {})


def _local_date(moment: datetime, timezone: str) -> str:
    aware = as_aware(moment)
    assert aware is not None
    return local_day(aware, timezone).isoformat()


def queue_ticket_copy(
    conn: Connection,
    *,
    ring: KeyRing,
    unit_id: int,
    ticket: RowMapping,
    email: str,
    language: str,
    base_url: str,
    now: datetime,
) -> int:
    """Queue the kiosk's e-mail copy of a ticket (number, service, tracking link)."""
    unit = units.get_unit(conn, unit_id=unit_id)
    service = units.get_service(conn, unit_id=unit_id, service_id=ticket["service_id"])
    lang = language if language in ("id", "en") else "id"
    message = compose(
        "ticket_copy",
        lang,
        office=office_of(unit),
        link=tracking_link(base_url, ticket["tracking_token"]),
        number=ticket["number"],
        service=service["name_en" if lang == "en" else "name_id"],
    )
    return mail_outbox.enqueue(
        conn,
        ring=ring,
        unit_id=unit_id,
        to=email,
        language=lang,
        template="ticket_copy",
        message=message,
        ticket_id=ticket["id"],
        now=now,
    )
