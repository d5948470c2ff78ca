"""Durable outbox: registrations waiting for the server, sent exactly once.

When the server cannot be reached, the kiosk stores the registration body
(keyed by its ``client_request_id``) in a small SQLite file in its data folder
and tells the visitor to go to the front desk. :meth:`Outbox.flush` sends the
waiting entries in order; the server deduplicates on ``client_request_id``, so
a retry after a lost answer cannot make a second visit. An entry is deleted as
soon as the server accepted it (or refused it for good), together with any ID
photo inside it; SQLite's ``secure_delete`` overwrites the freed pages, so the
kiosk keeps no personal data after delivery. Only ids and error codes are logged.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.client import ApiResult, Outcome

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    client_request_id TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
)
"""


@dataclass(frozen=True)
class FlushReport:
    """What one flush did: delivered and dropped request ids, and how many still wait."""

    delivered: tuple[str, ...]
    dropped: tuple[str, ...]
    waiting: int


class Outbox:
    """A SQLite-backed queue of registration bodies, safe to use from several threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        with self._connect() as db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.execute("PRAGMA secure_delete = ON")
        db.execute("PRAGMA journal_mode = DELETE")
        db.execute("PRAGMA synchronous = FULL")
        return db

    def add(self, payload: dict[str, Any]) -> None:
        """Store a registration; the same ``client_request_id`` twice is kept once."""
        request_id = str(payload["client_request_id"])
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO outbox (client_request_id, payload, created_at) "
                "VALUES (?, ?, ?)",
                (request_id, json.dumps(payload), time.time()),
            )
        log.info("registration %s stored in the outbox", request_id)

    def pending(self) -> list[dict[str, Any]]:
        """The waiting registration bodies, oldest first."""
        with self._lock, self._connect() as db:
            rows = db.execute("SELECT payload FROM outbox ORDER BY created_at, rowid").fetchall()
        return [json.loads(row[0]) for row in rows]

    def count(self) -> int:
        with self._lock, self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def remove(self, request_id: str) -> None:
        with self._lock, self._connect() as db:
            db.execute("DELETE FROM outbox WHERE client_request_id = ?", (request_id,))

    def _failed(self, request_id: str, code: str) -> None:
        with self._lock, self._connect() as db:
            db.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? "
                "WHERE client_request_id = ?",
                (code, request_id),
            )

    def flush(self, send: Callable[[dict[str, Any]], ApiResult]) -> FlushReport:
        """Send waiting entries in order until one fails for a transient reason.

        Accepted entries are deleted. An entry the server refuses for good (4xx)
        is deleted too — keeping personal data it will never accept helps no one;
        the visitor was already sent to the front desk. Only one flush runs at a time.
        """
        delivered: list[str] = []
        dropped: list[str] = []
        if not self._flush_lock.acquire(blocking=False):
            return FlushReport((), (), self.count())
        try:
            for payload in self.pending():
                request_id = str(payload["client_request_id"])
                result = send(payload)
                if result.ok:
                    self.remove(request_id)
                    delivered.append(request_id)
                    continue
                if result.transient or result.outcome == Outcome.UNAUTHORIZED:
                    # offline, or the device token needs fixing: keep it and retry later
                    self._failed(request_id, result.outcome.value)
                    break
                log.warning(
                    "registration %s refused by the server (%s); dropped",
                    request_id,
                    result.error_code or result.status,
                )
                self.remove(request_id)
                dropped.append(request_id)
        finally:
            self._flush_lock.release()
        if delivered:
            log.info("outbox delivered %d registration(s)", len(delivered))
        return FlushReport(tuple(delivered), tuple(dropped), self.count())
