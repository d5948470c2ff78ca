"""The background mail worker: sends what the outbox holds, never blocking a request.

One daemon thread per server process polls the outbox every
``mail_poll_seconds`` (or at once when :meth:`MailWorker.wake` is called after
a commit), claims due rows in a short write transaction, sends each outside
any transaction, then records the result. Temporary failures back off
(``mail_retry_base_seconds`` doubled per attempt, capped); after
``mail_max_attempts`` or a refusal the row is ``failed`` with the reason.
Nothing here logs an address or a message body.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from server.config import Settings
from server.db.database import Database
from server.mail.sender import PermanentFailure, SmtpConfig, TemporaryFailure, build_message, send
from server.privacy.crypto import KeyRing
from server.store import mail_outbox
from server.store.common import utcnow

log = logging.getLogger(__name__)


def smtp_config(settings: Settings) -> SmtpConfig:
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        security=settings.smtp_security,
        user=settings.smtp_user,
        password=settings.smtp_password,
        sender=settings.mail_from,
        timeout=settings.smtp_timeout_seconds,
        ca_file=settings.smtp_ca_file,
    )


class MailWorker:
    """Sends queued mail in the background until :meth:`stop`."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        ring: Callable[[], KeyRing],
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.settings = settings
        self.ring = ring
        self.clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self.db.write() as conn:
            interrupted = mail_outbox.recover_interrupted(conn)
        if interrupted:
            log.warning(
                "mail: %d message(s) were interrupted while sending; marked failed", interrupted
            )
        self._thread = threading.Thread(target=self._run, name="loket-mail", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                while self.run_once() and not self._stop.is_set():
                    pass
            except Exception as exc:  # keep the worker alive; the row stays in the outbox
                log.error("mail worker error: %s", type(exc).__name__)
            self._wake.wait(self.settings.mail_poll_seconds)
            self._wake.clear()

    def run_once(self) -> int:
        """Send every message due now; returns how many were tried."""
        ring = self.ring()
        with self.db.write() as conn:
            batch = mail_outbox.claim_due(conn, ring=ring, now=self.clock())
        config = smtp_config(self.settings)
        for item in batch:
            self._deliver(config, item)
        return len(batch)

    def _deliver(self, config: SmtpConfig, item: mail_outbox.Claimed) -> None:
        message = build_message(
            config,
            to=item.to,
            subject=item.subject,
            text=item.text,
            html=item.html,
            message_id=item.message_id,
        )
        try:
            send(config, message)
        except PermanentFailure as exc:
            with self.db.write() as conn:
                mail_outbox.mark_failed(conn, mail_id=item.id, error=str(exc))
            log.warning("mail %d refused: %s", item.id, exc)
            return
        except TemporaryFailure as exc:
            with self.db.write() as conn:
                if item.attempts >= self.settings.mail_max_attempts:
                    mail_outbox.mark_failed(
                        conn,
                        mail_id=item.id,
                        error=f"gave up after {item.attempts} attempts: {exc}",
                    )
                else:
                    delay = mail_outbox.backoff(
                        item.attempts,
                        base=self.settings.mail_retry_base_seconds,
                        cap=self.settings.mail_retry_max_seconds,
                    )
                    mail_outbox.mark_retry(
                        conn, mail_id=item.id, error=str(exc), next_attempt_at=self.clock() + delay
                    )
            return
        with self.db.write() as conn:
            mail_outbox.mark_sent(conn, mail_id=item.id, now=self.clock())
