"""Table definitions (SQLAlchemy Core), shared by the store and Alembic.

The same schema runs on SQLite and PostgreSQL. Timestamps are stored as
timezone-aware UTC; a ticket's ``day`` is the unit's local calendar day, used
for the daily number reset.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Timestamp = sa.DateTime(timezone=True)

units = sa.Table(
    "units",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("address", sa.String(400), nullable=False, server_default=""),
    sa.Column("phone", sa.String(40), nullable=False, server_default=""),
    sa.Column("email", sa.String(200), nullable=False, server_default=""),
    sa.Column("timezone", sa.String(64), nullable=False, server_default="Asia/Jakarta"),
    sa.Column("settings", sa.JSON, nullable=False, default=dict),
    sa.Column("created_at", Timestamp, nullable=False),
)

services = sa.Table(
    "services",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("code", sa.String(40), nullable=False),
    sa.Column("prefix", sa.String(2), nullable=False),
    sa.Column("name_id", sa.String(200), nullable=False),
    sa.Column("name_en", sa.String(200), nullable=False),
    sa.Column("description_id", sa.String(400), nullable=False, server_default=""),
    sa.Column("description_en", sa.String(400), nullable=False, server_default=""),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("sort_order", sa.Integer, nullable=False, server_default="0"),
    sa.Column("case_kind", sa.String(40), nullable=True),  # the case a visit opens (admin)
    sa.UniqueConstraint("unit_id", "prefix", name="uq_services_unit_prefix"),
    sa.UniqueConstraint("unit_id", "code", name="uq_services_unit_code"),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("username", sa.String(80), nullable=False, unique=True),
    sa.Column("full_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", Timestamp, nullable=False),
)

counters = sa.Table(
    "counters",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("paused", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("staff_user_id", sa.ForeignKey("users.id"), nullable=True),
    sa.Column("priority_streak", sa.Integer, nullable=False, server_default="0"),
    sa.UniqueConstraint("unit_id", "number", name="uq_counters_unit_number"),
)

counter_services = sa.Table(
    "counter_services",
    metadata,
    sa.Column("counter_id", sa.ForeignKey("counters.id"), primary_key=True),
    sa.Column("service_id", sa.ForeignKey("services.id"), primary_key=True),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("expires_at", Timestamp, nullable=False),
)

devices = sa.Table(
    "devices",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("last_seen_at", Timestamp, nullable=True),
    sa.Column("status", sa.JSON, nullable=True),
)

ticket_sequences = sa.Table(
    "ticket_sequences",
    metadata,
    sa.Column("service_id", sa.ForeignKey("services.id"), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("last_number", sa.Integer, nullable=False),
)

tickets = sa.Table(
    "tickets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("service_id", sa.ForeignKey("services.id"), nullable=False),
    sa.Column("issued_service_id", sa.ForeignKey("services.id"), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("number", sa.String(8), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("priority", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("priority_reason", sa.String(32), nullable=True),
    sa.Column("counter_id", sa.ForeignKey("counters.id"), nullable=True),
    sa.Column("target_counter_id", sa.ForeignKey("counters.id"), nullable=True),
    sa.Column("visit_id", sa.Integer, nullable=True),
    sa.Column("client_request_id", sa.String(64), nullable=True),
    sa.Column("tracking_token", sa.String(32), nullable=False, unique=True),
    sa.Column("issued_at", Timestamp, nullable=False),
    sa.Column("queued_at", Timestamp, nullable=False),
    sa.Column("called_at", Timestamp, nullable=True),
    sa.Column("started_at", Timestamp, nullable=True),
    sa.Column("finished_at", Timestamp, nullable=True),
    sa.Column("recall_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("served_by_user_id", sa.ForeignKey("users.id"), nullable=True),
    sa.Column("note", sa.String(500), nullable=True),
    sa.UniqueConstraint("issued_service_id", "day", "seq", name="uq_tickets_service_day_seq"),
    sa.UniqueConstraint("unit_id", "client_request_id", name="uq_tickets_unit_request"),
    # call-next walks one lane in arrival order: WHERE unit, status, priority ORDER BY queued_at
    sa.Index("ix_tickets_lane", "unit_id", "status", "priority", "queued_at", "id"),
    sa.Index("ix_tickets_unit_day", "unit_id", "day"),
    # the wait estimate reads one service's latest finished tickets (flat with history)
    sa.Index("ix_tickets_service_finished", "service_id", "status", "finished_at"),
    # people ahead: one service's waiting lane counted from the index alone
    sa.Index(
        "ix_tickets_service_lane", "unit_id", "service_id", "status", "priority", "queued_at", "id"
    ),
)

ticket_transitions = sa.Table(
    "ticket_transitions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ticket_id", sa.ForeignKey("tickets.id"), nullable=False, index=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("from_status", sa.String(16), nullable=True),
    sa.Column("to_status", sa.String(16), nullable=False),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=True),
    sa.Column("device_id", sa.ForeignKey("devices.id"), nullable=True),
    sa.Column("counter_id", sa.ForeignKey("counters.id"), nullable=True),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("note", sa.String(500), nullable=True),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    # PostgreSQL: the writing transaction's id (store/events.py); NULL on SQLite.
    sa.Column("tx", sa.BigInteger, nullable=True),
    sa.Index("ix_events_unit_id", "unit_id", "id"),
    sa.Index(
        "ix_events_unit_tx",
        "unit_id",
        "tx",
        "id",
        postgresql_where=sa.text("tx IS NOT NULL"),
        sqlite_where=sa.text("tx IS NOT NULL"),
    ),
)
