"""The admin API: the office's details, services, counters, staff and devices.

Every change is validated (:mod:`server.domain.admin`), written to the audit log
(who, what, when) and announced on the event stream in the same transaction, so
boards, kiosks and consoles pick it up without a restart. Admins may change
everything; supervisors may read the lists and pause counters.
"""

from __future__ import annotations

import base64
import binascii
import io
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.engine import Connection, RowMapping

from server.api.deps import Admin, AnyPrincipal, DbDep, SettingsDep, Supervisor, actor_of
from server.api.schemas import PathId, QueryId
from server.api.schemas.admin import (
    AdminCounterOut,
    AdminServiceOut,
    AuditEntryOut,
    AuditPageOut,
    CounterIn,
    CounterPatch,
    DeviceCreatedOut,
    DeviceIn,
    DeviceOut,
    OfficeIn,
    OfficeOut,
    PasswordResetIn,
    ServiceIn,
    ServicePatch,
    StaffIn,
    StaffName,
    StaffOut,
    StaffPatch,
)
from server.domain import admin as rules
from server.domain import events as event_names
from server.errors import Conflict, Forbidden, InvalidInput, NotFound
from server.i18n import normalise_language
from server.privacy import subject
from server.privacy.routes import get_ring
from server.store import accounts, audit, events, units
from server.store import audit as audit_store
from server.store.accounts import Principal
from server.store.common import as_aware, utcnow

router = APIRouter(prefix="/admin", tags=["admin"])
ONLINE_SECONDS = 120
LOGO_PREFIXES = ("data:image/png;base64,", "data:image/jpeg;base64,")


def _checked(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a domain rule; its refusal becomes a 422 with the rule's code."""
    try:
        return fn(*args, **kwargs)
    except rules.AdminRuleError as exc:
        raise InvalidInput(exc.message, code=exc.code) from exc


def _audit(conn: Connection, principal: Principal, action: str, detail: dict[str, Any]) -> None:
    audit.record(
        conn,
        unit_id=principal.unit_id,
        actor=actor_of(principal),
        action=action,
        detail=detail,
    )


def _emit(conn: Connection, unit_id: int, type_: str, payload: dict[str, Any]) -> None:
    events.emit(
        conn, unit_id=unit_id, type=type_, payload={"ticket": None, "counter": None, **payload}
    )


# --- office -------------------------------------------------------------------------


def _office_out(unit: RowMapping) -> OfficeOut:
    extra = units.unit_settings(unit)
    return OfficeOut(
        id=unit["id"],
        code=unit["code"],
        name=unit["name"],
        address=unit["address"],
        phone=unit["phone"],
        email=unit["email"],
        whatsapp=extra["whatsapp"],
        timezone=unit["timezone"],
        complaint_channels=list(extra["complaint_channels"]),
        running_text=extra["running_text"],
        skd_url=extra["rating_skd_url"],  # the one SKD link (also set by `loket rating-setup`)
        counter_area=extra["counter_area"],
        opening_hours=dict(extra["opening_hours"]),
        logo=extra["logo"],
    )


@router.get("/office", response_model=OfficeOut)
def get_office(principal: Supervisor, db: DbDep) -> OfficeOut:
    with db.read() as conn:
        return _office_out(units.get_unit(conn, unit_id=principal.unit_id))


LOGO_MAGIC = {
    "data:image/png;base64,": b"\x89PNG\r\n\x1a\n",
    "data:image/jpeg;base64,": b"\xff\xd8\xff",
}
LOGO_MAX_BYTES = 150 * 1024  # its base64 must fit the 256 KiB request body


def _check_logo(data_url: str) -> None:
    """A PNG or JPEG (by its first bytes, not just its label) of at most 150 KB."""
    for prefix, magic in LOGO_MAGIC.items():
        if data_url.startswith(prefix):
            try:
                image = base64.b64decode(data_url[len(prefix) :], validate=True)
            except (binascii.Error, ValueError):
                break
            if len(image) > LOGO_MAX_BYTES:
                raise InvalidInput("The logo is larger than 150 KB.", code="logo_too_large")
            if image.startswith(magic):
                return
            break
    raise InvalidInput("The logo is a PNG or JPEG image.", code="bad_logo")


def _office_changes(body: OfficeIn) -> tuple[dict[str, Any], dict[str, Any]]:
    columns: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    if body.name is not None:
        columns["name"] = _checked(
            rules.required_text, body.name, what="Office name", max_length=200
        )
    if body.address is not None:
        columns["address"] = _checked(
            rules.optional_text, body.address, what="Address", max_length=400
        )
    if body.phone is not None:
        columns["phone"] = _checked(rules.phone, body.phone)
    if body.email is not None:
        columns["email"] = _checked(rules.email, body.email)
    if body.timezone is not None:
        columns["timezone"] = _checked(rules.timezone_name, body.timezone)
    if body.whatsapp is not None:
        extra["whatsapp"] = _checked(rules.phone, body.whatsapp, what="WhatsApp number")
    if body.complaint_channels is not None:
        extra["complaint_channels"] = _checked(rules.complaint_channels, body.complaint_channels)
    if body.running_text is not None:
        extra["running_text"] = _checked(
            rules.optional_text, body.running_text, what="Running text", max_length=500
        )
    if body.skd_url is not None:
        extra["rating_skd_url"] = _checked(rules.url, body.skd_url)
    if body.counter_area is not None:
        extra["counter_area"] = _checked(
            rules.optional_text, body.counter_area, what="Counter area", max_length=80
        )
    if body.opening_hours is not None:
        extra["opening_hours"] = _checked(rules.opening_hours, body.opening_hours)
    if body.logo is not None:
        if body.logo:
            _check_logo(body.logo)
        extra["logo"] = body.logo
    return columns, extra


@router.get(
    "/office/logo",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "image/jpeg": {}}}},
)
def office_logo(principal: AnyPrincipal, db: DbDep) -> Response:
    """The office's logo for the board and pages (any identity); 404 when none is set."""
    with db.read() as conn:
        logo = units.unit_settings(units.get_unit(conn, unit_id=principal.unit_id))["logo"]
    for prefix in LOGO_PREFIXES:
        if logo.startswith(prefix):
            media = prefix[len("data:") : prefix.index(";")]
            image = base64.b64decode(logo[len(prefix) :], validate=False)
            return Response(image, media_type=media, headers={"Cache-Control": "no-cache"})
    raise NotFound("This office has no logo.", code="no_logo")


