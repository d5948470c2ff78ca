"""rating_contacts: who marked a "contact me" rating handled, and when

(The id 0010 was given off 0007; 0011 reached main first, so 0010 follows it.)

Revision ID: 0010
Revises: 0011
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rating_contacts",
        sa.Column("rating_id", sa.Integer(), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rating_id"], ["ratings.id"], name=op.f("fk_rating_contacts_rating_id_ratings")
        ),
        sa.ForeignKeyConstraint(
            ["handled_by"], ["users.id"], name=op.f("fk_rating_contacts_handled_by_users")
        ),
        sa.PrimaryKeyConstraint("rating_id", name=op.f("pk_rating_contacts")),
    )


def downgrade() -> None:
    op.drop_table("rating_contacts")
