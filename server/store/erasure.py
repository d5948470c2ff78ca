"""Making an erasure final on disk, after the transaction that deleted the rows.

Deleting a row does not remove its bytes: SQLite keeps old page images in the
WAL and freed space in the file, PostgreSQL keeps dead tuples in the table
files. :func:`reclaim_erased` runs right after an erasure or a retention purge
has committed: on SQLite (where every connection has ``secure_delete=ON``, so
deleted content is overwritten with zeros) it checkpoints the WAL into the file
and truncates the WAL; on PostgreSQL it rewrites the personal-data tables
(``VACUUM FULL``), so the table files no longer hold the deleted tuples. What
remains elsewhere (PostgreSQL's WAL segments, backups) is listed in
docs/privacy.md.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from server.db.database import Database

log = logging.getLogger("loket.privacy")

#: tables that hold personal data (ciphertexts, look-up hashes)
PERSONAL_TABLES = ("visitors", "id_photos")


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
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            tables = ", ".join(conn.dialect.identifier_preparer.quote(t) for t in PERSONAL_TABLES)
            conn.execute(sa.text(f"VACUUM FULL {tables}"))
        return True
    return False  # pragma: no cover - only SQLite and PostgreSQL are supported
