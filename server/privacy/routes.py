"""HTTP endpoints of the guestbook and personal data (mounted under /api/v1).

Kiosks and staff register visitors and look up returning ones (masked only);
everything else is for signed-in staff and is audited. Personal values are
only ever in request/response *bodies* (never in URLs, which access logs
keep), and responses that carry them say ``Cache-Control: no-store``.
"""

from __future__ import annotations

import base64
import binascii
import threading
from dataclasses import replace
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from server.api.deps import (
    AnyPrincipal,
    DbDep,
    KioskOrStaff,
    SettingsDep,
    StaffUser,
    Supervisor,
    actor_of,
)
from server.api.schemas import PathId, QueryId
from server.api.schemas.guestbook import (
    AuditEntryOut,
    ExportOut,
    GuestbookFormOut,
    LookupOut,
    RegistrationOut,
    RevealOut,
    ReviewCountOut,
    VisitorOut,
    VisitOut,
)
from server.api.views import ticket_out
from server.domain.clock import local_day
from server.domain.identity import IdentityError, validate_nik
from server.errors import InvalidInput, NotFound
from server.i18n import normalise_language
from server.privacy import case_data, subject, visitors
from server.privacy.crypto import KeyRing
from server.privacy.form import (
    EMAIL_RE,
    form_definition,
    nik_lookup_value,
    normalise_email,
    render_form,
    validate_visitor,
)
from server.privacy.keys import key_file_for
from server.privacy.lookup_limit import LookupLimiter, spend_lookup
from server.privacy.registration import Registration, register_once
from server.privacy.schemas import (
    CorrectionIn,
    LookupIn,
    ReasonIn,
    RegistrationIn,
    RevealIn,
    SearchIn,
)
from server.store import audit, erasure, tickets, units
from server.store import visitors as visitor_store
from server.store.common import as_aware, utcnow

router = APIRouter(tags=["guestbook"])
MAX_PHOTO_BYTES = 150 * 1024  # base64 of it must fit the 256 KiB body limit
NO_STORE = {"Cache-Control": "no-store"}


def get_ring(settings: SettingsDep) -> KeyRing:
    return key_file_for(settings.resolved_key_file).ring()


def no_store(response: Response) -> None:
    """Mark a JSON answer that carries personal values as never to be cached."""
    response.headers.update(NO_STORE)


RingDep = Annotated[KeyRing, Depends(get_ring)]
PERSONAL = [Depends(no_store)]  # route dependencies of every JSON answer with personal data


def _invalid(fields: dict[str, str]) -> InvalidInput:
    return InvalidInput(
        "Some answers are missing or invalid: " + ", ".join(sorted(fields)) + ".",
        code="invalid_field",
        fields=fields,
    )


@router.get("/guestbook/form", response_model=GuestbookFormOut)
def guestbook_form(
    principal: AnyPrincipal, db: DbDep, privacy: SettingsDep, lang: str = "id"
) -> dict[str, Any]:
    with db.read() as conn:
        unit = units.get_unit(conn, unit_id=principal.unit_id)
    return render_form(lang, unit=unit, settings=privacy)


def _decode_photo(data: str | None) -> bytes | None:
    if data is None:
        return None
    try:
        jpeg = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise _invalid({"id_photo": "photo_encoding"}) from None
    if not jpeg.startswith(b"\xff\xd8\xff"):
        raise _invalid({"id_photo": "photo_not_jpeg"})
    if len(jpeg) > MAX_PHOTO_BYTES:
        raise _invalid({"id_photo": "photo_too_large"})
    return jpeg


def registration_from(body: RegistrationIn) -> Registration:
    """Check consent and every answer; raises 422 before anything is stored."""
    if not body.consent.accepted:
        raise InvalidInput(
            "The visitor did not agree to the privacy notice; nothing was stored.",
            code="consent_required",
            fields={"consent": "consent_required"},
        )
    values, errors = validate_visitor(body.visitor, returning=body.returning_visitor_id is not None)
    if body.consent.notice_version != form_definition().notice_version:
        errors["consent"] = "notice_outdated"
    if body.id_photo_jpeg_base64 is not None and not body.consent.photo_accepted:
        errors["id_photo"] = "photo_consent_required"
    if errors:
        raise _invalid(errors)
    return Registration(
        values=values,
        service_id=body.service_id,
        notice_version=body.consent.notice_version,
        language=normalise_language(body.language),
        photo_consent=body.consent.photo_accepted,
        photo_jpeg=_decode_photo(body.id_photo_jpeg_base64),
        priority=body.priority,
        priority_reason=body.priority_reason,
        returning_visitor_id=body.returning_visitor_id,
        client_request_id=body.client_request_id,
    )


