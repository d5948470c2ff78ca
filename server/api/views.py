"""Turn stored rows into the JSON the API returns (no personal data here)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection, RowMapping

from server.config import Settings
from server.domain import admin as admin_rules
from server.domain.cases import requires_email
from server.domain.queue import RecallRule, Status, allowed_actions
from server.i18n import normalise_language
from server.store import queue_reads, units
from server.store.common import as_aware


def tracking_url(settings: Settings, token: str) -> str:
    return f"{settings.public_base_url.rstrip('/')}/t/{token}"


def recall_rule(unit: RowMapping) -> RecallRule:
    """The unit's recall limits, which decide a called ticket's allowed actions."""
    extra = units.unit_settings(unit)
    return RecallRule(
        max_recalls=int(extra["max_recalls"]),
        recalls_before_no_show=int(extra["recalls_before_no_show"]),
    )


def ticket_out(
    conn: Connection,
    row: RowMapping,
    settings: Settings,
    *,
    with_token: bool = True,
    position: queue_reads.Position | None = None,
    rule: RecallRule | None = None,
) -> dict[str, Any]:
    """The API view of a ticket. ``position`` and ``rule``, when the caller already has
    them (issuing reads the position first; ``GET /queue`` reads both for all tickets
    at once), save queries."""
    if position is None:
        ahead = queue_reads.people_ahead(conn, row)
        position = queue_reads.Position(ahead, queue_reads.estimated_wait(conn, row, ahead=ahead))
    status = Status(row["status"])
    if rule is None and status is Status.CALLED:  # only a called ticket's actions need it
        rule = recall_rule(units.get_unit(conn, unit_id=row["unit_id"]))
    actions = allowed_actions(status, row["recall_count"], rule or RecallRule())
    return {
        "id": row["id"],
        "number": row["number"],
        "service_id": row["service_id"],
        "status": row["status"],
        "priority": row["priority"],
        "priority_reason": row["priority_reason"],
        "counter_id": row["counter_id"],
        "target_counter_id": row["target_counter_id"],
        "issued_at": as_aware(row["issued_at"]),
        "called_at": as_aware(row["called_at"]),
        "recall_count": row["recall_count"],
        "tracking_token": row["tracking_token"] if with_token else None,
        "tracking_url": tracking_url(settings, row["tracking_token"]) if with_token else None,
        "people_ahead": position.people_ahead,
        "estimated_wait_minutes": position.estimated_wait_minutes,
        "visit_id": row["visit_id"],
        "allowed_actions": [action.value for action in actions],
    }


def service_out(row: RowMapping) -> dict[str, Any]:
    return {
        "id": row["id"],
        "code": row["code"],
        "prefix": row["prefix"],
        "name": {"id": row["name_id"], "en": row["name_en"]},
        "description": {"id": row["description_id"], "en": row["description_en"]},
        "active": row["active"],
        # the case kind the service opens (admin's choice, else the kinds' data) decides
        "requires_email": requires_email(row["code"], row["case_kind"]),
    }


def tracking_view(
    conn: Connection, *, token: str, settings: Settings, lang: str | None
) -> dict[str, Any] | None:
    """What a visitor may see of their ticket (number, service, state, wait); None if unknown."""
    row = queue_reads.get_by_tracking_token(conn, token=token[:64])
    if row is None:
        return None
    service = units.get_service(conn, unit_id=row["unit_id"], service_id=row["service_id"])
    out = ticket_out(conn, row, settings, with_token=False)
    counter = (
        units.get_counter(conn, unit_id=row["unit_id"], counter_id=row["counter_id"])
        if row["counter_id"] is not None
        else None
    )
    office = units.unit_settings(units.get_unit(conn, unit_id=row["unit_id"]))
    hours = office["opening_hours"]
    return {
        "number": row["number"],
        # the office's days in week order, each with its hours (a day not listed is closed)
        "opening_hours": {day: hours[day] for day in admin_rules.DAYS if hours.get(day)},
        "service": service["name_en" if normalise_language(lang) == "en" else "name_id"],
        "status": row["status"],
        "counter_name": counter["name"] if counter is not None else None,
        "people_ahead": out["people_ahead"],
        "estimated_wait_minutes": out["estimated_wait_minutes"],
        "issued_at": out["issued_at"],
    }
