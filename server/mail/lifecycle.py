"""Start and stop the mail worker and the daily reminder job with the app.

The worker runs only when SMTP is configured (``LOKET_SMTP_HOST``); queued
mail simply waits in the outbox otherwise. Both run on daemon threads, so no
request ever waits for an SMTP server.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI

from server.config import Settings
from server.db.database import Database
from server.mail.reminders import ReminderJob
from server.mail.worker import MailWorker
from server.privacy.crypto import KeyRing
from server.privacy.keys import key_file_for


def start_mail_jobs(app: FastAPI) -> Callable[[], None]:
    settings: Settings = app.state.settings
    db: Database = app.state.db
    if not settings.mail_enabled:
        app.state.mail_worker = None
        return lambda: None

    def ring() -> KeyRing:
        return key_file_for(settings.resolved_key_file).ring()

    worker = MailWorker(db, settings, ring)
    worker.start()
    reminders = ReminderJob(db, settings, ring())
    reminders.start()
    app.state.mail_worker = worker

    def stop() -> None:
        reminders.stop()
        worker.stop()

    return stop
