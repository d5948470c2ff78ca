"""Guestbook SQL: visitors, visits and ID photos.

Keyword-only functions on the caller's Connection, no HTTP and no crypto: the
values they write are already encrypted (``*_ct`` columns, by
:mod:`server.privacy.visitors`), and the rows they return are decrypted there.
:func:`erase_visitor` deletes an identity and its photos and anonymises the
visits in one go; :mod:`server.store.erasure` then removes the bytes from disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.privacy_schema import id_photos, visitors, visits
from server.db.schema import tickets, units
from server.errors import NotFound
from server.store import tickets as ticket_store
from server.store.common import first_row, get_in_unit, inserted_id

# --- visitors --------------------------------------------------------------------------


def get_visitor(
    conn: Connection, *, unit_id: int, visitor_id: int, for_update: bool = False
) -> RowMapping:
    """A visitor of this unit, or 404 ``unknown_visitor``."""
    return get_in_unit(
        conn,
        visitors,
        unit_id=unit_id,
        row_id=visitor_id,
        what="Visitor",
        code="unknown_visitor",
        for_update=for_update,
    )


def visitor_in_unit(conn: Connection, *, unit_id: int, visitor_id: int) -> RowMapping | None:
    return first_row(conn, visitors, id=visitor_id, unit_id=unit_id)


def visitor_by_id(conn: Connection, *, visitor_id: int) -> RowMapping | None:
    return first_row(conn, visitors, id=visitor_id)


def _hash_condition(id_hash: str | None, email_hash: str | None) -> Any:
    if id_hash:
        return visitors.c.id_hash == id_hash
    if email_hash:
        return visitors.c.email_hash == email_hash
    return None


def find_by_hash(
    conn: Connection, *, unit_id: int, id_hash: str | None = None, email_hash: str | None = None
) -> RowMapping | None:
    """The visitor on file with this ID or e-mail hash (most recently seen first).

    A record awaiting review never stands in for the one on file.
    """
    condition = _hash_condition(id_hash, email_hash)
    if condition is None:
        return None
    query = (
        sa.select(visitors)
        .where(visitors.c.unit_id == unit_id, condition)
        .order_by(visitors.c.needs_review, visitors.c.last_visit_at.desc(), visitors.c.id.desc())
        .limit(1)
    )
    return conn.execute(query).mappings().first()


def all_by_hash(
    conn: Connection, *, unit_id: int, id_hash: str | None = None, email_hash: str | None = None
) -> list[RowMapping]:
    """Every visitor with this ID or e-mail hash (staff search)."""
    condition = _hash_condition(id_hash, email_hash)
    if condition is None:
        return []
    query = sa.select(visitors).where(visitors.c.unit_id == unit_id, condition)
    return list(conn.execute(query).mappings())


def with_names(conn: Connection, *, unit_id: int) -> Iterator[RowMapping]:
    """The unit's visitors that have a name, most recently seen first (name search)."""
    query = (
        sa.select(visitors)
        .where(visitors.c.unit_id == unit_id, visitors.c.name_ct.is_not(None))
        .order_by(visitors.c.last_visit_at.desc())
    )
    yield from conn.execute(query).mappings()


def awaiting_review(conn: Connection, *, unit_id: int, limit: int) -> list[RowMapping]:
    """Visitors flagged ``needs_review``, newest first."""
    query = (
        sa.select(visitors)
        .where(visitors.c.unit_id == unit_id, visitors.c.needs_review.is_(True))
        .order_by(visitors.c.created_at.desc(), visitors.c.id.desc())
        .limit(limit)
    )
    return list(conn.execute(query).mappings())


def count_awaiting_review(conn: Connection, *, unit_id: int) -> int:
    """How many of the unit's visitors are flagged ``needs_review``."""
    query = (
        sa.select(sa.func.count())
        .select_from(visitors)
        .where(visitors.c.unit_id == unit_id, visitors.c.needs_review.is_(True))
    )
    return int(conn.execute(query).scalar_one())


def of_unit(conn: Connection, *, unit_id: int) -> list[RowMapping]:
    query = sa.select(visitors).where(visitors.c.unit_id == unit_id).order_by(visitors.c.id)
    return list(conn.execute(query).mappings())


