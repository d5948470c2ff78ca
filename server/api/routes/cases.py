"""Requests (cases) and complaints for signed-in staff (mounted under /api/v1).

Routes translate HTTP to :mod:`server.store.cases` / :mod:`server.store.complaints`
calls; the lifecycle rules live in :mod:`server.domain.cases`. Contacts, form
content and complaint text come back masked; the unmasked values only through
``POST /cases/{id}/reveal`` with a reason, which is audited.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from sqlalchemy.engine import Connection, RowMapping

from server.api.deps import DbDep, SettingsDep, StaffUser, actor_of
from server.api.schemas import PathId
from server.api.schemas.cases import (
    AttachmentOut,
    CaseIn,
    CaseOut,
    CaseSummaryOut,
    ComplaintIn,
    ComplaintOut,
    FieldOut,
    KindOut,
    NextStepOut,
    RequestFormOut,
    RevealIn,
    RevealOut,
    StepIn,
    StepOut,
)
from server.config import Settings
from server.domain import cases as rules
from server.domain.clock import local_day
from server.domain.request_form import form_definition
from server.files import attachments as files
from server.i18n import normalise_language, t
from server.privacy.crypto import KeyRing
from server.privacy.masking import mask
from server.privacy.routes import PERSONAL, RingDep
from server.store import attachments as attachment_store
from server.store import audit, units
from server.store import cases as store
from server.store import complaints as complaint_store
from server.store.accounts import Principal
from server.store.common import utcnow

router = APIRouter(tags=["cases"])


def _ctx(ring: KeyRing | None, settings: Settings) -> store.Context:
    return store.Context(ring=ring, base_url=settings.public_base_url, now=utcnow())


def step_label(step: str, lang: str | None = "id") -> str:
    return t(f"cases.step_{step}", lang)


def _next_out(kind: rules.KindDef, code: str, lang: str) -> NextStepOut:
    d = kind.step(code)
    return NextStepOut(
        step=code,
        label=step_label(code, lang),
        roles=list(d.roles),
        fields=[
            FieldOut(
                name=f.name, required=f.required, type=f.type, choices=list(f.choices), max=f.max
            )
            for f in d.fields
        ],
    )


def _today(conn: Connection, unit_id: int) -> date:
    unit = units.get_unit(conn, unit_id=unit_id)
    return local_day(utcnow(), unit["timezone"])


def summary_out(row: dict[str, Any] | RowMapping, lang: str) -> CaseSummaryOut:
    return CaseSummaryOut(
        id=row["id"],
        kind=row["kind"],
        kind_label=t(f"cases.kind_{row['kind']}", lang),
        status=row["status"],
        current_step=row["current_step"],
        current_label=step_label(row["current_step"], lang),
        title=row["title"],
        ticket_id=row["ticket_id"],
        opened_at=row["opened_at"],
        due_date=row["due_date"],
        deadline=row.get("deadline") if isinstance(row, dict) else row["due_date"],
        days_left=row.get("days_left") if isinstance(row, dict) else None,
        clock=row.get("clock", "ok") if isinstance(row, dict) else "ok",
        rounds=row["rounds"],
        outcome=row["outcome"],
        responsible_user_id=row["responsible_user_id"],
    )


def case_out(
    conn: Connection, *, ring: KeyRing, settings: Settings, unit_id: int, case_id: int, lang: str
) -> CaseOut:
    case = store.get_case(conn, unit_id=unit_id, case_id=case_id)
    row = store.with_clock(
        conn, case=case, today=_today(conn, unit_id), near_days=settings.case_near_limit_days
    )
    kind = store.kind_of(case["kind"])
    steps = store.steps_of(conn, case_id=case_id)
    contact = store.contact_of(conn, ring=ring, case=case)
    complaint = complaint_store.complaint_of_case(conn, case_id=case_id)
    summary = summary_out(row, lang)
    return CaseOut(
        **summary.model_dump(),
        tracking_url=store.tracking_link(settings.public_base_url, case["tracking_token"]),
        language=case["language"],
        organiser_type=case["organiser_type"],
        contact={f: mask(f, getattr(contact, f)) for f in store.CONTACT_FIELDS},
        has_form=case["form_ct"] is not None,
        steps=[
            StepOut(
                seq=s["seq"],
                step=s["step"],
                label=step_label(s["step"], lang),
                system=s["system"],
                at=s["at"],
                user_id=s["user_id"],
                note=s["note"],
                data=s["data"] or {},
            )
            for s in steps
        ],
        allowed_next=[
            _next_out(kind, code, lang)
            for code in rules.allowed_next(kind, [s["step"] for s in steps if not s["system"]])
        ],
        attachments=[
            AttachmentOut(
                id=a["id"],
                filename=a["filename"],
                content_type=a["content_type"],
                size=a["size"],
                created_at=a["created_at"],
            )
            for a in attachment_store.list_attachments(conn, case_id=case_id)
        ],
        complaint=None
        if complaint is None
        else {
            "id": complaint["id"],
            "channel": complaint["channel"],
            "lapor_number": complaint["lapor_number"],
            "anonymous": complaint["anonymous"],
            "about_ticket_id": complaint["about_ticket_id"],
            "about_case_id": complaint["about_case_id"],
            "first_response_due": complaint["first_response_due"],
        },
    )


def _role(principal: Principal) -> str:
    return str(principal.role)


@router.get("/cases/form")
def request_form(principal: StaffUser) -> RequestFormOut:
    """The request form's fields (kept as data in server/domain/data/request_form.json)."""
    return RequestFormOut.model_validate(form_definition())


