"""Requests (cases) and their steps: open, take a step, recompute due dates.

The rules (which step may follow, who may take it, what it records) come from
:mod:`server.domain.cases`; this module stores the result. Each step is a
``case_steps`` row and an event (``case.step``) on the unit's event stream,
written in the same transaction; a step whose kind says so queues a mail to
the visitor in the same transaction too. Contact details and the request
form's content are encrypted (``*_ct``). Refusals: an unknown or out-of-order
step is 409 naming the allowed steps, a step by the wrong role 403, a date
before the case opened 422.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.auth.tokens import new_tracking_token
from server.db.cases_schema import case_steps, cases, complaints
from server.db.privacy_schema import visitors, visits
from server.db.schema import services as services_table
from server.db.schema import tickets as tickets_table
from server.db.schema import units as units_table
from server.domain import cases as rules
from server.domain.clock import local_day
from server.domain.events import CASE_STEP
from server.domain.request_form import validate_form
from server.domain.workdays import WorkCalendar, add_working_days, clock_state, working_days_left
from server.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from server.privacy.crypto import DecryptError, KeyRing, context
from server.privacy.form import EMAIL_RE, normalise_email
from server.store import calendar, case_mail, events, tickets, units
from server.store.case_mail import first_response_due as first_response_due
from server.store.case_mail import office_of as office_of
from server.store.case_mail import tracking_link as tracking_link
from server.store.common import as_aware, first_row, get_in_unit, inserted_id, utcnow

CONTACT_FIELDS = ("name", "email", "phone")
FUTURE_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class Contact:
    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Context:
    """What a change needs besides its arguments: keys, the public URL, the clock."""

    ring: KeyRing | None
    base_url: str
    now: datetime


def _refused(exc: rules.StepRefused) -> Exception:
    if exc.reason == "role":
        return Forbidden(exc.message, code="step_role", allowed_next=exc.allowed)
    if exc.reason == "field":
        return InvalidInput(exc.message, code="step_fields", fields=exc.fields)
    if exc.reason == "unknown_kind":
        return InvalidInput(exc.message, code="unknown_kind", kinds=exc.allowed)
    return IllegalTransition(exc.message, code=f"step_{exc.reason}", allowed_next=exc.allowed)


def _kind_of_ticket(conn: Connection, *, unit_id: int, ticket_id: int | None) -> str:
    """The kind a ticket's service opens (the admin's ``case_kind``, else the kinds' data)."""
    if ticket_id is None:
        raise InvalidInput(
            "Name the kind of case, or the served ticket it comes from.",
            code="invalid_field",
            fields={"kind": "required"},
        )
    row = conn.execute(
        sa.select(services_table.c.code, services_table.c.case_kind)
        .join(tickets_table, tickets_table.c.service_id == services_table.c.id)
        .where(tickets_table.c.id == ticket_id, tickets_table.c.unit_id == unit_id)
    ).first()
    if row is None:
        raise NotFound(f"Ticket {ticket_id} not found.")
    return rules.kind_for_service(row.code, row.case_kind).code


def kind_of(code: str) -> rules.KindDef:
    try:
        return rules.get_kind(code)
    except rules.StepRefused as exc:
        raise _refused(exc) from None


def get_case(
    conn: Connection, *, unit_id: int, case_id: int, for_update: bool = False
) -> RowMapping:
    return get_in_unit(
        conn,
        cases,
        unit_id=unit_id,
        row_id=case_id,
        what="Case",
        code="case_not_found",
        for_update=for_update,
    )


def case_for_ticket(conn: Connection, *, ticket_id: int) -> RowMapping | None:
    return first_row(conn, cases, ticket_id=ticket_id)


def case_by_token(conn: Connection, *, token: str) -> RowMapping | None:
    return first_row(conn, cases, tracking_token=token)


def steps_of(conn: Connection, *, case_id: int) -> list[RowMapping]:
    query = sa.select(case_steps).where(case_steps.c.case_id == case_id).order_by(case_steps.c.seq)
    return list(conn.execute(query).mappings())


def _done(steps: list[RowMapping]) -> list[str]:
    return [s["step"] for s in steps if not s["system"]]


def allowed_next(conn: Connection, *, case: RowMapping) -> list[str]:
    kind = kind_of(case["kind"])
    return rules.allowed_next(kind, _done(steps_of(conn, case_id=case["id"])))


