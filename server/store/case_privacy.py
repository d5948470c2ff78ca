"""SQL for the personal data held on cases, complaints, mails and attachments.

Finds and removes the personal parts only — a case's contact and form
ciphertexts, a complaint's text, a step's note and free-text fields
(:func:`server.domain.cases.free_text_fields`), a mail's recipient and bodies,
an attachment's row — and keeps what reports need (kind, step codes, dates, due
dates, outcome, a mail's template, status and subject). Reads what a visitor's
data export lists of their cases, complaints and mails. Used by retention (closed long enough ago) and
by a visitor's erasure (cases opened from their tickets). Deleting attachment
*files* is the caller's job once the transaction has committed, with the
``(unit_id, attachment_id)`` pairs returned here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.cases_schema import attachments, case_steps, cases, complaints, mail_outbox
from server.db.privacy_schema import visits
from server.db.schema import tickets
from server.domain.cases import free_text_fields, without_free_text

ERASED_MAIL_ERROR = "recipient erased (privacy); not sent"

_CASE_CT = ("name_ct", "email_ct", "phone_ct", "form_ct")


def _case_holds_data() -> sa.ColumnElement[bool]:
    return sa.or_(*(cases.c[c].is_not(None) for c in _CASE_CT))


def _mail_holds_data() -> sa.ColumnElement[bool]:
    return sa.or_(
        mail_outbox.c.to_ct.is_not(None),
        mail_outbox.c.body_text != "",
        mail_outbox.c.body_html != "",
    )


def _step_holds_text() -> sa.ColumnElement[bool]:
    """A step with a note or a free-text field still in its data."""
    return sa.or_(
        case_steps.c.note.is_not(None),
        *(case_steps.c.data[name].as_string().is_not(None) for name in sorted(free_text_fields())),
    )


def clear_step_text(conn: Connection, *, case_ids: list[int]) -> int:
    """Drop the note and free-text fields of these cases' steps; how many steps held some.

    Step code, order, dates, who recorded it, and dates and choices in its data
    (an outcome, a recomputed due date) stay.
    """
    if not case_ids:
        return 0
    rows = conn.execute(
        sa.select(case_steps.c.id, case_steps.c.data).where(
            case_steps.c.case_id.in_(case_ids), _step_holds_text()
        )
    ).all()
    if rows:
        conn.execute(
            sa.update(case_steps)
            .where(case_steps.c.id == sa.bindparam("step_id"))
            .values(note=None, data=sa.bindparam("kept", type_=case_steps.c.data.type)),
            [{"step_id": r.id, "kept": without_free_text(dict(r.data or {}))} for r in rows],
        )
    return len(rows)


# --- a visitor's erasure ----------------------------------------------------------------


def visitor_ticket_ids(conn: Connection, *, visitor_id: int) -> list[int]:
    """Tickets drawn for the visitor's visits (call before the visits are anonymised)."""
    query = (
        sa.select(tickets.c.id)
        .join(visits, visits.c.id == tickets.c.visit_id)
        .where(visits.c.visitor_id == visitor_id)
    )
    return [int(t) for t in conn.execute(query).scalars()]


def case_ids_for_tickets(conn: Connection, *, ticket_ids: list[int]) -> list[int]:
    """Cases opened from these tickets, and complaints filed on their tracking pages.

    A complaint sent from a ticket's public tracking page (channel ``web``) comes
    from whoever holds that ticket, so it is the visitor's own data too.
    """
    if not ticket_ids:
        return []
    opened = sa.select(cases.c.id).where(cases.c.ticket_id.in_(ticket_ids))
    filed = sa.select(complaints.c.case_id).where(
        complaints.c.about_ticket_id.in_(ticket_ids), complaints.c.channel == "web"
    )
    found = {int(c) for c in conn.execute(opened).scalars()}
    found |= {int(c) for c in conn.execute(filed).scalars()}
    return sorted(found)


def erase_cases(conn: Connection, *, case_ids: list[int]) -> list[tuple[int, int]]:
    """Clear the cases' contact/form, step notes, their complaints' texts and attachment rows.

    Returns the ``(unit_id, attachment_id)`` of the attachment rows deleted.
    """
    if not case_ids:
        return []
    conn.execute(sa.update(cases).where(cases.c.id.in_(case_ids)).values(dict.fromkeys(_CASE_CT)))
    conn.execute(
        sa.update(complaints).where(complaints.c.case_id.in_(case_ids)).values(text_ct=None)
    )
    clear_step_text(conn, case_ids=case_ids)
    files = [
        (int(u), int(a))
        for u, a in conn.execute(
            sa.select(attachments.c.unit_id, attachments.c.id).where(
                attachments.c.case_id.in_(case_ids)
            )
        )
    ]
    conn.execute(sa.delete(attachments).where(attachments.c.case_id.in_(case_ids)))
    return files


