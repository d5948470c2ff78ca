"""PostgreSQL LISTEN loop: wakes this process when any server process commits a change.

With several server processes behind a load balancer, a change written by one
process reaches SSE clients of all of them through ``NOTIFY loket_events``.
"""

from __future__ import annotations

import logging
import threading

from server.db.database import NOTIFY_CHANNEL
from server.events.notifier import Notifier

log = logging.getLogger(__name__)


class PostgresListener:
    def __init__(self, dsn: str, notifier: Notifier) -> None:
        self.dsn = dsn.replace("postgresql+psycopg://", "postgresql://")
        self.notifier = notifier
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="loket-pg-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=3)

    def _run(self) -> None:
        import psycopg  # only PostgreSQL servers pay for importing the driver

        while not self._stop.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=1.0):
                            if note.payload.isdigit():
                                self.notifier.wake([int(note.payload)])
            except psycopg.Error as exc:
                log.warning(
                    "PostgreSQL listener lost its connection (%s); retrying", type(exc).__name__
                )
                self._stop.wait(2.0)
