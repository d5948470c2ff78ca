"""Bring a database to the newest schema with Alembic (used by the CLI and tests).

Most starts find the schema already current. That is checked without importing
Alembic (with Mako and Pygments it costs a tenth of a second of every start): the
newest revision id is read from the migration files and compared with the
database's ``alembic_version`` row. Anything else — an empty database, an older
schema, a branch — goes through Alembic's ``upgrade``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_ASSIGNMENT = re.compile(r'^(revision|down_revision)\s*=\s*"([^"]+)"\s*$', re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@cache
def head_revision() -> str | None:
    """The one revision no migration builds on, or None when that is not plain to see."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((key, value) for key, value in _ASSIGNMENT.findall(path.read_text()))
        if "revision" not in found:
            return None  # a shape this reader does not know: let Alembic decide
        revisions.add(found["revision"])
        if "down_revision" in found:
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def is_current(engine: Engine) -> bool:
    """True when the database is at the newest revision (no Alembic import needed)."""
    head = head_revision()
    if head is None:
        return False
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return False
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
        return list(versions) == [head]


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to ``revision``; safe to run on an up-to-date database."""
    if revision == "head" and is_current(engine):
        return
    from alembic import command

    config = alembic_config()
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        # "heads": parallel branches (each from the same parent, before the lead
        # chains them) all apply; with one head this is the same as "head".
        command.upgrade(config, "heads" if revision == "head" else revision)
        conn.commit()
