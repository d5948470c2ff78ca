"""Index each service's waiting lane (people ahead is counted from the index alone).

Issuing a ticket counts the people ahead of it in its service. With only
``ix_tickets_service_finished`` SQLite found the waiting tickets through that
index and then read every one of their rows; with
``(unit_id, service_id, status, priority, queued_at, id)`` the count, and the
people-ahead read of a stored ticket, never leave the index.

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-02
"""

from alembic import op

revision = "0011"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tickets_service_lane",
            ["unit_id", "service_id", "status", "priority", "queued_at", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_service_lane")
