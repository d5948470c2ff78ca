"""Rating storage: finding the ticket to rate, storing a rating once, the IKM aggregates.

Keyword-only functions run inside the caller's transaction. A rating is stored
only for a served (``done``) ticket; the unique constraint on
``ratings.ticket_id`` turns the second of two concurrent submissions (terminal
and web at once) into :class:`Conflict` on SQLite and PostgreSQL alike. The
aggregates are plain ``GROUP BY`` sums per element code, so the IKM arithmetic
stays in :mod:`server.domain.skm`. Nothing here reads personal data: the
respondent profile is counted from the visit's category columns only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from server.db.privacy_schema import visits
from server.db.ratings_schema import rating_answers, rating_contacts, rating_followups, ratings
from server.db.schema import counters, services, tickets, units, users
from server.domain import skm
from server.domain.clock import local_day
from server.domain.queue import Status
from server.errors import Conflict, NotFound
from server.store import audit, cases
from server.store.common import Actor, first_row, inserted_id, utcnow

RATABLE = Status.DONE.value


@dataclass(frozen=True)
class Target:
    """What the visitor is rating, without who they are."""

    ticket_id: int
    unit_id: int
    number: str
    status: str
    service_id: int
    service_code: str
    service_name_id: str
    service_name_en: str
    counter_number: int | None
    counter_name: str | None
    rated: bool
    settings: dict[str, Any]

    @property
    def ratable(self) -> bool:
        return self.status == RATABLE and not self.rated


def _target_query() -> sa.Select[Any]:
    return (
        sa.select(
            tickets.c.id,
            tickets.c.unit_id,
            tickets.c.number,
            tickets.c.status,
            tickets.c.service_id,
            services.c.code.label("service_code"),
            services.c.name_id,
            services.c.name_en,
            counters.c.number.label("counter_number"),
            counters.c.name.label("counter_name"),
            ratings.c.id.label("rating_id"),
            units.c.settings,
        )
        .join(services, services.c.id == tickets.c.service_id)
        .join(units, units.c.id == tickets.c.unit_id)
        .outerjoin(counters, counters.c.id == tickets.c.counter_id)
        .outerjoin(ratings, ratings.c.ticket_id == tickets.c.id)
    )


def _target(row: RowMapping | None) -> Target:
    if row is None:
        raise NotFound(
            "No ticket matches; check the number or scan the QR code.", code="unknown_ticket"
        )
    return Target(
        ticket_id=row["id"],
        unit_id=row["unit_id"],
        number=row["number"],
        status=row["status"],
        service_id=row["service_id"],
        service_code=row["service_code"],
        service_name_id=row["name_id"],
        service_name_en=row["name_en"],
        counter_number=row["counter_number"],
        counter_name=row["counter_name"],
        rated=row["rating_id"] is not None,
        settings=dict(row["settings"] or {}),
    )


def target_by_token(conn: Connection, *, token: str, unit_id: int | None = None) -> Target:
    """The ticket behind a tracking token (optionally only within ``unit_id``)."""
    query = _target_query().where(tickets.c.tracking_token == token)
    if unit_id is not None:
        query = query.where(tickets.c.unit_id == unit_id)
    return _target(conn.execute(query).mappings().first())


def target_by_number(conn: Connection, *, unit_id: int, number: str, day: date) -> Target:
    """Today's ticket with this number in the unit (the number a visitor types)."""
    query = _target_query().where(
        tickets.c.unit_id == unit_id, tickets.c.day == day, tickets.c.number == number.upper()
    )
    return _target(conn.execute(query.order_by(tickets.c.id.desc())).mappings().first())


def unit_today(conn: Connection, *, unit_id: int, now: datetime | None = None) -> date:
    unit = first_row(conn, units, id=unit_id)
    if unit is None:
        raise NotFound(f"Unit {unit_id} does not exist.")
    return local_day(now or utcnow(), unit["timezone"])


def check_ratable(target: Target) -> None:
    if target.rated:
        raise Conflict(f"Ticket {target.number} has already been rated.", code="already_rated")
    if target.status != RATABLE:
        raise Conflict(
            f"Ticket {target.number} has not been served yet ({target.status}).", code="not_served"
        )


