"""events.tx: the writing transaction of each event (PostgreSQL), for commit-order-safe streams

Live streams on PostgreSQL deliver events in ``(tx, id)`` order and only those
whose transaction is older than every transaction still running (see
``server/store/events.py``); that replaces the per-unit advisory lock.

Existing rows get ``tx = 0`` on PostgreSQL without a table rewrite (a column
added with a constant default keeps it as the rows' stored "missing" value,
and dropping the default afterwards leaves them at 0); they sort before every
new event in the order their ids were given, which the old lock made commit
order. SQLite keeps ``tx`` NULL: its one write lock already commits in id order.
The index is partial (``tx IS NOT NULL``), so on SQLite it stays empty and costs
an insert nothing.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.add_column("events", sa.Column("tx", sa.BigInteger(), nullable=True, server_default="0"))
        op.alter_column("events", "tx", server_default=None)
    else:
        with op.batch_alter_table("events", schema=None) as batch_op:
            batch_op.add_column(sa.Column("tx", sa.BigInteger(), nullable=True))
    op.create_index(
        "ix_events_unit_tx",
        "events",
        ["unit_id", "tx", "id"],
        unique=False,
        postgresql_where=sa.text("tx IS NOT NULL"),
        sqlite_where=sa.text("tx IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_events_unit_tx", table_name="events")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("tx")
