"""ratings: ratings, rating_answers, rating_followups

Revision ID: 0006
Revises: 0009 (re-chained after merging main; written against 0003)
Create Date: 2026-12-01 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
# chain: 0003 -> 0009 -> 0006 -> 0004 -> 0005
down_revision = "0009"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("overall", sa.SmallInteger(), nullable=False),
        sa.Column("suggestion", sa.String(length=1000), server_default="", nullable=False),
        sa.Column("contact_me", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("followup_reasons", sa.JSON(), nullable=False),
        sa.Column("followup_text", sa.String(length=500), server_default="", nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint("overall BETWEEN 1 AND 4", name=op.f("ck_ratings_overall_scale")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_ratings_unit_id_units")),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ratings_ticket_id_tickets")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_ratings_service_id_services")
        ),
        sa.ForeignKeyConstraint(
            ["counter_id"], ["counters.id"], name=op.f("fk_ratings_counter_id_counters")
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_ratings_device_id_devices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratings")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_ratings_ticket_id")),
    )
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.create_index("ix_ratings_unit_day", ["unit_id", "day"], unique=False)

    op.create_table(
        "rating_answers",
        sa.Column("rating_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rating_id"], ["ratings.id"], name=op.f("fk_rating_answers_rating_id_ratings")
        ),
        sa.PrimaryKeyConstraint(
            "rating_id", "questionnaire", "code", name=op.f("pk_rating_answers")
        ),
    )

    op.create_table(
        "rating_followups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("element_code", sa.String(length=8), nullable=False),
        sa.Column("action", sa.String(length=500), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_rating_followups_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_rating_followups_service_id_services")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_rating_followups_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_followups")),
    )
    with op.batch_alter_table("rating_followups", schema=None) as batch_op:
        batch_op.create_index("ix_rating_followups_unit", ["unit_id", "period_from"], unique=False)


def downgrade() -> None:
    op.drop_table("rating_followups")
    op.drop_table("rating_answers")
    op.drop_table("ratings")