def record_rating(
    conn: Connection,
    *,
    target: Target,
    rating: skm.RatingInput,
    channel: str,
    device_id: int | None,
    now: datetime | None = None,
) -> int:
    """Store one rating and its answers; :class:`Conflict` if the ticket is not ratable."""
    check_ratable(target)
    moment = now or utcnow()
    ticket = conn.execute(
        sa.select(tickets.c.counter_id, tickets.c.day).where(tickets.c.id == target.ticket_id)
    ).one()
    values = {
        "unit_id": target.unit_id,
        "ticket_id": target.ticket_id,
        "service_id": target.service_id,
        "counter_id": ticket.counter_id,
        "day": ticket.day,
        "overall": rating.overall,
        "suggestion": rating.suggestion,
        "contact_me": rating.contact_me,
        "followup_reasons": list(rating.followup_reasons),
        "followup_text": rating.followup_text,
        "channel": channel,
        "device_id": device_id,
        "created_at": moment,
    }
    try:
        with conn.begin_nested():
            rating_id = inserted_id(conn.execute(sa.insert(ratings).values(values)))
    except IntegrityError as exc:
        raise Conflict(
            f"Ticket {target.number} has already been rated.", code="already_rated"
        ) from exc
    if rating.answers:
        conn.execute(
            sa.insert(rating_answers),
            [
                {
                    "rating_id": rating_id,
                    "questionnaire": a.questionnaire,
                    "version": a.version,
                    "code": a.code,
                    "score": a.score,
                }
                for a in rating.answers
            ],
        )
    # The standard's step 12: a rating completes the request's "rated" step.
    cases.mark_case_rated(conn, ticket_id=target.ticket_id, at=moment)
    return rating_id


def get_rating(conn: Connection, *, rating_id: int) -> RowMapping | None:
    return first_row(conn, ratings, id=rating_id)


def answers_of(conn: Connection, *, rating_id: int) -> list[RowMapping]:
    query = sa.select(rating_answers).where(rating_answers.c.rating_id == rating_id)
    return list(conn.execute(query.order_by(rating_answers.c.code)).mappings())


def _period(query: Any, *, unit_id: int, start: date, end: date, service_id: int | None) -> Any:
    query = query.where(ratings.c.unit_id == unit_id, ratings.c.day.between(start, end))
    if service_id is not None:
        query = query.where(ratings.c.service_id == service_id)
    return query


def element_sums(
    conn: Connection, *, unit_id: int, start: date, end: date, service_id: int | None = None
) -> dict[str, tuple[int, int]]:
    """``{code: (respondents, sum of scores)}`` of the SKM-9 answers in the period."""
    query = (
        sa.select(
            rating_answers.c.code,
            sa.func.count().label("n"),
            sa.func.sum(rating_answers.c.score).label("total"),
        )
        .join(ratings, ratings.c.id == rating_answers.c.rating_id)
        .where(rating_answers.c.questionnaire == skm.SKM)
        .group_by(rating_answers.c.code)
    )
    query = _period(query, unit_id=unit_id, start=start, end=end, service_id=service_id)
    return {row.code: (int(row.n), int(row.total)) for row in conn.execute(query)}


def block_sums(
    conn: Connection,
    *,
    unit_id: int,
    start: date,
    end: date,
    questionnaire: str,
    service_id: int | None = None,
) -> dict[str, tuple[int, int]]:
    """The same sums for another block (IPAK: respondents and number of "yes")."""
    query = (
        sa.select(
            rating_answers.c.code,
            sa.func.count().label("n"),
            sa.func.sum(rating_answers.c.score).label("total"),
        )
        .join(ratings, ratings.c.id == rating_answers.c.rating_id)
        .where(rating_answers.c.questionnaire == questionnaire)
        .group_by(rating_answers.c.code)
    )
    query = _period(query, unit_id=unit_id, start=start, end=end, service_id=service_id)
    return {row.code: (int(row.n), int(row.total)) for row in conn.execute(query)}


