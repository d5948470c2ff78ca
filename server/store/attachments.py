"""Request-form attachments on a case: the rows (the encrypted bytes live in
``data_dir/attachments``, see :mod:`server.files.attachments`)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.cases_schema import attachments
from server.errors import NotFound
from server.store.cases import get_case
from server.store.common import get_in_unit, inserted_id


def add_attachment(
    conn: Connection,
    *,
    unit_id: int,
    case_id: int,
    filename: str,
    content_type: str,
    size: int,
    sha256: str,
    key_id: str,
    user_id: int | None,
    now: datetime,
) -> int:
    get_case(conn, unit_id=unit_id, case_id=case_id)
    return inserted_id(
        conn.execute(
            sa.insert(attachments).values(
                unit_id=unit_id,
                case_id=case_id,
                filename=filename[:200],
                content_type=content_type,
                size=size,
                sha256=sha256,
                key_id=key_id,
                user_id=user_id,
                created_at=now,
            )
        )
    )


def list_attachments(conn: Connection, *, case_id: int) -> list[RowMapping]:
    query = (
        sa.select(attachments).where(attachments.c.case_id == case_id).order_by(attachments.c.id)
    )
    return list(conn.execute(query).mappings())


def get_attachment(
    conn: Connection, *, unit_id: int, case_id: int, attachment_id: int
) -> RowMapping:
    row = get_in_unit(
        conn,
        attachments,
        unit_id=unit_id,
        row_id=attachment_id,
        what="Attachment",
        code="attachment_not_found",
    )
    if row["case_id"] != case_id:
        raise NotFound(
            f"Attachment {attachment_id} is not on case {case_id}.", code="attachment_not_found"
        )
    return row
