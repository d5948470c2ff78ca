"""Alembic environment: runs migrations against the URL given by ``server.db.migrate``."""

from __future__ import annotations

from alembic import context

import server.db.admin_schema  # registers the password-reset table
import server.db.cases_schema  # registers the case, mail and complaint tables
import server.db.privacy_schema  # noqa: F401  (registers the personal-data tables)
from server.db import ratings_schema  # noqa: F401  (registers the rating tables)
from server.db.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - Alembic CLI use
    raise RuntimeError("Run migrations through `loket migrate` (server.db.migrate).")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
