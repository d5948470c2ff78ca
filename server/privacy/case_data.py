"""Personal data on cases, complaints, mails and attachments: retention and erasure.

:func:`purge_cases` clears the contact, form, complaint text, step notes (and a
step's free-text fields) and attachments of cases closed more than
``retention_case_days`` ago, and :func:`purge_mail` the
recipient and bodies of mails sent (or failed) more than ``retention_mail_days``
ago; kind, step codes, dates, due dates and outcome stay for reports. :func:`erase_for_visitor`
does the same, at once, for the cases opened from an erased visitor's tickets
and every mail about them. Attachment files are deleted by
:func:`delete_files` after the transaction commits. :func:`export_for_visitor`
lists the same cases, complaints and mails for the visitor's data export. SQL
lives in :mod:`server.store.case_privacy`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection, RowMapping

from server.config import Settings
from server.db.database import Database
from server.domain import cases as rules
from server.files.attachments import path_of
from server.privacy.crypto import DecryptError, KeyRing, context
from server.privacy.visitors import UnreadableData
from server.store import case_privacy as store
from server.store.cases import CONTACT_FIELDS
from server.store.common import as_aware

log = logging.getLogger("loket.privacy.cases")

FileRef = tuple[int, int]  # (unit_id, attachment_id)


@dataclass(frozen=True)
class Erased:
    """What a visitor's erasure removed besides the visitor."""

    cases: int
    mails: int
    files: list[FileRef]
    steps: int = 0


def erase_for_visitor(conn: Connection, *, visitor_id: int) -> Erased:
    """Clear the visitor's cases and mails (before their visits are anonymised)."""
    ticket_ids = store.visitor_ticket_ids(conn, visitor_id=visitor_id)
    case_ids = store.case_ids_for_tickets(conn, ticket_ids=ticket_ids)
    steps = store.count_case_data(conn, case_ids=case_ids)["steps"]
    files = store.erase_cases(conn, case_ids=case_ids)
    mails = store.erase_mails(conn, case_ids=case_ids, ticket_ids=ticket_ids)
    return Erased(cases=len(case_ids), mails=mails, files=files, steps=steps)


def export_for_visitor(conn: Connection, *, ring: KeyRing, visitor_id: int) -> dict[str, Any]:
    """The visitor's cases, complaints and the mails about them, for their data export.

    The same cases and mails a visitor's erasure clears. A case lists its
    kind, status, dates, due date, contact and request form (while held) and
    each step with its date and the values addressed to the visitor (never
    staff notes or internal fields); a complaint also its channel and text; a
    mail its subject, template, status, dates, and recipient and text while
    still stored.
    """
    ticket_ids = store.visitor_ticket_ids(conn, visitor_id=visitor_id)
    case_ids = store.case_ids_for_tickets(conn, ticket_ids=ticket_ids)
    steps = store.steps_by_case(conn, case_ids=case_ids)
    filed = store.complaints_by_case(conn, case_ids=case_ids)
    requests: list[dict[str, Any]] = []
    complaints: list[dict[str, Any]] = []
    for case in store.cases_by_id(conn, case_ids=case_ids):
        entry = _case_out(ring, case, steps[case["id"]])
        complaint = filed.get(case["id"])
        if complaint is None:
            requests.append(entry)
            continue
        complaints.append(
            {
                **entry,
                "channel": complaint["channel"],
                "filed_at": as_aware(complaint["created_at"]),
                "first_response_due": complaint["first_response_due"],
                "text": _open(ring, complaint["text_ct"], "complaints", "text", complaint["id"]),
            }
        )
    mails = [
        {
            "id": m["id"],
            "case_id": m["case_id"],
            "template": m["template"],
            "subject": m["subject"],
            "status": m["status"],
            "created_at": as_aware(m["created_at"]),
            "sent_at": as_aware(m["sent_at"]),
            "to": _open(ring, m["to_ct"], "mail_outbox", "to", m["id"]),
            "body_text": m["body_text"] or None,
        }
        for m in store.mails_about(conn, case_ids=case_ids, ticket_ids=ticket_ids)
    ]
    return {"cases": requests, "complaints": complaints, "mails": mails}


def _open(ring: KeyRing, value: bytes | None, table: str, column: str, row_id: int) -> str | None:
    try:
        return ring.decrypt_text(value, aad=context(table, column, row_id))
    except DecryptError:
        raise UnreadableData(
            f"A {table} value cannot be decrypted; tell the administrator."
        ) from None


def _case_out(ring: KeyRing, case: RowMapping, steps: list[RowMapping]) -> dict[str, Any]:
    form = _open(ring, case["form_ct"], "cases", "form", case["id"])
    return {
        "id": case["id"],
        "kind": case["kind"],
        "status": case["status"],
        "current_step": case["current_step"],
        "opened_at": as_aware(case["opened_at"]),
        "due_date": case["due_date"],
        "closed_at": as_aware(case["closed_at"]),
        "outcome": case["outcome"],
        "contact": {
            f: _open(ring, case[f"{f}_ct"], "cases", f, case["id"]) for f in CONTACT_FIELDS
        },
        "request_form": None if form is None else json.loads(form),
        "steps": [
            {
                "step": s["step"],
                "at": as_aware(s["at"]),
                "values": rules.to_visitor(case["kind"], s["step"], dict(s["data"] or {})),
            }
            for s in steps
        ],
    }


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
    steps: int = 0  # steps whose note or free-text fields were cleared


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
            held = store.count_case_data(conn, case_ids=ids)
            files = store.erase_cases(conn, case_ids=ids)
        delete_files(settings.data_dir, files)
        total = CasePurge(
            total.cases + len(ids),
            total.complaints + held["complaints"],
            total.attachments + len(files),
            total.steps + held["steps"],
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
