"""The daily reminder: one e-mail per responsible staff member listing their open
cases and complaints that are near (``case_near_limit_days``) or past due.

Idempotent per local day: a member already reminded today is skipped, so the
hourly job and an admin's manual run never send twice. Staff addresses come
from the unit setting ``cases.staff_emails`` (``{"<username>": "<address>"}``)
until user accounts carry an e-mail of their own.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from server.config import Settings
from server.db.database import Database
from server.i18n import t
from server.mail.messages import compose
from server.privacy.crypto import KeyRing
from server.store import cases as case_store
from server.store import mail_outbox, units
from server.store.accounts import get_user
from server.store.common import utcnow

log = logging.getLogger(__name__)
TEMPLATE = "reminder"


def queue_reminders(
    db: Database, *, settings: Settings, ring: KeyRing, unit_id: int, now: datetime | None = None
) -> int:
    """Queue today's reminders for ``unit_id``; returns how many were queued."""
    moment = now or utcnow()
    queued = 0
    with db.write() as conn:
        unit = units.get_unit(conn, unit_id=unit_id)
        zone = ZoneInfo(unit["timezone"])
        local = moment.astimezone(zone)
        today = local.date()
        day_start = datetime.combine(today, time(0, 0), zone).astimezone(UTC)
        addresses = dict((unit["settings"] or {}).get("cases", {}).get("staff_emails", {}))
        for user_id, rows in case_store.open_cases_by_responsible(conn, unit_id=unit_id).items():
            user = get_user(conn, user_id=user_id)
            address = addresses.get(user["username"])
            if not address:
                continue
            urgent = []
            for row in rows:
                clocked = case_store.with_clock(
                    conn, case=row, today=today, near_days=settings.case_near_limit_days
                )
                if clocked["clock"] in ("near", "overdue"):
                    urgent.append((clocked, clocked["days_left"]))
            if not urgent:
                continue
            if mail_outbox.already_queued(
                conn, unit_id=unit_id, template=TEMPLATE, user_id=user_id, since=day_start
            ):
                continue
            lines = [
                t(
                    "cases.mail_reminder_line",
                    "id",
                    id=row["id"],
                    kind=t(f"cases.kind_{row['kind']}", "id"),
                    step=t(f"cases.step_{row['current_step']}", "id"),
                    due=row["deadline"].isoformat(),
                    left=left,
                )
                for row, left in urgent
            ]
            message = compose(
                TEMPLATE,
                "id",
                office=case_store.office_of(unit),
                link=f"{settings.public_base_url.rstrip('/')}/cases",
                lines=lines,
                count=len(urgent),
            )
            mail_outbox.enqueue(
                conn,
                ring=ring,
                unit_id=unit_id,
                to=address,
                language="id",
                template=TEMPLATE,
                message=message,
                user_id=user_id,
                now=moment,
            )
            queued += 1
    return queued


class ReminderJob:
    """Runs :func:`queue_reminders` for every unit once an hour after opening time."""

    def __init__(
        self, db: Database, settings: Settings, ring: KeyRing, open_at: time = time(7, 30)
    ):
        self.db, self.settings, self.ring, self.open_at = db, settings, ring, open_at
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="loket-reminders", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(60):
            try:
                self.run_once()
            except Exception as exc:  # the next hour tries again
                log.error("reminder job error: %s", type(exc).__name__)
            self._stop.wait(3600)

    def run_once(self) -> int:
        with self.db.read() as conn:
            unit_rows = case_store.units_with_open_cases(conn)
        total = 0
        for unit_id, zone in unit_rows:
            if utcnow().astimezone(ZoneInfo(zone)).time() >= self.open_at:
                total += queue_reminders(
                    self.db, settings=self.settings, ring=self.ring, unit_id=unit_id
                )
        return total
