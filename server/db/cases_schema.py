"""Tables for requests (cases), their steps, the unit calendar, the mail outbox,
complaints and attachments.

Defined on the shared :data:`server.db.schema.metadata`. Personal values (the
visitor's name, e-mail and phone on a case or complaint, the request form's
content, a complaint's text, a mail's recipient, an attachment's bytes) are
stored only as AES-GCM ciphertext (``*_ct`` columns, :mod:`server.privacy.crypto`)
with the id of the key that sealed them in ``key_id``.
"""

from __future__ import annotations

import sqlalchemy as sa

from server.db.schema import Timestamp, metadata

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # open | closed
    sa.Column("current_step", sa.String(40), nullable=False),
    sa.Column("ticket_id", sa.ForeignKey("tickets.id"), nullable=True),
    sa.Column("service_id", sa.ForeignKey("services.id"), nullable=True),
    sa.Column("tracking_token", sa.String(32), nullable=False, unique=True),
    sa.Column("language", sa.String(8), nullable=False, server_default="id"),
    sa.Column("organiser_type", sa.String(16), nullable=True),
    sa.Column("title", sa.String(300), nullable=False, server_default=""),
    sa.Column("key_id", sa.String(32), nullable=True),
    sa.Column("name_ct", sa.LargeBinary, nullable=True),
    sa.Column("email_ct", sa.LargeBinary, nullable=True),
    sa.Column("phone_ct", sa.LargeBinary, nullable=True),
    sa.Column("form_ct", sa.LargeBinary, nullable=True),
    sa.Column("responsible_user_id", sa.ForeignKey("users.id"), nullable=True),
    sa.Column("opened_at", Timestamp, nullable=False),
    sa.Column("clock_start", sa.Date, nullable=True),
    sa.Column("due_days", sa.Integer, nullable=False),
    sa.Column("due_date", sa.Date, nullable=True),
    sa.Column("outcome", sa.String(32), nullable=True),
    sa.Column("rounds", sa.Integer, nullable=False, server_default="0"),
    sa.Column("closed_at", Timestamp, nullable=True),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.UniqueConstraint("ticket_id", name="uq_cases_ticket_id"),
    sa.Index("ix_cases_unit_status_due", "unit_id", "status", "due_date"),
)

case_steps = sa.Table(
    "case_steps",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("case_id", sa.ForeignKey("cases.id"), nullable=False, index=True),
    sa.Column("step", sa.String(40), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("system", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("recorded_at", Timestamp, nullable=False),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=True),
    sa.Column("note", sa.String(1000), nullable=True),
    sa.Column("data", sa.JSON, nullable=False, default=dict),
    sa.UniqueConstraint("case_id", "seq", name="uq_case_steps_case_seq"),
)

calendar_days = sa.Table(
    "calendar_days",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("change", sa.String(8), nullable=False),  # add (day off) | remove (working day)
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.UniqueConstraint("unit_id", "day", name="uq_calendar_days_unit_day"),
)

mail_outbox = sa.Table(
    "mail_outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("template", sa.String(40), nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("key_id", sa.String(32), nullable=True),
    sa.Column("to_ct", sa.LargeBinary, nullable=True),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("body_text", sa.Text, nullable=False),
    sa.Column("body_html", sa.Text, nullable=False),
    sa.Column("message_id", sa.String(200), nullable=False, unique=True),
    sa.Column("status", sa.String(16), nullable=False),  # queued | sending | sent | failed
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", Timestamp, nullable=False),
    sa.Column("last_error", sa.String(500), nullable=True),
    sa.Column("case_id", sa.ForeignKey("cases.id"), nullable=True),
    sa.Column("ticket_id", sa.ForeignKey("tickets.id"), nullable=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("sent_at", Timestamp, nullable=True),
    sa.Index("ix_mail_outbox_due", "status", "next_attempt_at"),
)

complaints = sa.Table(
    "complaints",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("case_id", sa.ForeignKey("cases.id"), nullable=False, unique=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("lapor_number", sa.String(64), nullable=True),
    sa.Column("about_ticket_id", sa.ForeignKey("tickets.id"), nullable=True),
    sa.Column("about_case_id", sa.ForeignKey("cases.id"), nullable=True),
    sa.Column("anonymous", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("key_id", sa.String(32), nullable=True),
    sa.Column("text_ct", sa.LargeBinary, nullable=True),
    sa.Column("first_response_due", sa.Date, nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
)

attachments = sa.Table(
    "attachments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("case_id", sa.ForeignKey("cases.id"), nullable=False, index=True),
    sa.Column("filename", sa.String(200), nullable=False),
    sa.Column("content_type", sa.String(100), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("key_id", sa.String(32), nullable=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
)