@router.put("/office", response_model=OfficeOut)
def update_office(body: OfficeIn, principal: Admin, db: DbDep) -> OfficeOut:
    columns, extra = _office_changes(body)
    with db.write() as conn:
        unit = units.update_unit(conn, unit_id=principal.unit_id, columns=columns, settings=extra)
        changed = sorted([*columns, *extra])
        _audit(conn, principal, "admin.office.update", {"fields": changed})
        _emit(conn, principal.unit_id, event_names.UNIT_UPDATED, {"fields": changed})
        return _office_out(unit)


# --- services -----------------------------------------------------------------------


def _service_out(row: RowMapping) -> AdminServiceOut:
    return AdminServiceOut(
        **{k: row[k] for k in ("id", "code", "prefix", "name_id", "name_en", "description_id")},
        description_en=row["description_en"],
        active=row["active"],
        sort_order=row["sort_order"],
        case_kind=row["case_kind"],
    )


@router.get("/services", response_model=list[AdminServiceOut])
def list_services(principal: Supervisor, db: DbDep) -> list[AdminServiceOut]:
    with db.read() as conn:
        return [_service_out(r) for r in units.list_services(conn, unit_id=principal.unit_id)]


def _service_text(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for key, what in (("name_id", "Name (Indonesian)"), ("name_en", "Name (English)")):
        if key in out:
            out[key] = _checked(rules.required_text, out[key], what=what, max_length=200)
    for key in ("description_id", "description_en"):
        if key in out:
            out[key] = _checked(rules.optional_text, out[key], what="Description", max_length=400)
    if "prefix" in out:
        out["prefix"] = _checked(rules.service_prefix, out["prefix"])
    if "case_kind" in out:
        out["case_kind"] = _checked(rules.case_kind, out["case_kind"])
    return out


@router.post("/services", response_model=AdminServiceOut, status_code=201)
def create_service(body: ServiceIn, principal: Admin, db: DbDep) -> AdminServiceOut:
    values = _service_text(body.model_dump())
    code = _checked(rules.service_code, values.pop("code"))
    active = values.pop("active")
    with db.write() as conn:
        units.check_service_unique(
            conn, unit_id=principal.unit_id, service_id=None, code=code, prefix=values["prefix"]
        )
        service_id = units.add_service(
            conn,
            unit_id=principal.unit_id,
            spec=units.ServiceSpec(code=code, **values),
            sort_order=units.next_sort_order(conn, unit_id=principal.unit_id),
        )
        if not active:
            units.update_service(
                conn, unit_id=principal.unit_id, service_id=service_id, changes={"active": False}
            )
        row = units.get_service(conn, unit_id=principal.unit_id, service_id=service_id)
        _audit(conn, principal, "admin.service.create", {"service_id": service_id, "code": code})
        _emit(conn, principal.unit_id, event_names.SERVICES_UPDATED, {"service_id": service_id})
        return _service_out(row)


@router.patch("/services/{service_id}", response_model=AdminServiceOut)
def update_service(
    service_id: PathId, body: ServicePatch, principal: Admin, db: DbDep
) -> AdminServiceOut:
    changes = _service_text(body.model_dump(exclude_unset=True))
    if changes.get("active") is None:
        changes.pop("active", None)
    if changes.get("sort_order") is None:
        changes.pop("sort_order", None)
    with db.write() as conn:
        row = units.update_service(
            conn, unit_id=principal.unit_id, service_id=service_id, changes=changes
        )
        _audit(
            conn, principal, "admin.service.update",
            {"service_id": service_id, "fields": sorted(changes)},
        )  # fmt: skip
        _emit(conn, principal.unit_id, event_names.SERVICES_UPDATED, {"service_id": service_id})
        return _service_out(row)


# --- counters -----------------------------------------------------------------------


def _counter_out(conn: Connection, row: RowMapping) -> AdminCounterOut:
    return AdminCounterOut(
        id=row["id"],
        number=row["number"],
        name=row["name"],
        paused=row["paused"],
        service_ids=units.counter_service_ids(conn, counter_id=row["id"]),
    )


def _counter_event(conn: Connection, unit_id: int, out: AdminCounterOut) -> None:
    events.emit(
        conn,
        unit_id=unit_id,
        type=event_names.COUNTER_UPDATED,
        payload={
            "ticket": None,
            "counter": {"id": out.id, "number": out.number, "name": out.name},
            "paused": out.paused,
            "service_ids": out.service_ids,
        },
    )


@router.get("/counters", response_model=list[AdminCounterOut])
def list_counters(principal: Supervisor, db: DbDep) -> list[AdminCounterOut]:
    with db.read() as conn:
        return [_counter_out(conn, r) for r in units.list_counters(conn, unit_id=principal.unit_id)]


@router.post("/counters", response_model=AdminCounterOut, status_code=201)
def create_counter(body: CounterIn, principal: Admin, db: DbDep) -> AdminCounterOut:
    name = _checked(rules.required_text, body.name, what="Counter name", max_length=80)
    with db.write() as conn:
        units.check_counter_number_free(
            conn, unit_id=principal.unit_id, counter_id=None, number=body.number
        )
        counter_id = units.add_counter(
            conn, unit_id=principal.unit_id, number=body.number, name=name,
            service_ids=body.service_ids,
        )  # fmt: skip
        out = _counter_out(
            conn, units.get_counter(conn, unit_id=principal.unit_id, counter_id=counter_id)
        )
        _audit(conn, principal, "admin.counter.create", {"counter_id": counter_id})
        _counter_event(conn, principal.unit_id, out)
        return out


@router.patch("/counters/{counter_id}", response_model=AdminCounterOut)
def update_counter(
    counter_id: PathId, body: CounterPatch, principal: Supervisor, db: DbDep
) -> AdminCounterOut:
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    service_ids = changes.pop("service_ids", None)
    if principal.role != "admin" and (set(changes) - {"paused"} or service_ids is not None):
        raise Forbidden("Only an admin may rename, renumber or reassign a counter.")
    if "name" in changes:
        changes["name"] = _checked(
            rules.required_text, changes["name"], what="Counter name", max_length=80
        )
    with db.write() as conn:
        row = units.update_counter(
            conn, unit_id=principal.unit_id, counter_id=counter_id, changes=changes
        )
        if service_ids is not None:
            units.set_counter_services(
                conn, unit_id=principal.unit_id, counter_id=counter_id, service_ids=service_ids
            )
        out = _counter_out(conn, row)
        fields = sorted([*changes, *(["service_ids"] if service_ids is not None else [])])
        _audit(
            conn, principal, "admin.counter.update", {"counter_id": counter_id, "fields": fields}
        )
        _counter_event(conn, principal.unit_id, out)
        return out


# --- staff --------------------------------------------------------------------------


def _staff_out(row: RowMapping, must_change: bool) -> StaffOut:
    return StaffOut(
        id=row["id"], username=row["username"], full_name=row["full_name"], role=row["role"],
        active=row["active"], must_change_password=must_change,
    )  # fmt: skip


@router.get("/staff", response_model=list[StaffOut])
def list_staff(principal: Admin, db: DbDep) -> list[StaffOut]:
    with db.read() as conn:
        rows = accounts.list_users(conn, unit_id=principal.unit_id)
    return [_staff_out(r, bool(r["must_change_password"])) for r in rows]


def _one_staff(conn: Connection, unit_id: int, user_id: int) -> StaffOut:
    row = accounts.get_user_in_unit(conn, unit_id=unit_id, user_id=user_id)
    return _staff_out(row, accounts.password_change_required(conn, user_id=user_id))


@router.post("/staff", response_model=StaffOut, status_code=201)
def create_staff(body: StaffIn, principal: Admin, db: DbDep) -> StaffOut:
    full_name = _checked(rules.optional_text, body.full_name, what="Full name", max_length=200)
    with db.write() as conn:
        user_id = accounts.add_user(
            conn, unit_id=principal.unit_id, username=body.username.strip(),
            password=body.password, role=body.role, full_name=full_name,
        )  # fmt: skip
        accounts.require_password_change(conn, user_id=user_id, by_user_id=principal.user_id)
        _audit(conn, principal, "admin.staff.create", {"user_id": user_id, "role": body.role})
        return _one_staff(conn, principal.unit_id, user_id)


def _forget_sessions(request: Request, conn: Connection, user_id: int) -> None:
    accounts.end_all_sessions(conn, user_id=user_id)
    request.app.state.principal_cache.evict_principal(user_id=user_id)


@router.patch("/staff/{user_id}", response_model=StaffOut)
def update_staff(
    user_id: PathId, body: StaffPatch, request: Request, principal: Admin, db: DbDep
) -> StaffOut:
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    with db.write() as conn:
        row = accounts.get_user_in_unit(conn, unit_id=principal.unit_id, user_id=user_id)
        losing_admin = (
            row["role"] == "admin"
            and row["active"]
            and (changes.get("role", "admin") != "admin" or changes.get("active") is False)
        )
        if losing_admin and accounts.count_active_admins(conn, unit_id=principal.unit_id) <= 1:
            raise Conflict("The office keeps at least one active admin.", code="last_admin")
        if "full_name" in changes:
            changes["full_name"] = _checked(
                rules.optional_text, changes["full_name"], what="Full name", max_length=200
            )
        accounts.update_user(conn, user_id=user_id, changes=changes)
        if changes.get("active") is False or "role" in changes:
            _forget_sessions(request, conn, user_id)
        _audit(conn, principal, "admin.staff.update", {"user_id": user_id, **{
            k: v for k, v in changes.items() if k != "full_name"}})  # fmt: skip
        return _one_staff(conn, principal.unit_id, user_id)


@router.post("/staff/{user_id}/reset-password", response_model=StaffOut)
def reset_password(
    user_id: PathId, body: PasswordResetIn, request: Request, principal: Admin, db: DbDep
) -> StaffOut:
    with db.write() as conn:
        accounts.get_user_in_unit(conn, unit_id=principal.unit_id, user_id=user_id)
        accounts.set_password(conn, user_id=user_id, password=body.temporary_password)
        accounts.require_password_change(conn, user_id=user_id, by_user_id=principal.user_id)
        _forget_sessions(request, conn, user_id)
        _audit(conn, principal, "admin.staff.reset_password", {"user_id": user_id})
        return _one_staff(conn, principal.unit_id, user_id)


@router.post("/staff/{user_id}/sign-out", response_model=StaffOut)
def sign_out_everywhere(user_id: PathId, request: Request, principal: Admin, db: DbDep) -> StaffOut:
    with db.write() as conn:
        accounts.get_user_in_unit(conn, unit_id=principal.unit_id, user_id=user_id)
        _forget_sessions(request, conn, user_id)
        _audit(conn, principal, "admin.staff.sign_out", {"user_id": user_id})
        return _one_staff(conn, principal.unit_id, user_id)


# --- devices ------------------------------------------------------------------------


def _device_out(row: RowMapping) -> DeviceOut:
    seen = as_aware(row["last_seen_at"])
    online = seen is not None and (utcnow() - seen).total_seconds() < ONLINE_SECONDS
    return DeviceOut(
        id=row["id"], kind=row["kind"], name=row["name"], active=row["active"],
        last_seen_at=seen, online=bool(online and row["active"]),
    )  # fmt: skip


@router.get("/devices", response_model=list[DeviceOut])
def list_devices(principal: Supervisor, db: DbDep) -> list[DeviceOut]:
    with db.read() as conn:
        return [_device_out(r) for r in accounts.list_devices(conn, unit_id=principal.unit_id)]


def pairing_url(base_url: str, kind: str, token: str) -> str:
    """What the QR holds: the board's own address, or the token for a kiosk/tablet."""
    if kind == "board":
        return f"{base_url.rstrip('/')}/board?token={token}"
    return token


def qr_svg(text: str) -> str:
    # imported here: only pairing a device draws a QR, and qrcode costs the server's start ~3 MB
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


@router.post("/devices", response_model=DeviceCreatedOut, status_code=201)
def create_device(
    body: DeviceIn, principal: Admin, db: DbDep, settings: SettingsDep, response: Response
) -> DeviceCreatedOut:
    name = _checked(rules.required_text, body.name, what="Device name", max_length=80)
    with db.write() as conn:
        device_id, token = accounts.add_device(
            conn, unit_id=principal.unit_id, kind=body.kind, name=name
        )
        row = accounts.get_device_in_unit(conn, unit_id=principal.unit_id, device_id=device_id)
        _audit(conn, principal, "admin.device.create", {"device_id": device_id, "kind": body.kind})
    response.headers["Cache-Control"] = "no-store"
    pair = pairing_url(settings.public_base_url, body.kind, token)
    return DeviceCreatedOut(
        **_device_out(row).model_dump(), token=token, pair_url=pair, qr_svg=qr_svg(pair)
    )


@router.post("/devices/{device_id}/revoke", response_model=DeviceOut)
def revoke_device(device_id: PathId, request: Request, principal: Admin, db: DbDep) -> DeviceOut:
    with db.write() as conn:
        row = accounts.revoke_device(conn, unit_id=principal.unit_id, device_id=device_id)
        _audit(conn, principal, "admin.device.revoke", {"device_id": device_id})
    request.app.state.principal_cache.evict_principal(device_id=device_id)
    return _device_out(row)


# --- audit log ----------------------------------------------------------------------


@router.get("/audit", response_model=AuditPageOut)
def audit_page(
    principal: Supervisor,
    db: DbDep,
    user_id: QueryId | None = None,
    action: Annotated[str | None, Query(max_length=32)] = None,
    visitor_id: QueryId | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> AuditPageOut:
    """The audit log, newest first: who did what to whose data, when and why."""
    with db.read() as conn:
        unit = units.get_unit(conn, unit_id=principal.unit_id)
        since, until = _checked(rules.local_days_to_utc, date_from, date_to, unit["timezone"])
        rows = audit_store.list_audit_entries(
            conn, unit_id=principal.unit_id, user_id=user_id, action=action or None,
            visitor_id=visitor_id, since=since, until=until, limit=limit,
        )  # fmt: skip
        staff = accounts.list_users(conn, unit_id=principal.unit_id)
        actions = audit_store.audit_actions(conn, unit_id=principal.unit_id)
    return AuditPageOut(
        timezone=unit["timezone"],
        entries=[
            AuditEntryOut(
                id=r["id"],
                at=as_aware(r["at"]) or utcnow(),
                user_id=r["user_id"],
                username=r["username"],
                device_id=r["device_id"],
                action=r["action"],
                visitor_id=r["visitor_id"],
                visit_id=r["visit_id"],
                fields=r["fields"].split(",") if r["fields"] else [],
                reason=r["reason"],
                detail=r["detail"],
            )
            for r in rows
        ],
        staff=[StaffName(id=u["id"], username=u["username"]) for u in staff],
        actions=actions,
    )


# --- privacy desk: the visitor's export as a PDF ---------------------------------------


@router.get(
    "/visitors/{visitor_id}/export.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def export_pdf(
    visitor_id: PathId,
    principal: Supervisor,
    db: DbDep,
    settings: SettingsDep,
    lang: Annotated[str, Query(max_length=5)] = "id",
    reason: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """Everything held about one visitor as a PDF (audited as an export, like the JSON)."""
    ring = get_ring(settings)
    with db.write() as conn:
        data = subject.export(
            conn, ring=ring, unit_id=principal.unit_id, visitor_id=visitor_id,
            actor=actor_of(principal), reason=reason,
        )  # fmt: skip
        unit = units.get_unit(conn, unit_id=principal.unit_id)
    from server.exports.visitor_pdf import render_visitor_pdf  # fpdf2: 1.3 s to import

    body = render_visitor_pdf(data, unit_name=unit["name"], lang=normalise_language(lang))
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="visitor-{visitor_id}.pdf"',
        },
    )