def _encrypt(
    ring: KeyRing, table: str, column: str, row_id: int, value: str | None
) -> bytes | None:
    return ring.encrypt_text(value or None, aad=context(table, column, row_id))


def contact_of(conn: Connection, *, ring: KeyRing, case: RowMapping) -> Contact:
    """The decrypted contact of a case (callers mask it or audit the reveal)."""
    return Contact(
        **{
            f: ring.decrypt_text(case[f"{f}_ct"], aad=context("cases", f, case["id"]))
            for f in CONTACT_FIELDS
        }
    )


def form_of(ring: KeyRing, case: RowMapping) -> dict[str, Any] | None:
    raw = ring.decrypt_text(case["form_ct"], aad=context("cases", "form", case["id"]))
    return None if raw is None else dict(json.loads(raw))


def _visit_contact(conn: Connection, ring: KeyRing, ticket: RowMapping) -> tuple[Contact, str]:
    """The e-mail, phone and name the visitor gave at the kiosk, and their language."""
    if ticket["visit_id"] is None:
        return Contact(), "id"
    visit = first_row(conn, visits, id=ticket["visit_id"])
    if visit is None:
        return Contact(), "id"
    language = visit["language"] or "id"
    if visit["visitor_id"] is None:
        return Contact(), language
    visitor = first_row(conn, visitors, id=visit["visitor_id"])
    if visitor is None:
        return Contact(), language
    values: dict[str, str | None] = {}
    for f in CONTACT_FIELDS:
        try:
            values[f] = ring.decrypt_text(
                visitor[f"{f}_ct"], aad=context("visitors", f, visitor["id"])
            )
        except DecryptError:
            values[f] = None
    return Contact(**values), language


def check_contact(contact: Contact) -> Contact:
    """Trimmed contact values; a malformed e-mail is 422 (a mail to it could never arrive)."""
    email = normalise_email(contact.email) if contact.email and contact.email.strip() else None
    if email is not None and not EMAIL_RE.match(email):
        raise InvalidInput(
            "The e-mail address is not valid.",
            code="invalid_field",
            fields={"contact.email": "email_invalid"},
        )
    name = (contact.name or "").strip() or None
    phone = (contact.phone or "").strip() or None
    return Contact(name=name, email=email, phone=phone)


def check_moment(value: datetime | None) -> datetime | None:
    """A step's date must say its time zone (``Z`` or ``+07:00``); naive is 422."""
    if value is not None and value.tzinfo is None:
        raise InvalidInput(
            "Give the date with its time zone, e.g. 2026-03-02T09:00:00+07:00.",
            code="date_without_timezone",
        )
    return value


