"""Making an erasure final on disk, after the transaction that deleted the rows.

Deleting a row does not remove its bytes: SQLite keeps old page images in the
WAL and freed space in the file, PostgreSQL keeps dead tuples in the table
files. :func:`reclaim_erased` runs right after an erasure or a retention purge
has committed: on SQLite (where every connection has ``secure_delete=ON``, so
deleted content is overwritten with zeros) it checkpoints the WAL into the file
and truncates the WAL; on PostgreSQL it rewrites the personal-data tables
(``VACUUM FULL``), so the table files no longer hold the deleted tuples; while
another transaction's snapshot still sees them, VACUUM must keep them, so it
retries for a few seconds. What
remains elsewhere (PostgreSQL's WAL segments, backups) is listed in
docs/privacy.md.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import sqlalchemy as sa

from server.db.database import Database

log = logging.getLogger("loket.privacy")

#: tables that hold personal data (ciphertexts, look-up hashes)
PERSONAL_TABLES = (
    "visitors",
    "id_photos",
    "cases",
    "case_steps",
    "complaints",
    "mail_outbox",
    "attachments",
)


PG_ATTEMPTS = 8
_KEPT = re.compile(r"(\d+) dead row versions cannot be removed yet")


def _vacuum_full(db: Database) -> int:
    """Rewrite the personal tables; how many dead rows an open snapshot made it keep."""
    kept = 0

    def on_notice(diag: Any) -> None:
        nonlocal kept
        found = _KEPT.search(f"{diag.message_primary} {diag.message_detail}")
        kept += int(found.group(1)) if found else 0

    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.add_notice_handler(on_notice)
        try:
            for table in PERSONAL_TABLES:
                name = conn.dialect.identifier_preparer.quote(table)
                conn.execute(sa.text(f"VACUUM (FULL, VERBOSE) {name}"))
        finally:
            raw.remove_notice_handler(on_notice)
    return kept


def reclaim_erased(db: Database) -> bool:
    """Remove deleted personal rows' bytes from the database files; True if done."""
    if db.is_sqlite:
        raw = db.engine.raw_connection()  # autocommit: no snapshot of our own held open
        try:
            cur = raw.cursor()
            busy, _, _ = cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            cur.close()
        finally:
            raw.close()
        if busy:
            log.warning("WAL checkpoint after an erasure was busy; SQLite will finish it later.")
        return not busy
    if db.is_postgres:
        for attempt in range(PG_ATTEMPTS):
            if _vacuum_full(db) == 0:
                return True
            time.sleep(0.2 * (attempt + 1))  # another snapshot still sees the rows: wait
        log.warning(
            "Erased rows are still visible to an open transaction; "
            "they leave the table files at the next erasure or retention purge."
        )
        return False
    return False  # pragma: no cover - only SQLite and PostgreSQL are supported
