"""Personal data on cases, complaints, mails and attachments: retention and erasure.

:func:`purge_cases` clears the contact, form, complaint text and attachments of
cases closed more than ``retention_case_days`` ago, and :func:`purge_mail` the
recipient and bodies of mails sent (or failed) more than ``retention_mail_days``
ago; kind, steps, dates and outcome stay for reports. :func:`erase_for_visitor`
does the same, at once, for the cases opened from an erased visitor's tickets
and every mail about them. Attachment files are deleted by
:func:`delete_files` after the transaction commits. SQL lives in
:mod:`server.store.case_privacy`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Connection

from server.config import Settings
from server.db.database import Database
from server.files.attachments import path_of
from server.store import case_privacy as store

log = logging.getLogger("loket.privacy.cases")

FileRef = tuple[int, int]  # (unit_id, attachment_id)


@dataclass(frozen=True)
class Erased:
    """What a visitor's erasure removed besides the visitor."""

    cases: int
    mails: int
    files: list[FileRef]


def erase_for_visitor(conn: Connection, *, visitor_id: int) -> Erased:
    """Clear the visitor's cases and mails (before their visits are anonymised)."""
    ticket_ids = store.visitor_ticket_ids(conn, visitor_id=visitor_id)
    case_ids = store.case_ids_for_tickets(conn, ticket_ids=ticket_ids)
    files = store.erase_cases(conn, case_ids=case_ids)
    mails = store.erase_mails(conn, case_ids=case_ids, ticket_ids=ticket_ids)
    return Erased(cases=len(case_ids), mails=mails, files=files)


def delete_files(data_dir: Path, files: list[FileRef]) -> int:
    """Delete the attachments' encrypted files (after the commit); how many were there."""
    deleted = 0
    for unit_id, attachment_id in files:
        path = path_of(data_dir, unit_id, attachment_id)
        try:
            path.unlink()
            deleted += 1
        except FileNotFoundError:
            continue
        except OSError as exc:
            log.error("Could not delete attachment %s: %s", attachment_id, type(exc).__name__)
    return deleted


@dataclass(frozen=True)
class CasePurge:
    cases: int = 0
    complaints: int = 0
    attachments: int = 0


def case_cutoff(settings: Settings, now: datetime) -> datetime:
    return now - timedelta(days=settings.retention_case_days)


def mail_cutoff(settings: Settings, now: datetime) -> datetime:
    return now - timedelta(days=settings.retention_mail_days)


def expired(conn: Connection, *, settings: Settings, now: datetime) -> tuple[CasePurge, int]:
    """What :func:`purge_cases` and :func:`purge_mail` would clear at ``now``."""
    counts = store.count_expired_cases(conn, cutoff=case_cutoff(settings, now))
    mails = store.count_expired_mail(conn, cutoff=mail_cutoff(settings, now))
    return CasePurge(**counts), mails


def purge_cases(db: Database, *, settings: Settings, now: datetime, batch: int) -> CasePurge:
    """Clear expired closed cases, ``batch`` per transaction; their files after each commit."""
    cutoff = case_cutoff(settings, now)
    total = CasePurge()
    while True:
        with db.write() as conn:
            ids = store.expired_case_ids(conn, cutoff=cutoff, batch=batch)
            if not ids:
                return total
            texts, _ = store.count_case_data(conn, case_ids=ids)
            files = store.erase_cases(conn, case_ids=ids)
        delete_files(settings.data_dir, files)
        total = CasePurge(
            total.cases + len(ids), total.complaints + texts, total.attachments + len(files)
        )


def purge_mail(db: Database, *, settings: Settings, now: datetime, batch: int) -> int:
    cutoff = mail_cutoff(settings, now)
    cleared = 0
    while True:
        with db.write() as conn:
            n = store.clear_expired_mail(conn, cutoff=cutoff, batch=batch)
        if not n:
            return cleared
        cleared += n