def open_case(
    conn: Connection,
    *,
    ctx: Context,
    unit_id: int,
    kind_code: str | None,
    role: str,
    user_id: int | None,
    ticket_id: int | None = None,
    contact: Contact | None = None,
    language: str | None = None,
    organiser_type: str | None = None,
    title: str = "",
    form: dict[str, Any] | None = None,
    note: str | None = None,
    at: datetime | None = None,
    first_values: dict[str, Any] | None = None,
    complaint: bool = False,
) -> int:
    """Open a case (from a served ticket or directly) and take its first step.

    Complaint kinds are opened only by :func:`server.store.complaints.file_complaint`
    (``complaint=True``), which records where the complaint came from. Without a
    ``kind_code`` the case is the kind the ticket's service opens.
    """
    kind = kind_of(kind_code or _kind_of_ticket(conn, unit_id=unit_id, ticket_id=ticket_id))
    ring = ctx.ring
    assert ring is not None
    contact = check_contact(contact or Contact())
    if kind.complaint and not complaint:
        raise InvalidInput("Record complaints through /complaints.", code="use_complaints")
    if organiser_type not in (None, "government", "private"):
        raise InvalidInput(
            "organiser_type must be government or private.",
            code="invalid_field",
            fields={"organiser_type": "not_a_choice"},
        )
    lang = language or "id"
    token = new_tracking_token()
    service_id = None
    if ticket_id is not None:
        ticket = tickets.get_ticket(conn, unit_id=unit_id, ticket_id=ticket_id)
        if ticket["status"] not in ("serving", "done"):
            raise Conflict(
                f"Ticket {ticket_id} has not been served; open a case once it is being served.",
                code="ticket_not_served",
            )
        if case_for_ticket(conn, ticket_id=ticket_id) is not None:
            raise Conflict(f"Ticket {ticket_id} already has a case.", code="case_exists")
        token = ticket["tracking_token"]
        service_id = ticket["service_id"]
        given, visit_lang = _visit_contact(conn, ring, ticket)
        contact = Contact(
            name=contact.name or given.name,
            email=contact.email or given.email,
            phone=contact.phone or given.phone,
        )
        lang = language or visit_lang
    if form is not None:
        form, problems = validate_form(form)
        if problems:
            raise InvalidInput(
                "Some request form fields are missing or invalid: "
                + ", ".join(sorted(problems))
                + ".",
                code="form_fields",
                fields=problems,
            )
    moment = check_moment(at) or ctx.now
    if moment > ctx.now + FUTURE_SLACK:
        raise InvalidInput("A case cannot be opened in the future.", code="date_in_future")
    case_id = inserted_id(
        conn.execute(
            sa.insert(cases).values(
                unit_id=unit_id,
                kind=kind.code,
                status="open",
                current_step=kind.first_step,
                ticket_id=ticket_id,
                service_id=service_id,
                tracking_token=token,
                language=lang if lang in ("id", "en") else "id",
                organiser_type=organiser_type,
                title=title[:300],
                responsible_user_id=user_id,
                opened_at=moment,
                due_days=kind.clock_days,
                rounds=0,
                updated_at=ctx.now,
            )
        )
    )
    conn.execute(
        sa.update(cases)
        .where(cases.c.id == case_id)
        .values(
            key_id=ring.active_id,
            form_ct=_encrypt(ring, "cases", "form", case_id, json.dumps(form) if form else None),
            **{
                f"{f}_ct": _encrypt(ring, "cases", f, case_id, getattr(contact, f))
                for f in CONTACT_FIELDS
            },
        )
    )
    take_step(
        conn,
        ctx=ctx,
        unit_id=unit_id,
        case_id=case_id,
        step=kind.first_step,
        role=role,
        user_id=user_id,
        values=first_values or {},
        note=note,
        at=moment,
    )
    return case_id


def take_step(
    conn: Connection,
    *,
    ctx: Context,
    unit_id: int,
    case_id: int,
    step: str,
    role: str,
    user_id: int | None,
    values: dict[str, Any] | None = None,
    note: str | None = None,
    at: datetime | None = None,
) -> RowMapping:
    """Record ``step`` on the case if the kind allows it now; returns the step row."""
    case = get_case(conn, unit_id=unit_id, case_id=case_id, for_update=True)
    kind = kind_of(case["kind"])
    steps = steps_of(conn, case_id=case_id)
    try:
        cleaned = rules.check_step(kind, _done(steps), step, role=role, values=values or {})
    except rules.StepRefused as exc:
        raise _refused(exc) from None
    moment = check_moment(at) or ctx.now
    opened = _aware(case["opened_at"])
    if moment < opened:
        raise InvalidInput(
            f"The step's date is before the case was opened ({opened.isoformat()}).",
            code="date_before_opened",
        )
    if moment > ctx.now + FUTURE_SLACK:
        raise InvalidInput("A step cannot be dated in the future.", code="date_in_future")
    definition = kind.step(step)
    seq = (steps[-1]["seq"] if steps else 0) + 1
    step_id = inserted_id(
        conn.execute(
            sa.insert(case_steps).values(
                case_id=case_id,
                step=step,
                seq=seq,
                system=False,
                at=moment,
                recorded_at=ctx.now,
                user_id=user_id,
                note=(note or None) and note[:1000],
                data=cleaned,
            )
        )
    )
    changes: dict[str, Any] = {"current_step": step, "updated_at": ctx.now}
    if definition.round:
        changes["rounds"] = case["rounds"] + 1
    if "outcome" in cleaned:
        changes["outcome"] = cleaned["outcome"]
    if definition.final:
        changes.update(status="closed", closed_at=moment)
    unit = units.get_unit(conn, unit_id=unit_id)
    configured = (unit["settings"] or {}).get("cases", {}).get("clock_start_step")
    if case["clock_start"] is None and rules.starts_clock(kind, step, configured):
        start = local_day(moment, unit["timezone"])
        changes["clock_start"] = start
        changes["due_date"] = add_working_days(
            start, case["due_days"], calendar.work_calendar(conn, unit_id=unit_id)
        )
    conn.execute(sa.update(cases).where(cases.c.id == case_id).values(**changes))
    updated = get_case(conn, unit_id=unit_id, case_id=case_id)
    _emit(conn, updated, step=step)
    if definition.mail and ctx.ring is not None:
        case_mail.queue_step_mail(
            conn,
            ring=ctx.ring,
            base_url=ctx.base_url,
            now=ctx.now,
            unit=unit,
            case=updated,
            kind=kind,
            template=definition.mail,
            values=cleaned,
            user_id=user_id,
        )
    row = first_row(conn, case_steps, id=step_id)
    assert row is not None
    return row