@router.post(
    "/registrations",
    status_code=201,
    response_model=RegistrationOut,
    responses={
        200: {
            "model": RegistrationOut,
            "description": "A retry: the visit and ticket of this request id",
        }
    },
)
def register(
    body: RegistrationIn,
    principal: KioskOrStaff,
    db: DbDep,
    settings: SettingsDep,
    ring: RingDep,
    response: Response,
) -> dict[str, Any]:
    reg = replace(
        registration_from(body),
        email_copy=body.email_copy,
        public_base_url=settings.public_base_url,
    )
    result = register_once(
        db, ring=ring, unit_id=principal.unit_id, actor=actor_of(principal), reg=reg
    )
    with db.read() as conn:
        ticket = tickets.get_ticket(conn, unit_id=principal.unit_id, ticket_id=result.ticket["id"])
        out = {
            "visit_id": result.visit_id,
            "visitor_id": result.visitor_id,
            "ticket": ticket_out(conn, ticket, settings),
        }
    if not result.created:
        response.status_code = 200
    return out


def _lookup_args(nik: str | None, email: str | None) -> tuple[str | None, str | None]:
    if nik:
        value = nik_lookup_value(nik)
        try:
            validate_nik(value)
        except IdentityError as exc:
            raise _invalid({"nik": exc.code}) from None
        return value, None
    if email:
        value = normalise_email(email)
        if not EMAIL_RE.match(value):
            raise _invalid({"email": "email_format"})
        return None, value
    raise _invalid({"nik": "required"})


_limiter_lock = threading.Lock()


def get_lookup_limiter(request: Request, privacy: SettingsDep) -> LookupLimiter:
    """The app's look-up budget (created on first use from the privacy settings)."""
    with _limiter_lock:
        limiter = getattr(request.app.state, "lookup_limiter", None)
        if not isinstance(limiter, LookupLimiter):
            limiter = request.app.state.lookup_limiter = LookupLimiter(privacy)
    return limiter


LimiterDep = Annotated[LookupLimiter, Depends(get_lookup_limiter)]


@router.post("/visitors/lookup", dependencies=PERSONAL, response_model=LookupOut)
def lookup(
    body: LookupIn, principal: KioskOrStaff, db: DbDep, ring: RingDep, limiter: LimiterDep
) -> dict[str, Any]:
    nik, email = _lookup_args(body.nik, body.email)
    identifier = ring.lookup_hash("nik", nik) if nik else ring.lookup_hash("email", email or "")
    spend_lookup(limiter, principal, db, identifier=identifier)
    with db.write() as conn:
        row = visitors.lookup(
            conn,
            ring=ring,
            unit_id=principal.unit_id,
            actor=actor_of(principal),
            nik=nik,
            email=email,
        )
        if row is None:
            raise NotFound("No visitor matches.", code="visitor_not_found")
        masked = visitors.masked_identity(visitors.decrypt_identity(ring, row))
    # the least a visitor needs to recognise themselves: the masked name only
    return {
        "visitor_id": row["id"],
        "masked": {"name": masked["name"]},
        "prefill": visitors.prefill_of(row),
    }


# --- staff only ---------------------------------------------------------------------------


def _today(conn: Any, unit_id: int) -> date:
    unit = units.get_unit(conn, unit_id=unit_id)
    return local_day(utcnow(), unit["timezone"])


@router.get("/visits", dependencies=PERSONAL, response_model=list[VisitOut])
def list_visits(
    principal: StaffUser,
    db: DbDep,
    ring: RingDep,
    day: Annotated[date | None, Query(alias="date")] = None,
) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = subject.list_visits(
            conn, unit_id=principal.unit_id, day=day or _today(conn, principal.unit_id)
        )
        out = [subject.visit_out(conn, ring, r) for r in rows]
    return out


@router.get("/visits/{visit_id}", dependencies=PERSONAL, response_model=VisitOut)
def get_visit(visit_id: PathId, principal: StaffUser, db: DbDep, ring: RingDep) -> dict[str, Any]:
    with db.write() as conn:
        row = subject.open_visit(
            conn, unit_id=principal.unit_id, visit_id=visit_id, actor=actor_of(principal)
        )
        out = subject.visit_out(conn, ring, row)
    return out


@router.post(
    "/visits/{visit_id}/photo",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}, "description": "The ID photo (JPEG)"}},
)
def visit_photo(
    visit_id: PathId, body: ReasonIn, principal: StaffUser, db: DbDep, ring: RingDep
) -> Response:
    with db.write() as conn:
        jpeg = subject.photo(
            conn,
            ring=ring,
            unit_id=principal.unit_id,
            visit_id=visit_id,
            actor=actor_of(principal),
            reason=body.reason,
        )
    return Response(jpeg, media_type="image/jpeg", headers=NO_STORE)


@router.post("/visitors/search", dependencies=PERSONAL, response_model=list[VisitorOut])
def search_visitors(
    body: SearchIn, principal: StaffUser, db: DbDep, ring: RingDep
) -> list[dict[str, Any]]:
    nik = email = None
    if body.nik or body.email:
        nik, email = _lookup_args(body.nik, body.email)
    elif not body.name and not body.needs_review:
        raise _invalid({"name": "required"})
    with db.write() as conn:
        rows = visitors.search(
            conn,
            ring=ring,
            unit_id=principal.unit_id,
            actor=actor_of(principal),
            nik=nik,
            email=email,
            name=body.name,
            needs_review=body.needs_review,
        )
        out = [
            visitors.visitor_out(
                ring, r, visit_count=visitors.visit_count(conn, visitor_id=r["id"])
            )
            for r in rows
        ]
        if body.needs_review:
            out = visitors.with_review_targets(conn, ring, unit_id=principal.unit_id, rows=out)
    return out


