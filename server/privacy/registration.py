"""A kiosk registration: visitor + visit + optional ID photo + ticket, exactly once.

:func:`register` runs in one write transaction, so either all of it is stored
or nothing is (a refused ticket leaves no visitor behind). The same
``client_request_id`` again returns the first visit and ticket.

What a registration may change on file (docs/privacy.md, "Registrations and
what is on file"): only a *confirmed* returning visitor — ``returning_visitor_id``
given and the ID number typed now hashing to that visitor's — updates the
visitor's contact values, and the audit row names the fields changed. A
registration with a known ID number that is not confirmed changes nothing on
file: if its contact values differ, it gets its own visitor record flagged
``needs_review`` (``review_of`` the record on file) for staff to settle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from server.db.database import Database
from server.domain.cases import requires_email
from server.domain.clock import local_day
from server.domain.guestbook import Outcome, email_required_error, registration_outcome
from server.errors import Conflict, InvalidInput
from server.privacy.crypto import KeyRing, context
from server.privacy.visitors import (
    CONTACT_FIELDS,
    PROFILE_FIELDS,
    UnreadableData,
    create_visitor,
    decrypt_identity,
    find_by_hash,
    id_lookup_hash,
    touch_visitor,
    write_identity,
)
from server.store import audit, tickets, units
from server.store import visitors as store
from server.store.common import Actor, utcnow


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
    email_copy: bool = False
    public_base_url: str = ""


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
    visit = store.visit_by_request(conn, unit_id=unit_id, client_request_id=client_request_id)
    if visit is None or visit["ticket_id"] is None:
        return None
    ticket = tickets.get_ticket(conn, unit_id=unit_id, ticket_id=visit["ticket_id"])
    return Registered(visit["id"], visit["visitor_id"], ticket, created=False)


def _confirmed_visitor(
    conn: Connection, *, unit_id: int, reg: Registration, id_hash: str
) -> RowMapping | None:
    """The returning visitor the kiosk confirmed, if the ID typed now is theirs."""
    if reg.returning_visitor_id is None:
        return None
    row = store.visitor_in_unit(conn, unit_id=unit_id, visitor_id=reg.returning_visitor_id)
    return row if row is not None and row["id_hash"] == id_hash else None


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
    confirmed = _confirmed_visitor(conn, unit_id=unit_id, reg=reg, id_hash=id_hash)
    on_file = confirmed or find_by_hash(conn, unit_id=unit_id, id_hash=id_hash)
    previous: dict[str, str | None] = {}
    changed: list[str] = []
    if on_file is not None:
        try:
            previous = decrypt_identity(ring, on_file)
        except UnreadableData:  # never block the kiosk: keep it apart for staff instead
            confirmed, previous = None, {f: None for f in CONTACT_FIELDS}
        if confirmed is not None:  # a confirmed returning visitor may leave values out
            identity = {k: identity[k] or previous.get(k) for k in identity}
        changed = [f for f in CONTACT_FIELDS if previous.get(f) != identity.get(f)]
    if not identity["name"]:
        raise InvalidInput(
            "Some answers are missing or invalid: name.",
            code="invalid_field",
            fields={"name": "required"},
        )
    email_error = email_required_error(
        identity["email"], requires_email=requires_email(service["code"], service["case_kind"])
    )
    if email_error:
        raise InvalidInput(
            f"Service {service['code']} needs the visitor's e-mail address; nothing was stored.",
            code="invalid_field",
            fields={"email": email_error},
        )
    outcome = registration_outcome(
        on_file=on_file is not None, confirmed=confirmed is not None, changed=bool(changed)
    )
    review_of = on_file["id"] if on_file is not None and outcome == Outcome.REVIEW else None
    if on_file is None or outcome in (Outcome.NEW, Outcome.REVIEW):
        visitor_id = create_visitor(
            conn,
            ring=ring,
            unit_id=unit_id,
            identity=identity,
            profile=profile,
            id_type=id_type,
            id_hash=id_hash,
            now=moment,
            review_of=review_of,
        )
        changed = []
    elif outcome == Outcome.UPDATE or confirmed is not None:
        visitor_id = on_file["id"]
        changed += [f for f in PROFILE_FIELDS if on_file[f] != profile.get(f)]
        write_identity(
            conn,
            ring=ring,
            visitor_id=visitor_id,
            identity={**previous, **{f: identity[f] for f in CONTACT_FIELDS}},
            id_type=on_file["id_type"],
            id_hash=on_file["id_hash"],
            extra={**profile, "updated_at": moment, "last_visit_at": moment},
        )
    else:  # JOIN without confirmation: nothing on file changes but the last visit
        visitor_id = on_file["id"]
        touch_visitor(conn, visitor_id=visitor_id, values={"last_visit_at": moment})
    unit = units.get_unit(conn, unit_id=unit_id)
    visit_id = store.insert_visit(
        conn,
        unit_id=unit_id,
        values={
            "visitor_id": visitor_id,
            "service_id": reg.service_id,
            "day": local_day(moment, unit["timezone"]),
            "created_at": moment,
            "client_request_id": reg.client_request_id,
            "language": reg.language,
            "notice_version": reg.notice_version,
            "consent_at": moment,
            "photo_consent": reg.photo_consent,
            "purpose": v.get("purpose"),
            "id_type": id_type,
            **{f: v.get(f) for f in PROFILE_FIELDS if f != "institution"},
        },
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
    store.set_visit_ticket(conn, visit_id=visit_id, ticket_id=ticket["id"])
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
    if reg.email_copy and v.get("email") and created:
        from server.store.case_mail import (
            queue_ticket_copy,  # issue 11 hook: the ticket e-mail copy
        )

        queue_ticket_copy(
            conn,
            ring=ring,
            unit_id=unit_id,
            ticket=ticket,
            email=str(v["email"]),
            language=reg.language,
            base_url=reg.public_base_url,
            now=moment,
        )
    audit.record(
        conn,
        unit_id=unit_id,
        actor=actor,
        action="register",
        visitor_id=visitor_id,
        visit_id=visit_id,
        fields=sorted(changed),
        detail={"returning": confirmed is not None, "review_of": review_of},
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
    photo_id = store.insert_photo(
        conn, unit_id=unit_id, visit_id=visit_id, visitor_id=visitor_id, now=now
    )
    store.set_photo(
        conn,
        photo_id=photo_id,
        key_id=ring.active_id,
        photo_ct=ring.encrypt(jpeg, aad=context("id_photos", "photo", photo_id)),
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