def respondents(
    conn: Connection, *, unit_id: int, start: date, end: date, service_id: int | None = None
) -> int:
    query = _period(
        sa.select(sa.func.count()).select_from(ratings),
        unit_id=unit_id,
        start=start,
        end=end,
        service_id=service_id,
    )
    return int(conn.execute(query).scalar_one())


def contact_requests(
    conn: Connection, *, unit_id: int, start: date, end: date, service_id: int | None = None
) -> int:
    query = _period(
        sa.select(sa.func.count()).select_from(ratings).where(ratings.c.contact_me.is_(True)),
        unit_id=unit_id,
        start=start,
        end=end,
        service_id=service_id,
    )
    return int(conn.execute(query).scalar_one())


def _rating_rows(unit_id: int) -> sa.Select[Any]:
    """Ratings with their ticket number, visit id and follow-up state (no identity)."""
    return (
        sa.select(
            ratings.c.id,
            ratings.c.day,
            ratings.c.overall,
            ratings.c.suggestion,
            ratings.c.contact_me,
            ratings.c.followup_reasons,
            ratings.c.followup_text,
            ratings.c.channel,
            ratings.c.created_at,
            tickets.c.number.label("ticket_number"),
            tickets.c.visit_id,
            services.c.code.label("service_code"),
            rating_contacts.c.handled_at.label("contact_handled_at"),
            users.c.username.label("contact_handled_by"),
        )
        .join(tickets, tickets.c.id == ratings.c.ticket_id)
        .join(services, services.c.id == ratings.c.service_id)
        .outerjoin(rating_contacts, rating_contacts.c.rating_id == ratings.c.id)
        .outerjoin(users, users.c.id == rating_contacts.c.handled_by)
        .where(ratings.c.unit_id == unit_id)
    )


def list_ratings(
    conn: Connection,
    *,
    unit_id: int,
    start: date,
    end: date,
    service_id: int | None = None,
    contact_only: bool = False,
    limit: int = 500,
) -> list[RowMapping]:
    """Ratings of the period, newest first, with their ticket number and visit (no identity)."""
    query = _rating_rows(unit_id).order_by(ratings.c.id.desc()).limit(limit)
    if contact_only:
        query = query.where(ratings.c.contact_me.is_(True))
    query = _period(query, unit_id=unit_id, start=start, end=end, service_id=service_id)
    return list(conn.execute(query).mappings())


def rating_row(conn: Connection, *, unit_id: int, rating_id: int) -> RowMapping:
    row = conn.execute(_rating_rows(unit_id).where(ratings.c.id == rating_id)).mappings().first()
    if row is None:
        raise NotFound(f"Rating {rating_id} not found.")
    return row


def mark_contact_handled(
    conn: Connection, *, unit_id: int, rating_id: int, actor: Actor, at: datetime | None = None
) -> RowMapping:
    """Record that staff contacted the visitor of a "contact me" rating (who, when; once).

    The first mark stands (a second, or two at once, changes nothing). When the
    ticket came through the guestbook, the audit log gets a ``contact_handled``
    entry on the visit, next to the ``open`` and ``reveal`` entries of the
    audited path that showed the contact.
    """
    row = rating_row(conn, unit_id=unit_id, rating_id=rating_id)
    if not row["contact_me"]:
        raise Conflict(
            f"Rating {rating_id} did not ask to be contacted.", code="not_a_contact_request"
        )
    if actor.user_id is None:
        raise Conflict("Only a staff member can mark a contact handled.", code="not_staff")
    if row["contact_handled_at"] is not None:
        return row
    at = at or utcnow()
    try:
        with conn.begin_nested():
            conn.execute(
                sa.insert(rating_contacts).values(
                    rating_id=rating_id, handled_at=at, handled_by=actor.user_id
                )
            )
    except IntegrityError:
        return rating_row(conn, unit_id=unit_id, rating_id=rating_id)  # marked at the same time
    if row["visit_id"] is not None:
        visitor_id = conn.execute(
            sa.select(visits.c.visitor_id).where(visits.c.id == row["visit_id"])
        ).scalar_one_or_none()
        audit.record(
            conn,
            unit_id=unit_id,
            actor=actor,
            action="contact_handled",
            visitor_id=visitor_id,
            visit_id=row["visit_id"],
            detail={"rating_id": rating_id},
            now=at,
        )
    return rating_row(conn, unit_id=unit_id, rating_id=rating_id)


