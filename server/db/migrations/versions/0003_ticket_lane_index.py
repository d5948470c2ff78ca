"""Index the call-next lane in arrival order (replaces ix_tickets_queue).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_queue")
        batch_op.create_index(
            "ix_tickets_lane", ["unit_id", "status", "priority", "queued_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_lane")
        batch_op.create_index(
            "ix_tickets_queue",
            ["unit_id", "status", "service_id", "priority", "issued_at"],
            unique=False,
        )
