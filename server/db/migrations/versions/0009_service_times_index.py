"""Index finished tickets per service by finish time (wait estimate stays flat with history).

The wait estimate reads the last service durations of one service. Without an
index it scanned every finished ticket the unit ever had; with
``(service_id, status, finished_at)`` it reads about twenty index entries.

Revision ID: 0009
Revises: 0003
Create Date: 2026-12-01
"""

from alembic import op

revision = "0009"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tickets_service_finished", ["service_id", "status", "finished_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_service_finished")
