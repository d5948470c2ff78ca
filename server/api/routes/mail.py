"""The mail outbox for admins (mounted under /api/v1): each message's status
(queued, sending, sent, failed with the reason) and a retry for failed ones.
Addresses and bodies are never returned here.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from server.api.deps import Admin, DbDep, SettingsDep
from server.api.schemas import PathId
from server.api.schemas.cases import MailOut, ReminderOut
from server.mail.reminders import queue_reminders
from server.privacy.routes import RingDep
from server.store import mail_outbox
from server.store.common import utcnow

router = APIRouter(tags=["mail"])


@router.get("/mail")
def list_mail(principal: Admin, db: DbDep, status: str | None = None) -> list[MailOut]:
    with db.read() as conn:
        rows = mail_outbox.list_mail(
            conn,
            unit_id=principal.unit_id,
            status=status if status in mail_outbox.STATUSES else None,
        )
    return [MailOut.model_validate(dict(r)) for r in rows]


@router.post("/mail/{mail_id}/retry")
def retry(mail_id: PathId, principal: Admin, db: DbDep, request: Request) -> MailOut:
    with db.write() as conn:
        mail_outbox.retry(conn, unit_id=principal.unit_id, mail_id=mail_id, now=utcnow())
        row = next(
            r for r in mail_outbox.list_mail(conn, unit_id=principal.unit_id) if r["id"] == mail_id
        )
    worker = getattr(request.app.state, "mail_worker", None)
    if worker is not None:
        worker.wake()
    return MailOut.model_validate(dict(row))


@router.post("/mail/reminders")
def send_reminders(
    principal: Admin, db: DbDep, settings: SettingsDep, ring: RingDep
) -> ReminderOut:
    """Queue today's reminder to each responsible staff member now (the daily job does it too)."""
    return ReminderOut(
        queued=queue_reminders(db, settings=settings, ring=ring, unit_id=principal.unit_id)
    )