def _aware(value: datetime) -> datetime:
    result = as_aware(value)
    assert result is not None
    return result


def _emit(
    conn: Connection, case: RowMapping, *, step: str, extra: dict[str, Any] | None = None
) -> None:
    events.emit(
        conn,
        unit_id=case["unit_id"],
        type=CASE_STEP,
        payload={
            "ticket": None,
            "case": {
                "id": case["id"],
                "kind": case["kind"],
                "step": step,
                "current_step": case["current_step"],
                "status": case["status"],
                "due_date": case["due_date"].isoformat() if case["due_date"] else None,
                "ticket_id": case["ticket_id"],
                **(extra or {}),
            },
        },
    )


def recompute_due_dates(
    conn: Connection, *, unit_id: int, now: datetime, reason: str
) -> list[dict[str, Any]]:
    """Move open cases' due dates after a calendar change; each move is recorded on the case."""
    cal = calendar.work_calendar(conn, unit_id=unit_id)
    query = sa.select(cases).where(
        cases.c.unit_id == unit_id, cases.c.status == "open", cases.c.clock_start.is_not(None)
    )
    moved = []
    for case in conn.execute(query).mappings().all():
        new_due = add_working_days(case["clock_start"], case["due_days"], cal)
        if new_due == case["due_date"]:
            continue
        change = {
            "from": case["due_date"].isoformat() if case["due_date"] else None,
            "to": new_due.isoformat(),
            "reason": reason[:200],
        }
        seq = int(
            conn.execute(
                sa.select(sa.func.max(case_steps.c.seq)).where(case_steps.c.case_id == case["id"])
            ).scalar()
            or 0
        )
        conn.execute(
            sa.insert(case_steps).values(
                case_id=case["id"],
                step="due_changed",
                seq=seq + 1,
                system=True,
                at=now,
                recorded_at=now,
                user_id=None,
                note=None,
                data=change,
            )
        )
        conn.execute(
            sa.update(cases)
            .where(cases.c.id == case["id"])
            .values(due_date=new_due, updated_at=now)
        )
        moved.append({"case_id": case["id"], **change})
    _recompute_first_response(conn, unit_id=unit_id, cal=cal)
    for change in moved:
        _emit(
            conn,
            get_case(conn, unit_id=unit_id, case_id=change["case_id"]),
            step="due_changed",
            extra={"due_change": {k: change[k] for k in ("from", "to", "reason")}},
        )
    return moved


def _recompute_first_response(conn: Connection, *, unit_id: int, cal: WorkCalendar) -> None:
    query = (
        sa.select(
            complaints.c.id, cases.c.clock_start, cases.c.kind, complaints.c.first_response_due
        )
        .join(cases, cases.c.id == complaints.c.case_id)
        .where(
            complaints.c.unit_id == unit_id,
            cases.c.status == "open",
            cases.c.clock_start.is_not(None),
        )
    )
    for row in conn.execute(query).all():
        days = kind_of(row.kind).first_response_days
        if days is None:
            continue
        due = add_working_days(row.clock_start, int(days), cal)
        if due != row.first_response_due:
            conn.execute(
                sa.update(complaints)
                .where(complaints.c.id == row.id)
                .values(first_response_due=due)
            )


def deadline_of(case: Mapping[str, Any], first_response_due: date | None) -> date | None:
    """The next date the case must meet: a complaint's first response while it
    waits for one, otherwise the due date."""
    kind = rules.kinds().get(case["kind"])
    if (
        kind is not None
        and kind.complaint
        and case["current_step"] == kind.first_step
        and first_response_due is not None
    ):
        return min(first_response_due, case["due_date"] or first_response_due)
    return cast(date | None, case["due_date"])


