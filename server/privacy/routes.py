"""HTTP endpoints of the guestbook and personal data (mounted under /api/v1).

Kiosks and staff register visitors and look up returning ones (masked only);
everything else is for signed-in staff and is audited. Personal values are
only ever in request/response *bodies* (never in URLs, which access logs
keep), and responses that carry them say ``Cache-Control: no-store``.
"""

from __future__ import annotations

import base64
import binascii
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
from server.api.views import ticket_out
from server.domain.identity import IdentityError, validate_nik
from server.errors import InvalidInput, NotFound
from server.privacy import audit, subject
from server.privacy import visitors as store
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
from server.privacy.registration import Registration, register_once
from server.privacy.schemas import (
    CorrectionIn,
    LookupIn,
    ReasonIn,
    RegistrationIn,
    RevealIn,
    SearchIn,
)
from server.privacy.settings import PrivacySettings, get_privacy_settings
from server.store import tickets, units
from server.store.common import utcnow

router = APIRouter(tags=["guestbook"])
MAX_PHOTO_BYTES = 150 * 1024  # base64 of it must fit the 256 KiB body limit
NO_STORE = {"Cache-Control": "no-store"}


def get_ring(settings: SettingsDep) -> KeyRing:
    return key_file_for(settings.resolved_key_file).ring()


def get_privacy(request: Request) -> PrivacySettings:
    configured = getattr(request.app.state, "privacy_settings", None)
    return configured if isinstance(configured, PrivacySettings) else get_privacy_settings()


def no_store(response: Response) -> None:
    """Mark a JSON answer that carries personal values as never to be cached."""
    response.headers.update(NO_STORE)


RingDep = Annotated[KeyRing, Depends(get_ring)]
PrivacyDep = Annotated[PrivacySettings, Depends(get_privacy)]
PERSONAL = [Depends(no_store)]  # route dependencies of every JSON answer with personal data


def _invalid(fields: dict[str, str]) -> InvalidInput:
    return InvalidInput(
        "Some answers are missing or invalid: " + ", ".join(sorted(fields)) + ".",
        code="invalid_field",
        fields=fields,
    )


@router.get("/guestbook/form")
def guestbook_form(
    principal: AnyPrincipal, db: DbDep, privacy: PrivacyDep, lang: str = "id"
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
        language=body.language[:2] if body.language[:2] in ("id", "en") else "id",
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
    responses={200: {"description": "A retry: the visit and ticket of this request id"}},
)
def register(
    body: RegistrationIn,
    principal: KioskOrStaff,
    db: DbDep,
    settings: SettingsDep,
    ring: RingDep,
    response: Response,
) -> dict[str, Any]:
    reg = registration_from(body)
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


@router.post("/visitors/lookup", dependencies=PERSONAL)
def lookup(body: LookupIn, principal: KioskOrStaff, db: DbDep, ring: RingDep) -> dict[str, Any]:
    nik, email = _lookup_args(body.nik, body.email)
    with db.write() as conn:
        row = store.lookup(
            conn,
            ring=ring,
            unit_id=principal.unit_id,
            actor=actor_of(principal),
            nik=nik,
            email=email,
        )
        if row is None:
            raise NotFound("No visitor matches.", code="visitor_not_found")
        masked = store.masked_identity(store.decrypt_identity(ring, row))
    return {"visitor_id": row["id"], "masked": masked, "prefill": store.prefill_of(row)}


# --- staff only ---------------------------------------------------------------------------


def _today(conn: Any, unit_id: int) -> date:
    unit = units.get_unit(conn, unit_id=unit_id)
    return tickets.local_day(utcnow(), unit["timezone"])


@router.get("/visits", dependencies=PERSONAL)
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


@router.get("/visits/{visit_id}", dependencies=PERSONAL)
def get_visit(visit_id: PathId, principal: StaffUser, db: DbDep, ring: RingDep) -> dict[str, Any]:
    with db.write() as conn:
        row = subject.open_visit(
            conn, unit_id=principal.unit_id, visit_id=visit_id, actor=actor_of(principal)
        )
        out = subject.visit_out(conn, ring, row)
    return out


@router.post("/visits/{visit_id}/photo", response_class=Response)
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


@router.post("/visitors/search", dependencies=PERSONAL)
def search_visitors(
    body: SearchIn, principal: StaffUser, db: DbDep, ring: RingDep
) -> list[dict[str, Any]]:
    nik = email = None
    if body.nik or body.email:
        nik, email = _lookup_args(body.nik, body.email)
    elif not body.name:
        raise _invalid({"name": "required"})
    with db.write() as conn:
        rows = store.search(
            conn,
            ring=ring,
            unit_id=principal.unit_id,
            actor=actor_of(principal),
            nik=nik,
            email=email,
            name=body.name,
        )
        out = [
            store.visitor_out(ring, r, visit_count=store.visit_count(conn, visitor_id=r["id"]))
            for r in rows
        ]
    return out


@router.get("/visitors/{visitor_id}", dependencies=PERSONAL)
def get_visitor(
    visitor_id: PathId, principal: StaffUser, db: DbDep, ring: RingDep
) -> dict[str, Any]:
    with db.write() as conn:
        row = subject.open_visitor(
            conn, unit_id=principal.unit_id, visitor_id=visitor_id, actor=actor_of(principal)
        )
        out = store.visitor_out(
            ring, row, visit_count=store.visit_count(conn, visitor_id=row["id"])
        )
    return out


@router.post("/visitors/{visitor_id}/reveal", dependencies=PERSONAL)
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


@router.get("/visitors/{visitor_id}/export")
def export(visitor_id: PathId, principal: StaffUser, db: DbDep, ring: RingDep) -> JSONResponse:
    with db.write() as conn:
        data = subject.export(
            conn,
            ring=ring,
            unit_id=principal.unit_id,
            visitor_id=visitor_id,
            actor=actor_of(principal),
        )
    return JSONResponse(
        jsonable_encoder(data),
        headers={
            **NO_STORE,
            "Content-Disposition": f'attachment; filename="visitor-{visitor_id}.json"',
        },
    )


@router.patch("/visitors/{visitor_id}", dependencies=PERSONAL)
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
        out = store.visitor_out(ring, row)
    return out


@router.delete("/visitors/{visitor_id}", status_code=204, response_class=Response)
def delete(
    visitor_id: PathId, principal: Supervisor, db: DbDep, reason: str | None = None
) -> Response:
    with db.write() as conn:
        subject.delete(
            conn,
            unit_id=principal.unit_id,
            visitor_id=visitor_id,
            actor=actor_of(principal),
            reason=reason,
        )
    return Response(status_code=204)


@router.get("/audit")
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
    return [audit.entry_out(r) for r in rows]