@router.get("/cases/kinds")
def list_kinds(principal: StaffUser, lang: str = "id") -> list[KindOut]:
    language = normalise_language(lang)
    return [
        KindOut(
            code=k.code,
            label=t(f"cases.kind_{k.code}", language),
            clock_days=k.clock_days,
            complaint=k.complaint,
            steps=[_next_out(k, code, language) for code in k.steps],
        )
        for k in rules.kinds().values()
    ]


@router.get("/cases")
def list_cases(
    principal: StaffUser,
    db: DbDep,
    settings: SettingsDep,
    status: str = "open",
    complaints: bool | None = None,
    mine: bool = False,
    lang: str = "id",
) -> list[CaseSummaryOut]:
    language = normalise_language(lang)
    with db.read() as conn:
        rows = store.list_cases(
            conn,
            unit_id=principal.unit_id,
            today=_today(conn, principal.unit_id),
            near_days=settings.case_near_limit_days,
            status=status if status in ("open", "closed", "all") else "open",
            complaint=complaints,
            responsible_user_id=principal.user_id if mine else None,
        )
    return [summary_out(r, language) for r in rows]


@router.post("/cases", status_code=201, dependencies=PERSONAL)
def open_case(
    body: CaseIn, principal: StaffUser, db: DbDep, settings: SettingsDep, ring: RingDep
) -> CaseOut:
    contact = body.contact or None
    with db.write() as conn:
        case_id = store.open_case(
            conn,
            ctx=_ctx(ring, settings),
            unit_id=principal.unit_id,
            kind_code=body.kind,
            role=_role(principal),
            user_id=principal.user_id,
            ticket_id=body.ticket_id,
            contact=store.Contact(**contact.model_dump()) if contact else None,
            language=normalise_language(body.language) if body.language else None,
            organiser_type=body.organiser_type,
            title=body.title,
            form=body.form,
            note=body.note,
            at=body.at,
        )
        return case_out(
            conn,
            ring=ring,
            settings=settings,
            unit_id=principal.unit_id,
            case_id=case_id,
            lang="id",
        )


@router.get("/cases/{case_id}", dependencies=PERSONAL)
def get_case(
    case_id: PathId,
    principal: StaffUser,
    db: DbDep,
    settings: SettingsDep,
    ring: RingDep,
    lang: str = "id",
) -> CaseOut:
    with db.read() as conn:
        return case_out(
            conn,
            ring=ring,
            settings=settings,
            unit_id=principal.unit_id,
            case_id=case_id,
            lang=normalise_language(lang),
        )


@router.post("/cases/{case_id}/steps", dependencies=PERSONAL)
def take_step(
    case_id: PathId,
    body: StepIn,
    principal: StaffUser,
    db: DbDep,
    settings: SettingsDep,
    ring: RingDep,
    request: Request,
) -> CaseOut:
    with db.write() as conn:
        store.take_step(
            conn,
            ctx=_ctx(ring, settings),
            unit_id=principal.unit_id,
            case_id=case_id,
            step=body.step,
            role=_role(principal),
            user_id=principal.user_id,
            values=body.values,
            note=body.note,
            at=body.at,
        )
        out = case_out(
            conn,
            ring=ring,
            settings=settings,
            unit_id=principal.unit_id,
            case_id=case_id,
            lang="id",
        )
    _wake_mail(request)
    return out


def _wake_mail(request: Request) -> None:
    worker = getattr(request.app.state, "mail_worker", None)
    if worker is not None:
        worker.wake()


