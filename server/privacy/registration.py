"""A kiosk registration: visitor + visit + optional ID photo + ticket, exactly once.

:func:`register` runs in one write transaction, so either all of it is stored
or nothing is (a refused ticket leaves no visitor behind). The same
``client_request_id`` again returns the first visit and ticket. A
``returning_visitor_id`` is only honoured when the ID number or e-mail typed
now hashes to that visitor's, so nobody can overwrite a stranger's record by
guessing an id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from server.db.database import Database
from server.db.privacy_schema import id_photos, visitors, visits
from server.domain.guestbook import email_required_error
from server.errors import Conflict, InvalidInput
from server.privacy import audit
from server.privacy.crypto import KeyRing, context
from server.privacy.visitors import (
    PROFILE_FIELDS,
    create_visitor,
    decrypt_identity,
    email_lookup_hash,
    find_by_hash,
    id_lookup_hash,
    write_identity,
)
from server.store import tickets, units
from server.store.common import Actor, first_row, inserted_id, utcnow


@dataclass(frozen=True)
class Registration:
    """What a registration asks for, already validated (see :mod:`server.privacy.form`)."""

    values: dict[str, str | None]
    service_id: int
    notice_version: str
    language: str = "id"
    photo_consent: bool = False
    photo_jpeg: bytes | None = None
    priority: bool = False
    priority_reason: str | None = None
    returning_visitor_id: int | None = None
    client_request_id: str | None = None


@dataclass(frozen=True)
class Registered:
    visit_id: int
    visitor_id: int | None
    ticket: RowMapping
    created: bool


def find_registration(
    conn: Connection, *, unit_id: int, client_request_id: str
) -> Registered | None:
    """The registration already stored for this request id, if any."""
    visit = first_row(conn, visits, unit_id=unit_id, client_request_id=client_request_id)
    if visit is None or visit["ticket_id"] is None:
        return None
    ticket = tickets.get_ticket(conn, unit_id=unit_id, ticket_id=visit["ticket_id"])
    return Registered(visit["id"], visit["visitor_id"], ticket, created=False)


def _match_visitor(
    conn: Connection, *, unit_id: int, reg: Registration, id_hash: str, email_hash: str | None
) -> RowMapping | None:
    if reg.returning_visitor_id is not None:
        row = first_row(conn, visitors, id=reg.returning_visitor_id, unit_id=unit_id)
        if row is not None and (
            row["id_hash"] == id_hash or (email_hash and row["email_hash"] == email_hash)
        ):
            return row
    return find_by_hash(conn, unit_id=unit_id, id_hash=id_hash)


def register(
    conn: Connection,
    *,
    ring: KeyRing,
    unit_id: int,
    actor: Actor,
    reg: Registration,
    now: datetime | None = None,
) -> Registered:
    """Store one registration in the caller's write transaction."""
    if reg.client_request_id:
        existing = find_registration(conn, unit_id=unit_id, client_request_id=reg.client_request_id)
        if existing is not None:
            return existing
    service = units.get_service(conn, unit_id=unit_id, service_id=reg.service_id)
    if not service["active"]:
        raise Conflict(f"Service {service['code']} is not open today.", code="service_inactive")
    moment = now or utcnow()
    v = reg.values
    identity = {
        "name": v["name"],
        "email": v.get("email"),
        "phone": v.get("phone"),
        "id_number": v["id_number"],
    }
    id_type = v["id_type"]
    assert id_type is not None and v["id_number"] is not None
    id_hash = id_lookup_hash(
        ring, id_type=id_type, number=v["id_number"], is_nik=v.get("nik") is not None
    )
    profile = {f: v.get(f) for f in PROFILE_FIELDS}
    match = _match_visitor(
        conn,
        unit_id=unit_id,
        reg=reg,
        id_hash=id_hash,
        email_hash=email_lookup_hash(ring, v.get("email")),
    )
    confirmed = match is not None and match["id"] == reg.returning_visitor_id
    if confirmed and match is not None:  # a confirmed returning visitor: keep what is on file
        stored = decrypt_identity(ring, match)
        identity = {k: identity[k] if identity[k] else stored[k] for k in identity}
    elif not identity["name"]:
        raise InvalidInput(
            "Some answers are missing or invalid: name.",
            code="invalid_field",
            fields={"name": "required"},
        )
    email_error = email_required_error(identity["email"], requires_email=service["requires_email"])
    if email_error:
        raise InvalidInput(
            f"Service {service['code']} needs the visitor's e-mail address; nothing was stored.",
            code="invalid_field",
            fields={"email": email_error},
        )
    if match is None:
        visitor_id = create_visitor(
            conn,
            ring=ring,
            unit_id=unit_id,
            identity=identity,
            profile=profile,
            id_type=id_type,
            id_hash=id_hash,
            now=moment,
        )
    else:
        visitor_id = match["id"]
        write_identity(
            conn,
            ring=ring,
            visitor_id=visitor_id,
            identity=identity,
            id_type=id_type,
            id_hash=id_hash,
            extra={**profile, "updated_at": moment, "last_visit_at": moment},
        )
    unit = units.get_unit(conn, unit_id=unit_id)
    visit_id = inserted_id(
        conn.execute(
            sa.insert(visits).values(
                unit_id=unit_id,
                visitor_id=visitor_id,
                service_id=reg.service_id,
                day=tickets.local_day(moment, unit["timezone"]),
                created_at=moment,
                client_request_id=reg.client_request_id,
                language=reg.language,
                notice_version=reg.notice_version,
                consent_at=moment,
                photo_consent=reg.photo_consent,
                purpose=v.get("purpose"),
                id_type=id_type,
                **{f: v.get(f) for f in PROFILE_FIELDS if f != "institution"},
            )
        )
    )
    ticket, created = tickets.issue_ticket(
        conn,
        unit_id=unit_id,
        service_id=reg.service_id,
        actor=actor,
        priority=reg.priority,
        priority_reason=reg.priority_reason,
        visit_id=visit_id,
        client_request_id=reg.client_request_id,
        now=moment,
    )
    if not created and ticket["visit_id"] != visit_id:
        raise Conflict(
            "This client_request_id was already used for a ticket without a registration.",
            code="request_id_reused",
        )
    conn.execute(sa.update(visits).where(visits.c.id == visit_id).values(ticket_id=ticket["id"]))
    if reg.photo_jpeg is not None and reg.photo_consent:
        store_photo(
            conn,
            ring=ring,
            unit_id=unit_id,
            visit_id=visit_id,
            visitor_id=visitor_id,
            jpeg=reg.photo_jpeg,
            now=moment,
        )
    audit.record(
        conn,
        unit_id=unit_id,
        actor=actor,
        action="register",
        visitor_id=visitor_id,
        visit_id=visit_id,
        detail={"returning": match is not None},
        now=moment,
    )
    return Registered(visit_id, visitor_id, ticket, created=True)