def _mails_about(case_ids: list[int], ticket_ids: list[int]) -> sa.ColumnElement[bool] | None:
    """The condition "a mail about one of these cases or tickets" (None: no ids given)."""
    about = []
    if case_ids:
        about.append(mail_outbox.c.case_id.in_(case_ids))
    if ticket_ids:
        about.append(mail_outbox.c.ticket_id.in_(ticket_ids))
    return sa.or_(*about) if about else None


def erase_mails(conn: Connection, *, case_ids: list[int], ticket_ids: list[int]) -> int:
    """Clear recipient and bodies of every mail about these cases or tickets.

    A mail not yet sent can no longer be delivered: it is marked ``failed``.
    """
    about = _mails_about(case_ids, ticket_ids)
    if about is None:
        return 0
    where = sa.and_(about, _mail_holds_data())
    conn.execute(
        sa.update(mail_outbox)
        .where(where, mail_outbox.c.status.in_(("queued", "sending")))
        .values(status="failed", last_error=ERASED_MAIL_ERROR)
    )
    result = conn.execute(
        sa.update(mail_outbox).where(where).values(to_ct=None, body_text="", body_html="")
    )
    return int(result.rowcount or 0)


# --- retention ------------------------------------------------------------------------------


def _expired_cases(cutoff: datetime) -> sa.Select[Any]:
    """Closed before ``cutoff`` and still holding contact, form, complaint text,
    step notes or files."""
    has_complaint = sa.exists().where(
        complaints.c.case_id == cases.c.id, complaints.c.text_ct.is_not(None)
    )
    has_file = sa.exists().where(attachments.c.case_id == cases.c.id)
    has_step_text = sa.exists().where(case_steps.c.case_id == cases.c.id, _step_holds_text())
    return sa.select(cases.c.id).where(
        cases.c.status == "closed",
        cases.c.closed_at.is_not(None),
        cases.c.closed_at < cutoff,
        sa.or_(_case_holds_data(), has_complaint, has_file, has_step_text),
    )


def expired_case_ids(conn: Connection, *, cutoff: datetime, batch: int) -> list[int]:
    query = _expired_cases(cutoff).order_by(cases.c.id).limit(batch)
    return [int(c) for c in conn.execute(query).scalars()]


def count_expired_cases(conn: Connection, *, cutoff: datetime) -> dict[str, int]:
    """What purging the cases closed before ``cutoff`` would clear."""
    ids = _expired_cases(cutoff)
    texts = sa.select(sa.func.count()).where(
        complaints.c.case_id.in_(ids), complaints.c.text_ct.is_not(None)
    )
    files = sa.select(sa.func.count()).where(attachments.c.case_id.in_(ids))
    steps = sa.select(sa.func.count()).where(case_steps.c.case_id.in_(ids), _step_holds_text())
    return {
        "cases": _scalar(conn, sa.select(sa.func.count()).select_from(ids.subquery())),
        "complaints": _scalar(conn, texts),
        "attachments": _scalar(conn, files),
        "steps": _scalar(conn, steps),
    }


def count_case_data(conn: Connection, *, case_ids: list[int]) -> dict[str, int]:
    """Complaint texts, attachments and steps with text held by these cases (before erasing)."""
    if not case_ids:
        return {"complaints": 0, "attachments": 0, "steps": 0}
    return {
        "complaints": _scalar(
            conn,
            sa.select(sa.func.count()).where(
                complaints.c.case_id.in_(case_ids), complaints.c.text_ct.is_not(None)
            ),
        ),
        "attachments": _scalar(
            conn, sa.select(sa.func.count()).where(attachments.c.case_id.in_(case_ids))
        ),
        "steps": _scalar(
            conn,
            sa.select(sa.func.count()).where(
                case_steps.c.case_id.in_(case_ids), _step_holds_text()
            ),
        ),
    }