# before /visitors/{visitor_id}: FastAPI matches in order, and that one wants a number
@router.get("/visitors/review-count", response_model=ReviewCountOut)
def review_count(principal: StaffUser, db: DbDep) -> dict[str, int]:
    """How many records await review (a number, no personal data: not audited)."""
    with db.read() as conn:
        count = visitor_store.count_awaiting_review(conn, unit_id=principal.unit_id)
    return {"count": count}


@router.get("/visitors/{visitor_id}", dependencies=PERSONAL, response_model=VisitorOut)
def get_visitor(
    visitor_id: PathId, principal: StaffUser, db: DbDep, ring: RingDep
) -> dict[str, Any]:
    with db.write() as conn:
        row = subject.open_visitor(
            conn, unit_id=principal.unit_id, visitor_id=visitor_id, actor=actor_of(principal)
        )
        out = visitors.visitor_out(
            ring, row, visit_count=visitors.visit_count(conn, visitor_id=row["id"])
        )
    return out


@router.post("/visitors/{visitor_id}/reveal", dependencies=PERSONAL, response_model=RevealOut)
def reveal(
    visitor_id: PathId,
    body: RevealIn,
    principal: StaffUser,
    db: DbDep,
    ring: RingDep,
) -> dict[str, Any]:
    with db.write() as conn:
        value = subject.reveal(
            conn,
            ring=ring,
            unit_id=principal.unit_id,
            visitor_id=visitor_id,
            field=body.field,
            actor=actor_of(principal),
            reason=body.reason,
        )
    return {"visitor_id": visitor_id, "field": body.field, "value": value}


@router.get("/visitors/{visitor_id}/export", response_model=ExportOut)
def export(
    visitor_id: PathId,
    principal: StaffUser,
    db: DbDep,
    ring: RingDep,
    reason: Annotated[str | None, Query(max_length=500)] = None,
) -> JSONResponse:
    with db.write() as conn:
        data = subject.export(
            conn,
            ring=ring,
            unit_id=principal.unit_id,
            visitor_id=visitor_id,
            actor=actor_of(principal),
            reason=reason,
        )
    return JSONResponse(
        jsonable_encoder(data),
        headers={
            **NO_STORE,
            "Content-Disposition": f'attachment; filename="visitor-{visitor_id}.json"',
        },
    )


@router.patch("/visitors/{visitor_id}", dependencies=PERSONAL, response_model=VisitorOut)
def correct(
    visitor_id: PathId,
    body: CorrectionIn,
    principal: StaffUser,
    db: DbDep,
    ring: RingDep,
) -> dict[str, Any]:
    changes = dict(body.model_extra or {})
    if not changes:
        raise _invalid({"body": "no_changes"})
    with db.write() as conn:
        row = subject.correct(
            conn,
            ring=ring,
            unit_id=principal.unit_id,
            visitor_id=visitor_id,
            changes=changes,
            actor=actor_of(principal),
            reason=body.reason,
        )
        out = visitors.visitor_out(ring, row)
    return out


@router.post("/visitors/{visitor_id}/reviewed", dependencies=PERSONAL, response_model=VisitorOut)
def mark_reviewed(
    visitor_id: PathId, body: ReasonIn, principal: StaffUser, db: DbDep, ring: RingDep
) -> dict[str, Any]:
    with db.write() as conn:
        row = subject.mark_reviewed(
            conn,
            unit_id=principal.unit_id,
            visitor_id=visitor_id,
            actor=actor_of(principal),
            reason=body.reason,
        )
        out = visitors.visitor_out(ring, row)
    return out


@router.delete("/visitors/{visitor_id}", status_code=204, response_class=Response)
def delete(
    visitor_id: PathId,
    principal: Supervisor,
    db: DbDep,
    settings: SettingsDep,
    reason: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    with db.write() as conn:
        files = subject.delete(
            conn,
            unit_id=principal.unit_id,
            visitor_id=visitor_id,
            actor=actor_of(principal),
            reason=reason,
        )
    case_data.delete_files(settings.data_dir, files)  # the cases' attachments
    erasure.reclaim_erased(db)  # after the commit: the deleted bytes leave the files
    return Response(status_code=204)


@router.get("/audit", response_model=list[AuditEntryOut])
def audit_entries(
    principal: Supervisor,
    db: DbDep,
    visitor_id: QueryId | None = None,
    action: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = audit.list_entries(
            conn, unit_id=principal.unit_id, visitor_id=visitor_id, action=action, limit=limit
        )
    return [_audit_entry(r) for r in rows]


def _audit_entry(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "at": as_aware(row["at"]),
        "user_id": row["user_id"],
        "device_id": row["device_id"],
        "action": row["action"],
        "visitor_id": row["visitor_id"],
        "visit_id": row["visit_id"],
        "fields": row["fields"].split(",") if row["fields"] else [],
        "reason": row["reason"],
    }
