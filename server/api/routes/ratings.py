"""The exit rating: what a ticket rates, storing a rating once, the IKM report, follow-up plans.

``POST /ratings`` is shared by the rating terminal (device token of kind
``rating``; it may name the ticket by its number, today, in its unit) and the
web form behind the tracking link (no sign-in: the ticket's tracking token is
the proof). One rating per served ticket; a flood from one device or address
is refused with 429 before anything is read.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from server.api.deps import DbDep, Supervisor, actor_of, get_principal
from server.api.rating_views import ikm_report, target_out
from server.api.schemas import PathId
from server.api.schemas.ratings import (
    FollowupIn,
    FollowupOut,
    FollowupPatch,
    IkmOut,
    RatingIn,
    RatingOut,
    RatingRowOut,
    TargetOut,
)
from server.auth.throttle import LoginThrottle
from server.db.database import Database
from server.domain import skm
from server.errors import Forbidden, InvalidInput, TooManyRequests
from server.store import ratings
from server.store.accounts import Principal
from server.store.common import as_aware

router = APIRouter(tags=["ratings"])

FLOOD_LIMIT = 12  # ratings (or attempts) per device or address ...
FLOOD_WINDOW_SECONDS = 60.0  # ... in this many seconds; a terminal sees one visitor a minute
MAX_PERIOD_DAYS = 366


def _throttle(request: Request) -> LoginThrottle:
    state = request.app.state
    if not hasattr(state, "rating_throttle"):
        state.rating_throttle = LoginThrottle(
            max_failures=FLOOD_LIMIT, window_seconds=FLOOD_WINDOW_SECONDS
        )
    throttle: LoginThrottle = state.rating_throttle
    return throttle


async def _rating_device(request: Request, db: Database) -> Principal | None:
    """The calling rating terminal, or None for the public web form (no Authorization)."""
    if not request.headers.get("authorization"):
        return None
    principal = await get_principal(request, db)
    if principal.device_kind != "rating":
        raise Forbidden("Only a rating terminal or the visitor's tracking link may rate.")
    return principal


def _flood_key(request: Request, device: Principal | None) -> str:
    if device is not None:
        return f"device:{device.device_id}"
    return f"addr:{request.client.host if request.client else 'unknown'}"


def _check_flood(request: Request, device: Principal | None) -> None:
    key = _flood_key(request, device)
    throttle = _throttle(request)
    if throttle.blocked(key):
        raise TooManyRequests("Too many ratings from this device; wait a minute.", code="flood")
    throttle.fail(key)


def _find(
    db: Database, *, device: Principal | None, token: str | None, number: str | None
) -> ratings.Target:
    with db.read() as conn:
        if token:
            unit_id = device.unit_id if device is not None else None
            return ratings.target_by_token(conn, token=token, unit_id=unit_id)
        if number and device is not None:
            today = ratings.unit_today(conn, unit_id=device.unit_id)
            return ratings.target_by_number(
                conn, unit_id=device.unit_id, number=number.strip(), day=today
            )
    if number:
        raise Forbidden("Only a rating terminal may name a ticket by its number.")
    raise InvalidInput("Send tracking_token (or ticket_number from a terminal).", code="no_ticket")


@router.get("/ratings/target", response_model=TargetOut)
async def rating_target(
    request: Request,
    db: DbDep,
    token: Annotated[str | None, Query(min_length=8, max_length=64)] = None,
    number: Annotated[str | None, Query(min_length=2, max_length=8)] = None,
) -> dict[str, Any]:
    """What a ticket rates (service, counter, questionnaire) and whether it may be rated."""
    device = await _rating_device(request, db)
    target = await run_in_threadpool(_find, db, device=device, token=token, number=number)
    return target_out(target)


def _store(
    db: Database, body: RatingIn, device: Principal | None
) -> tuple[ratings.Target, skm.RatingInput, int]:
    try:
        data = skm.validate(
            overall=body.overall,
            blocks=[(b.questionnaire, b.version, b.answers) for b in body.blocks],
            suggestion=body.suggestion,
            contact_me=body.contact_me,
            followup_reasons_given=body.followup_reasons,
            followup_text=body.followup_text,
        )
    except skm.RatingRuleError as exc:
        raise InvalidInput(str(exc), code=exc.code) from exc
    target = _find(db, device=device, token=body.tracking_token, number=body.ticket_number)
    ratings.check_ratable(target)
    with db.write() as conn:
        rating_id = ratings.record_rating(
            conn,
            target=target,
            rating=data,
            channel="terminal" if device is not None else "web",
            device_id=device.device_id if device is not None else None,
        )
    return target, data, rating_id


@router.post("/ratings", status_code=201, response_model=RatingOut)
async def submit_rating(request: Request, body: RatingIn, db: DbDep) -> dict[str, Any]:
    """Store one rating of a served ticket; 409 if it was rated already or is not served."""
    device = await _rating_device(request, db)
    _check_flood(request, device)
    target, data, rating_id = await run_in_threadpool(_store, db, body, device)
    return {
        "id": rating_id,
        "ticket_number": target.number,
        "overall": data.overall,
        "answers": len(data.answers),
        "contact_me": data.contact_me,
    }


def _period(start: date, end: date) -> None:
    if end < start:
        raise InvalidInput("'to' must not be before 'from'.", code="bad_period")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInput(f"A period is at most {MAX_PERIOD_DAYS} days.", code="bad_period")


@router.get("/ratings", response_model=list[RatingRowOut])
def list_ratings(
    principal: Supervisor,
    db: DbDep,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    service: Annotated[str | None, Query(max_length=40)] = None,
    contact_me: bool = False,
) -> list[dict[str, Any]]:
    """Ratings of a period (newest 500), e.g. ``contact_me=true`` for those to call back."""
    _period(start, end)
    with db.read() as conn:
        service_id = (
            ratings.service_id_by_code(conn, unit_id=principal.unit_id, code=service)
            if service
            else None
        )
        rows = ratings.list_ratings(
            conn,
            unit_id=principal.unit_id,
            start=start,
            end=end,
            service_id=service_id,
            contact_only=contact_me,
        )
    return [_row_out(r) for r in rows]


def _row_out(r: Any) -> dict[str, Any]:
    return {
        "id": r["id"],
        "day": r["day"],
        "ticket_number": r["ticket_number"],
        "service": r["service_code"],
        "channel": r["channel"],
        "overall": r["overall"],
        "suggestion": r["suggestion"],
        "contact_me": r["contact_me"],
        "followup_reasons": list(r["followup_reasons"] or []),
        "followup_text": r["followup_text"],
        "visit_id": r["visit_id"],
        "contact_handled_at": as_aware(r["contact_handled_at"]),
        "contact_handled_by": r["contact_handled_by"],
    }


@router.post("/ratings/{rating_id}/contact-handled", response_model=RatingRowOut)
def contact_handled(rating_id: PathId, principal: Supervisor, db: DbDep) -> dict[str, Any]:
    """Mark a "contact me" rating as followed up (who, when; the first mark stands).

    The visitor's contact itself is read through the guestbook's audited path
    (``GET /visits/{visit_id}``, ``POST /visitors/{id}/reveal`` with a reason).
    """
    with db.write() as conn:
        row = ratings.mark_contact_handled(
            conn, unit_id=principal.unit_id, rating_id=rating_id, actor=actor_of(principal)
        )
        return _row_out(row)


@router.get("/reports/ikm", response_model=IkmOut)
def ikm(
    principal: Supervisor,
    db: DbDep,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    service: Annotated[str | None, Query(max_length=40)] = None,
) -> dict[str, Any]:
    """The satisfaction index of a period: NRR per element, IKM, grade, minimum sample."""
    _period(start, end)
    with db.read() as conn:
        return ikm_report(
            conn, unit_id=principal.unit_id, start=start, end=end, service_code=service
        )


def _followup_out(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "element_code": row["element_code"],
        "period_from": row["period_from"],
        "period_to": row["period_to"],
        "service_id": row["service_id"],
        "action": row["action"],
        "owner": row["owner"],
        "due_date": row["due_date"],
        "done": row["done"],
    }


@router.get("/reports/ikm/followups", response_model=list[FollowupOut])
def list_followups(
    principal: Supervisor,
    db: DbDep,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    service: Annotated[str | None, Query(max_length=40)] = None,
) -> list[dict[str, Any]]:
    _period(start, end)
    with db.read() as conn:
        service_id = (
            ratings.service_id_by_code(conn, unit_id=principal.unit_id, code=service)
            if service
            else None
        )
        rows = ratings.list_followups(
            conn, unit_id=principal.unit_id, start=start, end=end, service_id=service_id
        )
    return [_followup_out(r) for r in rows]


@router.post("/reports/ikm/followups", status_code=201, response_model=FollowupOut)
def add_followup(body: FollowupIn, principal: Supervisor, db: DbDep) -> dict[str, Any]:
    """Record a follow-up plan entry (what, who, by when) for one element of a period."""
    _period(body.period_from, body.period_to)
    if body.element_code not in skm.SKM_CODES:
        raise InvalidInput(f"{body.element_code!r} is not an SKM element.", code="unknown_element")
    with db.write() as conn:
        service_id = (
            ratings.service_id_by_code(conn, unit_id=principal.unit_id, code=body.service)
            if body.service
            else None
        )
        row = ratings.add_followup(
            conn,
            unit_id=principal.unit_id,
            service_id=service_id,
            period_from=body.period_from,
            period_to=body.period_to,
            element_code=body.element_code,
            action=body.action.strip(),
            owner=body.owner.strip(),
            due_date=body.due_date,
            user_id=principal.user_id,
        )
        return _followup_out(row)


@router.patch("/reports/ikm/followups/{followup_id}", response_model=FollowupOut)
def update_followup(
    followup_id: PathId, body: FollowupPatch, principal: Supervisor, db: DbDep
) -> dict[str, Any]:
    changes = body.model_dump(exclude_none=True)
    with db.write() as conn:
        row = ratings.update_followup(
            conn, unit_id=principal.unit_id, followup_id=followup_id, changes=changes
        )
        return _followup_out(row)


@router.delete("/reports/ikm/followups/{followup_id}", status_code=204, response_class=Response)
def delete_followup(followup_id: PathId, principal: Supervisor, db: DbDep) -> Response:
    with db.write() as conn:
        ratings.delete_followup(conn, unit_id=principal.unit_id, followup_id=followup_id)
    return Response(status_code=204)
