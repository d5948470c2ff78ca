"""The durable mail outbox: a message is a row written in the same transaction as
the change that causes it, so it is never lost and never sent for a change that
rolled back.

The worker (:mod:`server.mail.worker`) claims due rows (``queued`` →
``sending``, one attempt counted), sends them and marks them ``sent``; a
temporary failure puts a row back to ``queued`` with a later
``next_attempt_at``; a refusal or too many attempts marks it ``failed`` with the
reason. A row found ``sending`` at start-up was interrupted mid-send; it is
marked ``failed`` rather than sent again (never twice), and an admin may retry
it. The recipient address is encrypted (``to_ct``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.cases_schema import mail_outbox
from server.errors import Conflict
from server.mail.messages import Composed
from server.privacy.crypto import KeyRing, context
from server.store.common import get_in_unit, inserted_id, utcnow

STATUSES = ("queued", "sending", "sent", "failed")


def enqueue(
    conn: Connection,
    *,
    ring: KeyRing,
    unit_id: int,
    to: str,
    language: str,
    template: str,
    message: Composed,
    case_id: int | None = None,
    ticket_id: int | None = None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Queue one message in the caller's transaction; returns its id."""
    moment = now or utcnow()
    mail_id = inserted_id(
        conn.execute(
            sa.insert(mail_outbox).values(
                unit_id=unit_id,
                template=template,
                language=language,
                subject=message.subject[:300],
                body_text=message.text,
                body_html=message.html,
                message_id=f"<{uuid.uuid4().hex}@loket>",
                status="queued",
                attempts=0,
                next_attempt_at=moment,
                case_id=case_id,
                ticket_id=ticket_id,
                user_id=user_id,
                created_at=moment,
            )
        )
    )
    conn.execute(
        sa.update(mail_outbox)
        .where(mail_outbox.c.id == mail_id)
        .values(
            key_id=ring.active_id,
            to_ct=ring.encrypt_text(to, aad=context("mail_outbox", "to", mail_id)),
        )
    )
    return mail_id


@dataclass(frozen=True)
class Claimed:
    id: int
    to: str
    subject: str
    text: str
    html: str
    message_id: str
    attempts: int


def claim_due(conn: Connection, *, ring: KeyRing, now: datetime, limit: int = 10) -> list[Claimed]:
    """Take up to ``limit`` due messages for sending (status ``sending``, attempt counted)."""
    query = (
        sa.select(mail_outbox)
        .where(mail_outbox.c.status == "queued", mail_outbox.c.next_attempt_at <= now)
        .order_by(mail_outbox.c.next_attempt_at, mail_outbox.c.id)
        .limit(limit)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(conn.execute(query).mappings())
    claimed = []
    for row in rows:
        conn.execute(
            sa.update(mail_outbox)
            .where(mail_outbox.c.id == row["id"])
            .values(status="sending", attempts=row["attempts"] + 1)
        )
        to = ring.decrypt_text(row["to_ct"], aad=context("mail_outbox", "to", row["id"])) or ""
        claimed.append(
            Claimed(
                id=row["id"],
                to=to,
                subject=row["subject"],
                text=row["body_text"],
                html=row["body_html"],
                message_id=row["message_id"],
                attempts=row["attempts"] + 1,
            )
        )
    return claimed


def mark_sent(conn: Connection, *, mail_id: int, now: datetime) -> None:
    conn.execute(
        sa.update(mail_outbox)
        .where(mail_outbox.c.id == mail_id)
        .values(status="sent", sent_at=now, last_error=None)
    )


def mark_retry(conn: Connection, *, mail_id: int, error: str, next_attempt_at: datetime) -> None:
    conn.execute(
        sa.update(mail_outbox)
        .where(mail_outbox.c.id == mail_id)
        .values(status="queued", last_error=error[:500], next_attempt_at=next_attempt_at)
    )


def mark_failed(conn: Connection, *, mail_id: int, error: str) -> None:
    conn.execute(
        sa.update(mail_outbox)
        .where(mail_outbox.c.id == mail_id)
        .values(status="failed", last_error=error[:500])
    )


def recover_interrupted(conn: Connection) -> int:
    """Mark messages left ``sending`` by a stopped worker as failed (they may have gone out)."""
    result = conn.execute(
        sa.update(mail_outbox)
        .where(mail_outbox.c.status == "sending")
        .values(
            status="failed",
            last_error="interrupted while sending; it may have been delivered — retry by hand",
        )
    )
    return int(result.rowcount or 0)


def list_mail(
    conn: Connection, *, unit_id: int, status: str | None = None, limit: int = 200
) -> list[RowMapping]:
    query = sa.select(
        *(c for c in mail_outbox.c if c.name not in ("to_ct", "body_text", "body_html"))
    ).where(mail_outbox.c.unit_id == unit_id)
    if status:
        query = query.where(mail_outbox.c.status == status)
    return list(conn.execute(query.order_by(mail_outbox.c.id.desc()).limit(limit)).mappings())


def retry(conn: Connection, *, unit_id: int, mail_id: int, now: datetime) -> None:
    """An admin sends a failed message again."""
    row = get_in_unit(
        conn, mail_outbox, unit_id=unit_id, row_id=mail_id, what="Mail", code="mail_not_found"
    )
    if row["status"] != "failed":
        raise Conflict(f"Mail {mail_id} is {row['status']}; only a failed mail can be retried.")
    if row["to_ct"] is None:
        raise Conflict(
            f"Mail {mail_id}'s recipient was erased (privacy); it cannot be sent.",
            code="mail_recipient_erased",
        )
    conn.execute(
        sa.update(mail_outbox)
        .where(mail_outbox.c.id == mail_id)
        .values(status="queued", next_attempt_at=now)
    )


def backoff(attempts: int, *, base: float, cap: float) -> timedelta:
    """Delay before the next attempt: ``base`` doubled per attempt, at most ``cap``."""
    return timedelta(seconds=min(cap, base * (2 ** max(0, attempts - 1))))


def already_queued(
    conn: Connection, *, unit_id: int, template: str, user_id: int, since: datetime
) -> bool:
    """Whether ``template`` was queued for staff member ``user_id`` since ``since``."""
    query = sa.select(sa.func.count()).where(
        mail_outbox.c.unit_id == unit_id,
        mail_outbox.c.template == template,
        mail_outbox.c.user_id == user_id,
        mail_outbox.c.created_at >= since,
    )
    return bool(conn.execute(query).scalar())
