"""Tables for administration: which staff accounts must choose a new password.

An admin's password reset writes a row here; the person's next sign-in with the
temporary password is refused until they set a new one, which removes the row.
(Who changed what in the office is written to the shared audit log.)
"""

from __future__ import annotations

import sqlalchemy as sa

from server.db.schema import Timestamp, metadata

password_resets = sa.Table(
    "password_resets",
    metadata,
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("required_at", Timestamp, nullable=False),
    sa.Column("by_user_id", sa.ForeignKey("users.id"), nullable=True),
)
