"""personal data: visitors, visits, id_photos, audit_log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "visitors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=True),
        sa.Column("name_ct", sa.LargeBinary(), nullable=True),
        sa.Column("email_ct", sa.LargeBinary(), nullable=True),
        sa.Column("phone_ct", sa.LargeBinary(), nullable=True),
        sa.Column("id_number_ct", sa.LargeBinary(), nullable=True),
        sa.Column("id_type", sa.String(length=16), nullable=True),
        sa.Column("id_hash", sa.String(length=64), nullable=True),
        sa.Column("email_hash", sa.String(length=64), nullable=True),
        sa.Column("sex", sa.String(length=16), nullable=True),
        sa.Column("age_group", sa.String(length=16), nullable=True),
        sa.Column("education", sa.String(length=32), nullable=True),
        sa.Column("occupation", sa.String(length=32), nullable=True),
        sa.Column("institution", sa.String(length=200), nullable=True),
        sa.Column("institution_category", sa.String(length=40), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("last_visit_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_visitors_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visitors")),
    )
    with op.batch_alter_table("visitors", schema=None) as batch_op:
        batch_op.create_index("ix_visitors_unit_id_hash", ["unit_id", "id_hash"], unique=False)
        batch_op.create_index(
            "ix_visitors_unit_email_hash", ["unit_id", "email_hash"], unique=False
        )
        batch_op.create_index("ix_visitors_key_id", ["key_id"], unique=False)
        batch_op.create_index("ix_visitors_last_visit", ["unit_id", "last_visit_at"], unique=False)

    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("visitor_id", sa.Integer(), nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("client_request_id", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=8), server_default="id", nullable=False),
        sa.Column("notice_version", sa.String(length=32), nullable=False),
        sa.Column("consent_at", TS, nullable=False),
        sa.Column("photo_consent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("sex", sa.String(length=16), nullable=True),
        sa.Column("age_group", sa.String(length=16), nullable=True),
        sa.Column("education", sa.String(length=32), nullable=True),
        sa.Column("occupation", sa.String(length=32), nullable=True),
        sa.Column("institution_category", sa.String(length=40), nullable=True),
        sa.Column("purpose", sa.String(length=40), nullable=True),
        sa.Column("id_type", sa.String(length=16), nullable=True),
        sa.Column("anonymised_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_visits_unit_id_units")),
        sa.ForeignKeyConstraint(
            ["visitor_id"], ["visitors.id"], name=op.f("fk_visits_visitor_id_visitors")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_visits_service_id_services")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
        sa.UniqueConstraint("unit_id", "client_request_id", name="uq_visits_unit_request"),
    )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index("ix_visits_unit_day", ["unit_id", "day"], unique=False)
        batch_op.create_index("ix_visits_visitor", ["visitor_id"], unique=False)

    op.create_table(
        "id_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("visitor_id", sa.Integer(), nullable=True),
        sa.Column("key_id", sa.String(length=32), nullable=True),
        sa.Column("photo_ct", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_id_photos_unit_id_units")),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_id_photos_visit_id_visits")
        ),
        sa.ForeignKeyConstraint(
            ["visitor_id"], ["visitors.id"], name=op.f("fk_id_photos_visitor_id_visitors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_id_photos")),
    )
    with op.batch_alter_table("id_photos", schema=None) as batch_op:
        batch_op.create_index("ix_id_photos_visit", ["visit_id"], unique=False)
        batch_op.create_index("ix_id_photos_key_id", ["key_id"], unique=False)
        batch_op.create_index("ix_id_photos_created", ["created_at"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("visitor_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("fields", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_unit_at", ["unit_id", "at"], unique=False)
        batch_op.create_index("ix_audit_log_visitor", ["visitor_id"], unique=False)


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("id_photos")
    op.drop_table("visits")
    op.drop_table("visitors")
