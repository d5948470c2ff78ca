"""Tables of the exit rating: ratings, their answers by element code, follow-up plans.

Defined on the shared :data:`server.db.schema.metadata`. A rating belongs to
one served ticket (``uq_ratings_ticket_id``: the second of two concurrent
submissions fails on the constraint and is answered 409). It copies the
ticket's service, counter and local day so reports group without joins on
personal data; the respondent profile comes from the visit through the ticket.
Each answer records the questionnaire and version it was given under, keyed by
element code (U1..U9, K1..K4, D01..D16), so reports never mix questions.
A "contact me" rating that staff have followed up gets one
``rating_contacts`` row (who marked it handled, and when).
"""

from __future__ import annotations

import sqlalchemy as sa

from server.db.schema import Timestamp, metadata

ratings = sa.Table(
    "ratings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("ticket_id", sa.ForeignKey("tickets.id"), nullable=False, unique=True),
    sa.Column("service_id", sa.ForeignKey("services.id"), nullable=False),
    sa.Column("counter_id", sa.ForeignKey("counters.id"), nullable=True),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("overall", sa.SmallInteger, nullable=False),
    sa.Column("suggestion", sa.String(1000), nullable=False, server_default=""),
    sa.Column("contact_me", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("followup_reasons", sa.JSON, nullable=False, default=list),
    sa.Column("followup_text", sa.String(500), nullable=False, server_default=""),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("device_id", sa.ForeignKey("devices.id"), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.CheckConstraint("overall BETWEEN 1 AND 4", name="overall_scale"),
    sa.Index("ix_ratings_unit_day", "unit_id", "day"),
)

rating_answers = sa.Table(
    "rating_answers",
    metadata,
    sa.Column("rating_id", sa.ForeignKey("ratings.id"), primary_key=True),
    sa.Column("questionnaire", sa.String(16), primary_key=True),
    sa.Column("code", sa.String(8), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("score", sa.SmallInteger, nullable=False),
)

rating_followups = sa.Table(
    "rating_followups",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("service_id", sa.ForeignKey("services.id"), nullable=True),
    sa.Column("period_from", sa.Date, nullable=False),
    sa.Column("period_to", sa.Date, nullable=False),
    sa.Column("element_code", sa.String(8), nullable=False),
    sa.Column("action", sa.String(500), nullable=False),
    sa.Column("owner", sa.String(200), nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("done", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_by", sa.ForeignKey("users.id"), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Index("ix_rating_followups_unit", "unit_id", "period_from"),
)

rating_contacts = sa.Table(
    "rating_contacts",
    metadata,
    sa.Column("rating_id", sa.ForeignKey("ratings.id"), primary_key=True),
    sa.Column("handled_at", Timestamp, nullable=False),
    sa.Column("handled_by", sa.ForeignKey("users.id"), nullable=False),
)