def served(
    conn: Connection, *, unit_id: int, start: date, end: date, service_id: int | None = None
) -> int:
    """Tickets served (done) in the period: the population for the minimum sample."""
    query = (
        sa.select(sa.func.count())
        .select_from(tickets)
        .where(
            tickets.c.unit_id == unit_id,
            tickets.c.status == RATABLE,
            tickets.c.day.between(start, end),
        )
    )
    if service_id is not None:
        query = query.where(tickets.c.service_id == service_id)
    return int(conn.execute(query).scalar_one())


PROFILE_COLUMNS = ("sex", "age_group", "education", "occupation")


def profile_counts(
    conn: Connection, *, unit_id: int, start: date, end: date, service_id: int | None = None
) -> dict[str, dict[str, int]]:
    """Respondents per profile category, taken from the visit (never asked again)."""
    result: dict[str, dict[str, int]] = {}
    for name in PROFILE_COLUMNS:
        column = visits.c[name]
        query = (
            sa.select(column.label("value"), sa.func.count().label("n"))
            .select_from(
                ratings.join(tickets, tickets.c.id == ratings.c.ticket_id).outerjoin(
                    visits, visits.c.id == tickets.c.visit_id
                )
            )
            .group_by(column)
        )
        query = _period(query, unit_id=unit_id, start=start, end=end, service_id=service_id)
        result[name] = {(row.value or "unknown"): int(row.n) for row in conn.execute(query)}
    return result


def service_id_by_code(conn: Connection, *, unit_id: int, code: str) -> int:
    row = first_row(conn, services, unit_id=unit_id, code=code)
    if row is None:
        raise NotFound(f"Service {code!r} does not exist in this unit.", code="unknown_service")
    return int(row["id"])


# --- follow-up plan (rencana tindak lanjut) -------------------------------------------


def add_followup(
    conn: Connection,
    *,
    unit_id: int,
    service_id: int | None,
    period_from: date,
    period_to: date,
    element_code: str,
    action: str,
    owner: str,
    due_date: date,
    user_id: int | None,
) -> RowMapping:
    new_id = inserted_id(
        conn.execute(
            sa.insert(rating_followups).values(
                unit_id=unit_id,
                service_id=service_id,
                period_from=period_from,
                period_to=period_to,
                element_code=element_code,
                action=action,
                owner=owner,
                due_date=due_date,
                created_by=user_id,
                created_at=utcnow(),
            )
        )
    )
    return get_followup(conn, unit_id=unit_id, followup_id=new_id)


def get_followup(conn: Connection, *, unit_id: int, followup_id: int) -> RowMapping:
    row = first_row(conn, rating_followups, id=followup_id, unit_id=unit_id)
    if row is None:
        raise NotFound(f"Follow-up {followup_id} does not exist.", code="unknown_followup")
    return row


def list_followups(
    conn: Connection, *, unit_id: int, start: date, end: date, service_id: int | None = None
) -> list[RowMapping]:
    """Plan entries whose period overlaps ``start..end``."""
    query = sa.select(rating_followups).where(
        rating_followups.c.unit_id == unit_id,
        rating_followups.c.period_from <= end,
        rating_followups.c.period_to >= start,
    )
    if service_id is not None:
        query = query.where(rating_followups.c.service_id == service_id)
    return list(conn.execute(query.order_by(rating_followups.c.id)).mappings())


def update_followup(
    conn: Connection, *, unit_id: int, followup_id: int, changes: dict[str, Any]
) -> RowMapping:
    get_followup(conn, unit_id=unit_id, followup_id=followup_id)
    if changes:
        conn.execute(
            sa.update(rating_followups)
            .where(rating_followups.c.id == followup_id)
            .values(**changes)
        )
    return get_followup(conn, unit_id=unit_id, followup_id=followup_id)


def delete_followup(conn: Connection, *, unit_id: int, followup_id: int) -> None:
    get_followup(conn, unit_id=unit_id, followup_id=followup_id)
    conn.execute(sa.delete(rating_followups).where(rating_followups.c.id == followup_id))
