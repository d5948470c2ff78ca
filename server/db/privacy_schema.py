"""Tables for personal data: visitors, visits, ID photos and the audit log.

Defined on the shared :data:`server.db.schema.metadata`. Every personal value
(name, e-mail, phone, ID number, photo) is stored only as AES-GCM ciphertext
(``*_ct`` columns, see :mod:`server.privacy.crypto`); ``key_id`` says which key
encrypted the row, so key rotation can find rows still on an old key. NIK and
e-mail are found again through keyed HMAC hashes (``id_hash``, ``email_hash``).
Visits copy the visitor's non-identifying categories, so reports keep their
counts after a visitor is erased.
"""

from __future__ import annotations

import sqlalchemy as sa

from server.db.schema import Timestamp, metadata

visitors = sa.Table(
    "visitors",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("key_id", sa.String(32), nullable=True),
    sa.Column("name_ct", sa.LargeBinary, nullable=True),
    sa.Column("email_ct", sa.LargeBinary, nullable=True),
    sa.Column("phone_ct", sa.LargeBinary, nullable=True),
    sa.Column("id_number_ct", sa.LargeBinary, nullable=True),
    sa.Column("id_type", sa.String(16), nullable=True),
    sa.Column("id_hash", sa.String(64), nullable=True),
    sa.Column("email_hash", sa.String(64), nullable=True),
    sa.Column("sex", sa.String(16), nullable=True),
    sa.Column("age_group", sa.String(16), nullable=True),
    sa.Column("education", sa.String(32), nullable=True),
    sa.Column("occupation", sa.String(32), nullable=True),
    sa.Column("institution", sa.String(200), nullable=True),
    sa.Column("institution_category", sa.String(40), nullable=True),
    # SKD block I, added in 0008: "Lainnya" occupation text, disability and its kind
    sa.Column("occupation_other", sa.String(100), nullable=True),
    sa.Column("disability", sa.String(8), nullable=True),
    sa.Column("disability_kind", sa.String(16), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Column("last_visit_at", Timestamp, nullable=False),
    # a kiosk registration that reused a known ID number with other contact values
    # (see docs/privacy.md): kept apart from ``review_of`` until staff decide
    sa.Column("needs_review", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("review_of", sa.Integer, nullable=True),
    sa.Index("ix_visitors_unit_id_hash", "unit_id", "id_hash"),
    sa.Index("ix_visitors_unit_email_hash", "unit_id", "email_hash"),
    sa.Index("ix_visitors_key_id", "key_id"),
    sa.Index("ix_visitors_last_visit", "unit_id", "last_visit_at"),
)

visits = sa.Table(
    "visits",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("visitor_id", sa.ForeignKey("visitors.id"), nullable=True),
    sa.Column("service_id", sa.ForeignKey("services.id"), nullable=False),
    sa.Column("ticket_id", sa.Integer, nullable=True),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("client_request_id", sa.String(64), nullable=True),
    sa.Column("language", sa.String(8), nullable=False, server_default="id"),
    sa.Column("notice_version", sa.String(32), nullable=False),
    sa.Column("consent_at", Timestamp, nullable=False),
    sa.Column("photo_consent", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("sex", sa.String(16), nullable=True),
    sa.Column("age_group", sa.String(16), nullable=True),
    sa.Column("education", sa.String(32), nullable=True),
    sa.Column("occupation", sa.String(32), nullable=True),
    sa.Column("institution_category", sa.String(40), nullable=True),
    sa.Column("purpose", sa.String(40), nullable=True),
    # SKD block I, added in 0008: "Lainnya" occupation text, disability and its kind
    sa.Column("occupation_other", sa.String(100), nullable=True),
    sa.Column("disability", sa.String(8), nullable=True),
    sa.Column("disability_kind", sa.String(16), nullable=True),
    sa.Column("id_type", sa.String(16), nullable=True),
    sa.Column("anonymised_at", Timestamp, nullable=True),
    sa.UniqueConstraint("unit_id", "client_request_id", name="uq_visits_unit_request"),
    sa.Index("ix_visits_unit_day", "unit_id", "day"),
    sa.Index("ix_visits_visitor", "visitor_id"),
)

id_photos = sa.Table(
    "id_photos",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("visit_id", sa.ForeignKey("visits.id"), nullable=False),
    sa.Column("visitor_id", sa.ForeignKey("visitors.id"), nullable=True),
    sa.Column("key_id", sa.String(32), nullable=True),
    sa.Column("photo_ct", sa.LargeBinary, nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Index("ix_id_photos_visit", "visit_id"),
    sa.Index("ix_id_photos_key_id", "key_id"),
    sa.Index("ix_id_photos_created", "created_at"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.Integer, nullable=True),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("user_id", sa.Integer, nullable=True),
    sa.Column("device_id", sa.Integer, nullable=True),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("visitor_id", sa.Integer, nullable=True),
    sa.Column("visit_id", sa.Integer, nullable=True),
    sa.Column("fields", sa.String(200), nullable=True),
    sa.Column("reason", sa.String(500), nullable=True),
    sa.Column("detail", sa.JSON, nullable=True),
    sa.Index("ix_audit_log_unit_at", "unit_id", "at"),
    sa.Index("ix_audit_log_visitor", "visitor_id"),
)
