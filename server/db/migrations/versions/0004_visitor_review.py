"""Visitors registered at a kiosk with a known ID but new contact values await staff review.

Revision ID: 0004
Revises: 0006 (written on 0003; re-chained after the head of main, 0003 → 0009 → 0006)
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visitors", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("needs_review", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("review_of", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visitors", schema=None) as batch_op:
        batch_op.drop_column("review_of")
        batch_op.drop_column("needs_review")
