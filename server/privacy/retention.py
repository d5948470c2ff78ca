"""Retention: delete or anonymise personal data whose time is up.

:func:`purge` removes ID photos older than ``retention_photo_days``, erases
visitors not seen for ``retention_guestbook_days`` (identity and photos
deleted; their visits stay with service, date and categories, so reports keep
their counts, and the contact data of cases opened from their tickets goes
too), clears the contact, form, complaint text, step notes and attachments of
cases closed more than ``retention_case_days`` ago and the recipient and bodies of mails
older than ``retention_mail_days`` (:mod:`server.privacy.case_data`), clears
staff notes on tickets issued more than ``retention_guestbook_days`` ago, and
drops audit rows older than ``retention_audit_days``. It
works in small batches, each its own short write transaction, so a running
server is never blocked for long. ``loket purge`` runs it by hand;
:func:`start_retention_job` runs it daily inside the server.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Connection

from server.config import Settings, get_settings
from server.db.database import Database
from server.privacy import case_data
from server.store import audit, erasure, tickets
from server.store import visitors as store
from server.store.common import Actor, utcnow

log = logging.getLogger("loket.privacy.retention")
BATCH = 200


@dataclass(frozen=True)
class PurgeResult:
    photos_deleted: int = 0
    visitors_erased: int = 0
    audit_rows_deleted: int = 0
    cases_cleared: int = 0
    complaint_texts_cleared: int = 0
    attachments_deleted: int = 0
    mails_cleared: int = 0
    step_notes_cleared: int = 0
    ticket_notes_cleared: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class Cutoffs:
    photo: datetime
    guestbook: datetime
    audit: datetime

    @classmethod
    def at(cls, now: datetime, settings: Settings) -> Cutoffs:
        return cls(
            photo=now - timedelta(days=settings.retention_photo_days),
            guestbook=now - timedelta(days=settings.retention_guestbook_days),
            audit=now - timedelta(days=settings.retention_audit_days),
        )


def expired_counts(db: Database, *, settings: Settings, now: datetime) -> PurgeResult:
    """What :func:`purge` would remove at ``now`` (for ``--dry-run``)."""
    cut = Cutoffs.at(now, settings)
    with db.read() as conn:
        held, mails = case_data.expired(conn, settings=settings, now=now)
        return PurgeResult(
            store.count_photos_before(conn, cutoff=cut.photo),
            store.count_unseen_since(conn, cutoff=cut.guestbook),
            audit.count_before(conn, cutoff=cut.audit),
            held.cases,
            held.complaints,
            held.attachments,
            mails,
            held.steps,
            tickets.count_notes_before(conn, cutoff=cut.guestbook),
        )


def _delete_in_batches(db: Database, delete: Callable[[Connection], int]) -> int:
    """Run ``delete`` (one batch) in its own transaction until it deletes nothing."""
    deleted = 0
    while True:
        with db.write() as conn:
            n = delete(conn)
        if not n:
            return deleted
        deleted += n


def _erase_unseen_visitors(
    db: Database, *, settings: Settings, cutoff: datetime, now: datetime, batch: int
) -> int:
    """Erase visitors last seen before ``cutoff``, each audited, ``batch`` per transaction."""
    erased = 0
    while True:
        files: list[case_data.FileRef] = []
        with db.write() as conn:
            rows = store.unseen_since(conn, cutoff=cutoff, batch=batch)
            if not rows:
                return erased
            for visitor_id, unit_id in rows:
                files += case_data.erase_for_visitor(conn, visitor_id=visitor_id).files
                store.erase_visitor(conn, visitor_id=visitor_id, now=now)
                audit.record(
                    conn,
                    unit_id=unit_id,
                    actor=Actor(),
                    action="purge",
                    visitor_id=visitor_id,
                    reason="retention period ended",
                    now=now,
                )
        case_data.delete_files(settings.data_dir, files)
        erased += len(rows)


def purge(
    db: Database, *, settings: Settings, now: datetime | None = None, batch: int = BATCH
) -> PurgeResult:
    """Remove everything expired at ``now``; returns how much was removed."""
    moment = now or utcnow()
    cut = Cutoffs.at(moment, settings)
    photos = _delete_in_batches(
        db, lambda conn: store.delete_photos_before(conn, cutoff=cut.photo, batch=batch)
    )
    erased = _erase_unseen_visitors(
        db, settings=settings, cutoff=cut.guestbook, now=moment, batch=batch
    )
    held = case_data.purge_cases(db, settings=settings, now=moment, batch=batch)
    mails = case_data.purge_mail(db, settings=settings, now=moment, batch=batch)
    notes = _delete_in_batches(
        db, lambda conn: tickets.clear_notes_before(conn, cutoff=cut.guestbook, batch=batch)
    )
    audits = _delete_in_batches(
        db, lambda conn: audit.delete_before(conn, cutoff=cut.audit, batch=batch)
    )
    result = PurgeResult(
        photos,
        erased,
        audits,
        held.cases,
        held.complaints,
        held.attachments,
        mails,
        held.steps,
        notes,
    )
    if photos or erased or held.cases or mails or notes:
        erasure.reclaim_erased(db)
    if photos or erased or audits or held.cases or mails or notes:
        with db.write() as conn:
            audit.record(
                conn,
                unit_id=None,
                actor=Actor(),
                action="purge",
                detail=result.as_dict(),
                now=moment,
            )
    log.info("Retention purge: %s", result.as_dict())
    return result


async def retention_loop(
    db: Database, *, settings: Settings | None = None, first_delay: float = 60.0
) -> None:
    """Run :func:`purge` every ``retention_interval_hours`` until cancelled."""
    config = settings or get_settings()
    await asyncio.sleep(first_delay)
    while True:
        try:
            await asyncio.to_thread(purge, db, settings=config)
        except Exception as exc:  # keep the server up; the next run retries
            log.error("Retention purge failed: %s", type(exc).__name__)
        await asyncio.sleep(config.retention_interval_hours * 3600)


def start_retention_job(
    db: Database, settings: Settings, *, first_delay: float = 60.0
) -> asyncio.Task[None]:
    """Start the periodic purge (call inside the app's lifespan; cancel on exit)."""
    return asyncio.get_running_loop().create_task(
        retention_loop(db, settings=settings, first_delay=first_delay),
        name="loket-retention",
    )
