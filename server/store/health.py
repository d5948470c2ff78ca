"""Whether the database answers, for ``GET /health``."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from server.db.database import Database


def database_reachable(db: Database) -> bool:
    """True when the database answers a trivial query."""
    try:
        with db.read() as conn:
            conn.execute(sa.text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