def _clocked(
    case: Mapping[str, Any], frd: date | None, today: date, near_days: int, cal: WorkCalendar
) -> dict[str, Any]:
    deadline = deadline_of(case, frd)
    if case["status"] != "open":
        return {**case, "deadline": deadline, "days_left": None, "clock": "closed"}
    if deadline is None:
        return {**case, "deadline": None, "days_left": None, "clock": "ok"}
    left = working_days_left(today, deadline, cal)
    return {**case, "deadline": deadline, "days_left": left, "clock": clock_state(left, near_days)}


def with_clock(
    conn: Connection, *, case: RowMapping, today: date, near_days: int
) -> dict[str, Any]:
    """One case with its deadline, working days left and clock state (as :func:`list_cases`)."""
    frd = conn.execute(
        sa.select(complaints.c.first_response_due).where(complaints.c.case_id == case["id"])
    ).scalar()
    cal = calendar.work_calendar(conn, unit_id=case["unit_id"])
    return _clocked(dict(case), frd, today, near_days, cal)


def list_cases(
    conn: Connection,
    *,
    unit_id: int,
    today: date,
    near_days: int,
    status: str = "open",
    complaint: bool | None = None,
    responsible_user_id: int | None = None,
) -> list[dict[str, Any]]:
    """Cases with their deadline, working days left and clock state, most urgent first."""
    query = (
        sa.select(cases, complaints.c.first_response_due)
        .select_from(cases.outerjoin(complaints, complaints.c.case_id == cases.c.id))
        .where(cases.c.unit_id == unit_id)
    )
    if status != "all":
        query = query.where(cases.c.status == status)
    if responsible_user_id is not None:
        query = query.where(cases.c.responsible_user_id == responsible_user_id)
    cal = calendar.work_calendar(conn, unit_id=unit_id)
    out = []
    for row in conn.execute(query.order_by(cases.c.id)).mappings():
        kind = rules.kinds().get(row["kind"])
        if kind is None or (complaint is not None and kind.complaint != complaint):
            continue
        case = {k: v for k, v in row.items() if k != "first_response_due"}
        out.append(_clocked(case, row["first_response_due"], today, near_days, cal))
    out.sort(
        key=lambda r: (
            r["days_left"] is None,
            r["days_left"] if r["days_left"] is not None else 0,
            r["id"],
        )
    )
    return out


def mark_case_rated(conn: Connection, *, ticket_id: int, at: datetime) -> bool:
    """Complete the "rated" step of the ticket's case, if it has one waiting for it.

    Called by the exit-rating code in the rating's transaction. Returns whether a
    step was recorded; a ticket without a case, or a case not at that point, is left alone.
    """
    case = case_for_ticket(conn, ticket_id=ticket_id)
    if case is None or case["status"] != "open":
        return False
    kind = kind_of(case["kind"])
    if "rated" not in kind.steps or "rated" not in allowed_next(conn, case=case):
        return False
    now = utcnow()
    take_step(
        conn,
        ctx=Context(ring=None, base_url="", now=max(now, _aware(at))),
        unit_id=case["unit_id"],
        case_id=case["id"],
        step="rated",
        role="system",
        user_id=None,
        at=max(_aware(at), _aware(case["opened_at"])),
    )
    return True


def set_responsible(conn: Connection, *, unit_id: int, case_id: int, user_id: int) -> None:
    get_case(conn, unit_id=unit_id, case_id=case_id)
    conn.execute(sa.update(cases).where(cases.c.id == case_id).values(responsible_user_id=user_id))


def open_cases_by_responsible(conn: Connection, *, unit_id: int) -> dict[int, list[RowMapping]]:
    query = sa.select(cases).where(
        cases.c.unit_id == unit_id,
        cases.c.status == "open",
        cases.c.responsible_user_id.is_not(None),
    )
    grouped: dict[int, list[RowMapping]] = {}
    for row in conn.execute(query.order_by(cases.c.due_date, cases.c.id)).mappings():
        grouped.setdefault(row["responsible_user_id"], []).append(row)
    return grouped


def units_with_open_cases(conn: Connection) -> list[tuple[int, str]]:
    """``(unit_id, timezone)`` of every unit that has an open case."""
    query = (
        sa.select(units_table.c.id, units_table.c.timezone)
        .where(sa.exists().where(cases.c.unit_id == units_table.c.id, cases.c.status == "open"))
        .order_by(units_table.c.id)
    )
    return [(r.id, r.timezone) for r in conn.execute(query)]