def _expired_mail(cutoff: datetime) -> sa.ColumnElement[bool]:
    """Sent (by ``sent_at``) or failed (by ``created_at``) before ``cutoff``, data still held."""
    return sa.and_(
        _mail_holds_data(),
        sa.or_(
            sa.and_(mail_outbox.c.status == "sent", mail_outbox.c.sent_at < cutoff),
            sa.and_(mail_outbox.c.status == "failed", mail_outbox.c.created_at < cutoff),
        ),
    )


def clear_expired_mail(conn: Connection, *, cutoff: datetime, batch: int) -> int:
    ids = [
        int(m)
        for m in conn.execute(
            sa.select(mail_outbox.c.id)
            .where(_expired_mail(cutoff))
            .order_by(mail_outbox.c.id)
            .limit(batch)
        ).scalars()
    ]
    if not ids:
        return 0
    conn.execute(
        sa.update(mail_outbox)
        .where(mail_outbox.c.id.in_(ids))
        .values(to_ct=None, body_text="", body_html="")
    )
    return len(ids)


def count_expired_mail(conn: Connection, *, cutoff: datetime) -> int:
    return _scalar(conn, sa.select(sa.func.count()).where(_expired_mail(cutoff)))


# --- the breach report ----------------------------------------------------------------------


def unit_counts(conn: Connection, *, unit_id: int) -> dict[str, int]:
    """How many cases, complaints, mails and attachments of a unit hold personal data."""
    return {
        "cases_with_contact": _scalar(
            conn,
            sa.select(sa.func.count()).where(
                cases.c.unit_id == unit_id,
                sa.or_(*(cases.c[c].is_not(None) for c in ("name_ct", "email_ct", "phone_ct"))),
            ),
        ),
        "cases_with_form": _scalar(
            conn,
            sa.select(sa.func.count()).where(
                cases.c.unit_id == unit_id, cases.c.form_ct.is_not(None)
            ),
        ),
        "complaints_with_text": _scalar(
            conn,
            sa.select(sa.func.count()).where(
                complaints.c.unit_id == unit_id, complaints.c.text_ct.is_not(None)
            ),
        ),
        "mails_with_recipient": _scalar(
            conn,
            sa.select(sa.func.count()).where(mail_outbox.c.unit_id == unit_id, _mail_holds_data()),
        ),
        "attachments": _scalar(
            conn, sa.select(sa.func.count()).where(attachments.c.unit_id == unit_id)
        ),
        "case_steps_with_notes": _scalar(
            conn,
            sa.select(sa.func.count())
            .select_from(case_steps.join(cases, cases.c.id == case_steps.c.case_id))
            .where(cases.c.unit_id == unit_id, _step_holds_text()),
        ),
    }


# --- a visitor's data export ----------------------------------------------------------------


def cases_by_id(conn: Connection, *, case_ids: list[int]) -> list[RowMapping]:
    if not case_ids:
        return []
    query = sa.select(cases).where(cases.c.id.in_(case_ids)).order_by(cases.c.id)
    return list(conn.execute(query).mappings())


def steps_by_case(conn: Connection, *, case_ids: list[int]) -> dict[int, list[RowMapping]]:
    """The steps of these cases, oldest first, per case."""
    found: dict[int, list[RowMapping]] = {c: [] for c in case_ids}
    if case_ids:
        query = (
            sa.select(case_steps)
            .where(case_steps.c.case_id.in_(case_ids))
            .order_by(case_steps.c.case_id, case_steps.c.seq)
        )
        for row in conn.execute(query).mappings():
            found[row["case_id"]].append(row)
    return found


def complaints_by_case(conn: Connection, *, case_ids: list[int]) -> dict[int, RowMapping]:
    if not case_ids:
        return {}
    query = sa.select(complaints).where(complaints.c.case_id.in_(case_ids))
    return {row["case_id"]: row for row in conn.execute(query).mappings()}


def mails_about(
    conn: Connection, *, case_ids: list[int], ticket_ids: list[int]
) -> list[RowMapping]:
    """Every mail about these cases or tickets, oldest first (what :func:`erase_mails` clears)."""
    about = _mails_about(case_ids, ticket_ids)
    if about is None:
        return []
    query = sa.select(mail_outbox).where(about).order_by(mail_outbox.c.id)
    return list(conn.execute(query).mappings())


def _scalar(conn: Connection, query: sa.Select[Any]) -> int:
    return int(conn.execute(query).scalar() or 0)
