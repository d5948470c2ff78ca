"""Staff access and data-subject rights: visits, reveal, export, correct, erase.

Every function that shows or changes personal data writes an audit row in the
same transaction, so an action without its audit entry cannot be committed.
SQL lives in :mod:`server.store.visitors` and :mod:`server.store.audit`.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Connection, RowMapping

from server.domain.guestbook import ReasonRequired, require_reason
from server.domain.identity import IdentityError, validate_id
from server.errors import InvalidInput, NotFound
from server.privacy import case_data
from server.privacy.crypto import DecryptError, KeyRing, context
from server.privacy.form import PERSONAL_FIELDS, form_definition
from server.privacy.form import _check_field as check_field
from server.privacy.visitors import (
    PROFILE_FIELDS,
    UnreadableData,
    decrypt_identity,
    get_visitor,
    id_lookup_hash,
    masked_identity,
    write_identity,
)
from server.store import audit
from server.store import visitors as store
from server.store.common import Actor, as_aware, utcnow


def checked_reason(reason: str | None) -> str:
    """The reason for a reveal, export, correction or erasure, or a 422 saying it is needed."""
    try:
        return require_reason(reason)
    except ReasonRequired as exc:
        raise InvalidInput(
            str(exc), code="reason_required", fields={"reason": "required"}
        ) from None


def visit_out(conn: Connection, ring: KeyRing, row: RowMapping) -> dict[str, Any]:
    """A visit as staff see it: categories, ticket, and the visitor masked."""
    visitor: dict[str, Any] | None = None
    if row["visitor_id"] is not None:
        vrow = store.visitor_by_id(conn, visitor_id=row["visitor_id"])
        if vrow is not None:
            try:
                masked = masked_identity(decrypt_identity(ring, vrow))
            except UnreadableData:
                masked = dict.fromkeys(PERSONAL_FIELDS)
            visitor = {
                "id": vrow["id"],
                "masked": masked,
                "id_type": vrow["id_type"],
                "institution": vrow["institution"],
            }
    has_photo = store.has_photo(conn, visit_id=row["id"])
    return {
        "id": row["id"],
        "visitor_id": row["visitor_id"],
        "service_id": row["service_id"],
        "ticket_id": row["ticket_id"],
        "ticket_number": row["ticket_number"],
        "day": row["day"],
        "created_at": as_aware(row["created_at"]),
        "language": row["language"],
        "consent": {
            "notice_version": row["notice_version"],
            "at": as_aware(row["consent_at"]),
            "photo_accepted": row["photo_consent"],
        },
        "has_photo": has_photo,
        "sex": row["sex"],
        "age_group": row["age_group"],
        "education": row["education"],
        "occupation": row["occupation"],
        "institution_category": row["institution_category"],
        "purpose": row["purpose"],
        "id_type": row["id_type"],
        "anonymised": row["anonymised_at"] is not None,
        "visitor": visitor,
    }


def list_visits(conn: Connection, *, unit_id: int, day: date) -> list[RowMapping]:
    return store.visits_on(conn, unit_id=unit_id, day=day)


def open_visit(conn: Connection, *, unit_id: int, visit_id: int, actor: Actor) -> RowMapping:
    """One visit (audited as ``open``)."""
    row = store.get_visit(conn, unit_id=unit_id, visit_id=visit_id)
    audit.record(
        conn,
        unit_id=unit_id,
        actor=actor,
        action="open",
        visitor_id=row["visitor_id"],
        visit_id=visit_id,
    )
    return row


def open_visitor(conn: Connection, *, unit_id: int, visitor_id: int, actor: Actor) -> RowMapping:
    row = get_visitor(conn, unit_id=unit_id, visitor_id=visitor_id)
    audit.record(conn, unit_id=unit_id, actor=actor, action="open", visitor_id=visitor_id)
    return row


def reveal(
    conn: Connection,
    *,
    ring: KeyRing,
    unit_id: int,
    visitor_id: int,
    field: str,
    actor: Actor,
    reason: str | None,
) -> str | None:
    """The full value of one personal field, written to the audit log with the reason."""
    reason = checked_reason(reason)
    if field not in PERSONAL_FIELDS:
        raise InvalidInput(
            f"field must be one of {', '.join(PERSONAL_FIELDS)}.", code="invalid_field"
        )
    row = get_visitor(conn, unit_id=unit_id, visitor_id=visitor_id)
    value = decrypt_identity(ring, row)[field]
    audit.record(
        conn,
        unit_id=unit_id,
        actor=actor,
        action="reveal",
        visitor_id=visitor_id,
        fields=[field],
        reason=reason,
    )
    return value


def photo(
    conn: Connection,
    *,
    ring: KeyRing,
    unit_id: int,
    visit_id: int,
    actor: Actor,
    reason: str | None,
) -> bytes:
    """The decrypted ID photo of a visit (audited as ``photo``)."""
    reason = checked_reason(reason)
    row = store.photo_of_visit(conn, unit_id=unit_id, visit_id=visit_id)
    if row is None or row["photo_ct"] is None:
        raise NotFound(
            "This visit has no ID photo (never taken, or already purged).", code="no_photo"
        )
    try:
        jpeg = ring.decrypt(bytes(row["photo_ct"]), aad=context("id_photos", "photo", row["id"]))
    except DecryptError:
        raise UnreadableData("The ID photo cannot be decrypted; tell the administrator.") from None
    audit.record(
        conn,
        unit_id=unit_id,
        actor=actor,
        action="photo",
        visitor_id=row["visitor_id"],
        visit_id=visit_id,
        fields=["id_photo"],
        reason=reason,
    )
    return jpeg


def export(
    conn: Connection,
    *,
    ring: KeyRing,
    unit_id: int,
    visitor_id: int,
    actor: Actor,
    reason: str | None = None,
) -> dict[str, Any]:
    """Everything held about one visitor, in plain text (a subject access request):
    identity, profile, visits, ID photos, and the cases, complaints and mails
    about their tickets (:func:`server.privacy.case_data.export_for_visitor`)."""
    reason = checked_reason(reason)
    row = get_visitor(conn, unit_id=unit_id, visitor_id=visitor_id)
    identity = decrypt_identity(ring, row)
    visit_rows = store.visits_of(conn, visitor_id=visitor_id)
    photos = []
    for p in store.photos_of(conn, visitor_id=visitor_id):
        jpeg = ring.decrypt(bytes(p["photo_ct"]), aad=context("id_photos", "photo", p["id"]))
        photos.append(
            {
                "visit_id": p["visit_id"],
                "created_at": as_aware(p["created_at"]),
                "jpeg_base64": base64.b64encode(jpeg).decode("ascii"),
            }
        )
    held = case_data.export_for_visitor(conn, ring=ring, visitor_id=visitor_id)
    audit.record(
        conn,
        unit_id=unit_id,
        actor=actor,
        action="export",
        visitor_id=visitor_id,
        fields=[*PERSONAL_FIELDS, "visits", "id_photos", "cases", "complaints", "mails"],
        reason=reason,
    )
    return {
        "visitor_id": visitor_id,
        "exported_at": utcnow(),
        "identity": {**identity, "id_type": row["id_type"]},
        "profile": {f: row[f] for f in PROFILE_FIELDS},
        "created_at": as_aware(row["created_at"]),
        "last_visit_at": as_aware(row["last_visit_at"]),
        "visits": [
            {
                "id": v["id"],
                "day": v["day"],
                "service_id": v["service_id"],
                "ticket_number": v["ticket_number"],
                "purpose": v["purpose"],
                "language": v["language"],
                "notice_version": v["notice_version"],
                "consent_at": as_aware(v["consent_at"]),
                "photo_consent": v["photo_consent"],
            }
            for v in visit_rows
        ],
        "id_photos": photos,
        **held,
    }


def correct(
    conn: Connection,
    *,
    ring: KeyRing,
    unit_id: int,
    visitor_id: int,
    changes: dict[str, Any],
    actor: Actor,
    reason: str | None = None,
    now: datetime | None = None,
) -> RowMapping:
    """Apply a correction request; unknown fields and invalid values are refused (422)."""
    reason = checked_reason(reason)
    row = get_visitor(conn, unit_id=unit_id, visitor_id=visitor_id, for_update=True)
    identity = decrypt_identity(ring, row)
    form = form_definition()
    profile = {f: row[f] for f in PROFILE_FIELDS}
    errors: dict[str, str] = {}
    id_type = changes.get("id_type", row["id_type"])
    id_hash = row["id_hash"]
    for name, raw in changes.items():
        if name in ("id_type", "id_number"):
            continue
        f = form.field(name)
        if f is None:
            errors[name] = "unknown_field"
            continue
        value, error = check_field(f, raw)
        if error:
            errors[name] = error
        elif name in identity:
            identity[name] = value
        else:
            profile[name] = value
    if "id_number" in changes or "id_type" in changes:
        number = changes.get("id_number", identity["id_number"])
        try:
            check = validate_id(str(id_type or ""), str(number or ""))
        except IdentityError as exc:
            errors["id_number"] = exc.code
        else:
            id_type, identity["id_number"] = check.id_type, check.number
            id_hash = id_lookup_hash(
                ring, id_type=check.id_type, number=check.number, is_nik=check.nik is not None
            )
    if errors:
        raise InvalidInput(
            "Some corrected fields are invalid.", code="invalid_field", fields=errors
        )
    write_identity(
        conn,
        ring=ring,
        visitor_id=visitor_id,
        identity=identity,
        id_type=id_type,
        id_hash=id_hash,
        extra={**profile, "updated_at": now or utcnow()},
    )
    audit.record(
        conn,
        unit_id=unit_id,
        actor=actor,
        action="correct",
        visitor_id=visitor_id,
        fields=sorted(changes),
        reason=reason,
    )
    return get_visitor(conn, unit_id=unit_id, visitor_id=visitor_id)


def delete(
    conn: Connection,
    *,
    unit_id: int,
    visitor_id: int,
    actor: Actor,
    reason: str | None = None,
    now: datetime | None = None,
) -> list[case_data.FileRef]:
    """An erasure request: identity, photos and case contact data gone, counts kept, audited.

    Returns the attachment files to delete once the transaction has committed.
    """
    reason = checked_reason(reason)
    get_visitor(conn, unit_id=unit_id, visitor_id=visitor_id, for_update=True)
    held = case_data.erase_for_visitor(conn, visitor_id=visitor_id)
    store.erase_visitor(conn, visitor_id=visitor_id, now=now or utcnow())
    audit.record(
        conn,
        unit_id=unit_id,
        actor=actor,
        action="delete",
        visitor_id=visitor_id,
        fields=[*PERSONAL_FIELDS, "id_photos"],
        reason=reason,
        detail={
            "cases": held.cases,
            "mails": held.mails,
            "attachments": len(held.files),
            "step_notes": held.steps,
        },
    )
    return held.files


def mark_reviewed(
    conn: Connection, *, unit_id: int, visitor_id: int, actor: Actor, reason: str | None
) -> RowMapping:
    """Staff settled a record flagged ``needs_review`` (it stays a visitor of its own)."""
    reason = checked_reason(reason)
    row = get_visitor(conn, unit_id=unit_id, visitor_id=visitor_id, for_update=True)
    store.update_visitor(
        conn, visitor_id=visitor_id, values={"needs_review": False, "review_of": None}
    )
    audit.record(
        conn,
        unit_id=unit_id,
        actor=actor,
        action="review",
        visitor_id=visitor_id,
        reason=reason,
        detail={"review_of": row["review_of"]},
    )
    return get_visitor(conn, unit_id=unit_id, visitor_id=visitor_id)