def store_photo(
    conn: Connection,
    *,
    ring: KeyRing,
    unit_id: int,
    visit_id: int,
    visitor_id: int,
    jpeg: bytes,
    now: datetime,
) -> int:
    photo_id = inserted_id(
        conn.execute(
            sa.insert(id_photos).values(
                unit_id=unit_id, visit_id=visit_id, visitor_id=visitor_id, created_at=now
            )
        )
    )
    conn.execute(
        sa.update(id_photos)
        .where(id_photos.c.id == photo_id)
        .values(
            key_id=ring.active_id,
            photo_ct=ring.encrypt(jpeg, aad=context("id_photos", "photo", photo_id)),
        )
    )
    return photo_id


def register_once(
    db: Database,
    *,
    ring: KeyRing,
    unit_id: int,
    actor: Actor,
    reg: Registration,
    now: datetime | None = None,
) -> Registered:
    """:func:`register` in its own transaction; a concurrent duplicate returns the first."""
    try:
        with db.write() as conn:
            return register(conn, ring=ring, unit_id=unit_id, actor=actor, reg=reg, now=now)
    except IntegrityError:
        if not reg.client_request_id:
            raise
        with db.read() as conn:
            found = find_registration(
                conn, unit_id=unit_id, client_request_id=reg.client_request_id
            )
        if found is None:
            raise
        return found