def insert_visitor(conn: Connection, *, unit_id: int, values: dict[str, Any]) -> int:
    """A new visitor row (identity columns follow in :func:`update_visitor`)."""
    return inserted_id(conn.execute(sa.insert(visitors).values(unit_id=unit_id, **values)))


def update_visitor(conn: Connection, *, visitor_id: int, values: dict[str, Any]) -> None:
    conn.execute(sa.update(visitors).where(visitors.c.id == visitor_id).values(**values))


def visit_count(conn: Connection, *, visitor_id: int) -> int:
    query = sa.select(sa.func.count()).select_from(visits).where(visits.c.visitor_id == visitor_id)
    return int(conn.execute(query).scalar_one())


def erase_visitor(conn: Connection, *, visitor_id: int, now: datetime) -> None:
    """Delete a visitor's identity, photos and the staff notes on their tickets; their
    visits stay, anonymised."""
    conn.execute(sa.delete(id_photos).where(id_photos.c.visitor_id == visitor_id))
    ticket_store.clear_notes_of_visits(
        conn, visit_ids=sa.select(visits.c.id).where(visits.c.visitor_id == visitor_id)
    )
    conn.execute(
        sa.update(visits)
        .where(visits.c.visitor_id == visitor_id)
        .values(visitor_id=None, anonymised_at=now)
    )
    conn.execute(sa.delete(visitors).where(visitors.c.id == visitor_id))


def unseen_since(conn: Connection, *, cutoff: datetime, batch: int) -> list[tuple[int, int]]:
    """Up to ``batch`` (visitor id, unit id) of visitors last seen before ``cutoff``."""
    query = (
        sa.select(visitors.c.id, visitors.c.unit_id)
        .where(visitors.c.last_visit_at < cutoff)
        .limit(batch)
    )
    return [(int(v), int(u)) for v, u in conn.execute(query)]


def count_unseen_since(conn: Connection, *, cutoff: datetime) -> int:
    query = (
        sa.select(sa.func.count()).select_from(visitors).where(visitors.c.last_visit_at < cutoff)
    )
    return int(conn.execute(query).scalar_one())


# --- visits ----------------------------------------------------------------------------


def _visit_query() -> sa.Select[Any]:
    return sa.select(visits, tickets.c.number.label("ticket_number")).outerjoin(
        tickets, tickets.c.id == visits.c.ticket_id
    )


def visit_by_request(
    conn: Connection, *, unit_id: int, client_request_id: str
) -> RowMapping | None:
    return first_row(conn, visits, unit_id=unit_id, client_request_id=client_request_id)


def insert_visit(conn: Connection, *, unit_id: int, values: dict[str, Any]) -> int:
    return inserted_id(conn.execute(sa.insert(visits).values(unit_id=unit_id, **values)))


def set_visit_ticket(conn: Connection, *, visit_id: int, ticket_id: int) -> None:
    conn.execute(sa.update(visits).where(visits.c.id == visit_id).values(ticket_id=ticket_id))


def visits_on(conn: Connection, *, unit_id: int, day: date) -> list[RowMapping]:
    """A day's visits with their ticket numbers, in arrival order."""
    query = _visit_query().where(visits.c.unit_id == unit_id, visits.c.day == day)
    return list(conn.execute(query.order_by(visits.c.created_at, visits.c.id)).mappings())


def get_visit(conn: Connection, *, unit_id: int, visit_id: int) -> RowMapping:
    """One visit with its ticket number, or 404 ``unknown_visit``."""
    query = _visit_query().where(visits.c.id == visit_id, visits.c.unit_id == unit_id)
    row = conn.execute(query).mappings().first()
    if row is None:
        raise NotFound(f"Visit {visit_id} does not exist in this unit.", code="unknown_visit")
    return row


def visits_of(conn: Connection, *, visitor_id: int) -> list[RowMapping]:
    query = _visit_query().where(visits.c.visitor_id == visitor_id).order_by(visits.c.id)
    return list(conn.execute(query).mappings())


# --- ID photos -------------------------------------------------------------------------


def insert_photo(
    conn: Connection, *, unit_id: int, visit_id: int, visitor_id: int, now: datetime
) -> int:
    query = sa.insert(id_photos).values(
        unit_id=unit_id, visit_id=visit_id, visitor_id=visitor_id, created_at=now
    )
    return inserted_id(conn.execute(query))