@router.post("/cases/{case_id}/reveal", dependencies=PERSONAL)
def reveal(
    case_id: PathId,
    body: RevealIn,
    principal: StaffUser,
    db: DbDep,
    settings: SettingsDep,
    ring: RingDep,
) -> RevealOut:
    with db.write() as conn:
        case = store.get_case(conn, unit_id=principal.unit_id, case_id=case_id)
        contact = store.contact_of(conn, ring=ring, case=case)
        complaint = complaint_store.complaint_of_case(conn, case_id=case_id)
        audit.record(
            conn,
            unit_id=principal.unit_id,
            actor=actor_of(principal),
            action="case_reveal",
            fields=["name", "email", "phone", "form"],
            reason=body.reason,
            detail={"case_id": case_id},
        )
        unit = units.get_unit(conn, unit_id=principal.unit_id)
        text = t(
            "cases.whatsapp_text",
            case["language"],
            office=unit["name"],
            step=step_label(case["current_step"], case["language"]),
            due=case["due_date"].isoformat() if case["due_date"] else "-",
            link=store.tracking_link(settings.public_base_url, case["tracking_token"]),
        )
        return RevealOut(
            contact={f: getattr(contact, f) for f in store.CONTACT_FIELDS},
            form=store.form_of(ring, case),
            complaint_text=complaint_store.text_of(ring, complaint) if complaint else None,
            whatsapp_url=rules.whatsapp_link(contact.phone, text),
        )


@router.post("/cases/{case_id}/attachments", status_code=201)
async def upload_attachment(
    case_id: PathId,
    request: Request,
    principal: StaffUser,
    db: DbDep,
    settings: SettingsDep,
    ring: RingDep,
    content_type: Annotated[str, Header()] = "",
    x_filename: Annotated[str, Header()] = "",
) -> AttachmentOut:
    data = await request.body()
    kind = files.check_upload(
        data, content_type, x_filename, max_bytes=settings.attachment_max_bytes
    )
    with db.write() as conn:
        attachment_id = attachment_store.add_attachment(
            conn,
            unit_id=principal.unit_id,
            case_id=case_id,
            filename=x_filename.strip(),
            content_type=kind,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            key_id=ring.active_id,
            user_id=principal.user_id,
            now=utcnow(),
        )
        files.write(settings.data_dir, ring, principal.unit_id, attachment_id, data)
        row = attachment_store.get_attachment(
            conn, unit_id=principal.unit_id, case_id=case_id, attachment_id=attachment_id
        )
    return AttachmentOut(
        id=row["id"],
        filename=row["filename"],
        content_type=row["content_type"],
        size=row["size"],
        created_at=row["created_at"],
    )


@router.get(
    "/cases/{case_id}/attachments/{attachment_id}",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def download_attachment(
    case_id: PathId,
    attachment_id: PathId,
    principal: StaffUser,
    db: DbDep,
    settings: SettingsDep,
    ring: RingDep,
) -> Response:
    with db.write() as conn:
        row = attachment_store.get_attachment(
            conn, unit_id=principal.unit_id, case_id=case_id, attachment_id=attachment_id
        )
        audit.record(
            conn,
            unit_id=principal.unit_id,
            actor=actor_of(principal),
            action="attachment_read",
            detail={"case_id": case_id, "attachment_id": attachment_id},
        )
    data = files.read(settings.data_dir, ring, principal.unit_id, attachment_id)
    return Response(
        data,
        media_type=row["content_type"],
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="attachment-{attachment_id}"',
        },
    )


def complaint_out(row: dict[str, Any]) -> ComplaintOut:
    return ComplaintOut(
        id=row["id"],
        case_id=row["case_id"],
        channel=row["channel"],
        lapor_number=row["lapor_number"],
        anonymous=row["anonymous"],
        kind=row["kind"],
        current_step=row["current_step"],
        status=row["status"],
        due_date=row["due_date"],
        first_response_due=row["first_response_due"],
        created_at=row["created_at"],
    )


@router.get("/complaints")
def list_complaints(principal: StaffUser, db: DbDep) -> list[ComplaintOut]:
    with db.read() as conn:
        return [
            complaint_out(r)
            for r in complaint_store.list_complaints(conn, unit_id=principal.unit_id)
        ]


@router.post("/complaints", status_code=201)
def file_complaint(
    body: ComplaintIn,
    principal: StaffUser,
    db: DbDep,
    settings: SettingsDep,
    ring: RingDep,
    request: Request,
) -> ComplaintOut:
    with db.write() as conn:
        complaint_id, _ = complaint_store.file_complaint(
            conn,
            ctx=_ctx(ring, settings),
            unit_id=principal.unit_id,
            category=body.category,
            channel=body.channel,
            text=body.text,
            role=_role(principal),
            user_id=principal.user_id,
            lapor_number=body.lapor_number,
            about_ticket_id=body.about_ticket_id,
            about_case_id=body.about_case_id,
            anonymous=body.anonymous,
            contact=store.Contact(**body.contact.model_dump()) if body.contact else None,
            language=normalise_language(body.language),
        )
        rows = complaint_store.list_complaints(conn, unit_id=principal.unit_id)
    _wake_mail(request)
    return complaint_out(next(r for r in rows if r["id"] == complaint_id))