def set_photo(conn: Connection, *, photo_id: int, key_id: str, photo_ct: bytes) -> None:
    conn.execute(
        sa.update(id_photos)
        .where(id_photos.c.id == photo_id)
        .values(key_id=key_id, photo_ct=photo_ct)
    )


def photo_of_visit(conn: Connection, *, unit_id: int, visit_id: int) -> RowMapping | None:
    return first_row(conn, id_photos, visit_id=visit_id, unit_id=unit_id)


def has_photo(conn: Connection, *, visit_id: int) -> bool:
    query = (
        sa.select(sa.func.count()).select_from(id_photos).where(id_photos.c.visit_id == visit_id)
    )
    return bool(conn.execute(query).scalar_one())


def photos_of(conn: Connection, *, visitor_id: int) -> list[RowMapping]:
    query = sa.select(id_photos).where(id_photos.c.visitor_id == visitor_id)
    return list(conn.execute(query).mappings())


def photo_ids(conn: Connection, *, visitor_id: int) -> list[int]:
    query = sa.select(id_photos.c.id).where(id_photos.c.visitor_id == visitor_id)
    return [int(i) for i in conn.execute(query).scalars()]


def photo_owners(conn: Connection, *, unit_id: int) -> set[int]:
    query = sa.select(id_photos.c.visitor_id).where(id_photos.c.unit_id == unit_id)
    return {int(v) for v in conn.execute(query).scalars() if v is not None}


def count_photos_before(conn: Connection, *, cutoff: datetime) -> int:
    query = sa.select(sa.func.count()).select_from(id_photos).where(id_photos.c.created_at < cutoff)
    return int(conn.execute(query).scalar_one())


def delete_photos_before(conn: Connection, *, cutoff: datetime, batch: int) -> int:
    """Delete up to ``batch`` photos taken before ``cutoff``; how many went."""
    query = sa.select(id_photos.c.id).where(id_photos.c.created_at < cutoff).limit(batch)
    ids = [int(i) for i in conn.execute(query).scalars()]
    if ids:
        conn.execute(sa.delete(id_photos).where(id_photos.c.id.in_(ids)))
    return len(ids)


# --- the breach report -----------------------------------------------------------------

#: report kind -> the ciphertext column that holds it
KIND_COLUMNS = (
    ("name", "name_ct"),
    ("email", "email_ct"),
    ("phone", "phone_ct"),
    ("id_number", "id_number_ct"),
)


def all_units(conn: Connection) -> list[RowMapping]:
    return list(conn.execute(sa.select(units).order_by(units.c.id)).mappings())


def _count(conn: Connection, table: sa.Table, *conditions: Any) -> int:
    query = sa.select(sa.func.count()).select_from(table).where(*conditions)
    return int(conn.execute(query).scalar_one())


def unit_counts(conn: Connection, *, unit_id: int) -> dict[str, Any]:
    """How many people's data of each kind a unit holds, and its oldest record."""
    in_unit = visitors.c.unit_id == unit_id
    counts: dict[str, Any] = {"visitors": _count(conn, visitors, in_unit)}
    for kind, column in KIND_COLUMNS:
        counts[kind] = _count(conn, visitors, in_unit, visitors.c[column].is_not(None))
    by_type = conn.execute(
        sa.select(visitors.c.id_type, sa.func.count()).where(in_unit).group_by(visitors.c.id_type)
    ).all()
    counts["id_number_by_type"] = {str(t): int(n) for t, n in by_type}
    counts["id_photos"] = _count(conn, id_photos, id_photos.c.unit_id == unit_id)
    counts["visits_identified"] = _count(
        conn, visits, visits.c.unit_id == unit_id, visits.c.visitor_id.is_not(None)
    )
    counts["visits_anonymised"] = _count(
        conn, visits, visits.c.unit_id == unit_id, visits.c.visitor_id.is_(None)
    )
    span = conn.execute(
        sa.select(sa.func.min(visitors.c.created_at), sa.func.max(visitors.c.last_visit_at)).where(
            in_unit
        )
    ).one()
    return {"counts": counts, "oldest_record": span[0], "latest_visit": span[1]}
