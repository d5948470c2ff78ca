"""The queue at a glance (console, board) and public ticket tracking."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.api.deps import AnyPrincipal, DbDep, SettingsDep
from server.api.schemas import QueueOut, TrackOut
from server.api.views import recall_rule, ticket_out, tracking_view
from server.domain.clock import local_day
from server.errors import NotFound
from server.store import queue_reads, units
from server.store.common import as_aware, utcnow
from server.store.queue_reads import Position

router = APIRouter(tags=["queue"])
HELD = Position(people_ahead=0, estimated_wait_minutes=0)  # a called or served ticket waits no more


@router.get("/queue", response_model=QueueOut)
def get_queue(principal: AnyPrincipal, db: DbDep, settings: SettingsDep) -> dict[str, Any]:
    """Every service's waiting tickets, each counter's current ticket and the last calls.

    A fixed number of queries, however many tickets wait (``store/queue_reads``).
    """
    with_token = principal.device_kind != "board"
    unit_id = principal.unit_id
    with db.read() as conn:
        unit = units.get_unit(conn, unit_id=unit_id)
        rule = recall_rule(unit)
        default_minutes = float(units.unit_settings(unit)["default_service_minutes"])
        services = units.list_services(conn, unit_id=unit_id)
        waiting = queue_reads.waiting_tickets(conn, unit_id=unit_id)
        held = queue_reads.active_tickets_by_counter(conn, unit_id=unit_id)
        positions = queue_reads.positions(
            conn, unit_id=unit_id, waiting=waiting, unit_default_minutes=default_minutes
        )
        served_by = queue_reads.counter_services_by_counter(conn, unit_id=unit_id)
        by_service: dict[int, list[dict[str, Any]]] = {s["id"]: [] for s in services}
        for row in waiting:
            by_service.setdefault(row["service_id"], []).append(
                ticket_out(
                    conn,
                    row,
                    settings,
                    with_token=with_token,
                    position=positions[row["id"]],
                    rule=rule,
                )
            )
        counters = [
            {
                "counter_id": c["id"],
                "number": c["number"],
                "name": c["name"],
                "paused": c["paused"],
                "service_ids": served_by.get(c["id"], []),
                "current": ticket_out(
                    conn, held[c["id"]], settings, with_token=with_token, position=HELD, rule=rule
                )
                if c["id"] in held
                else None,
            }
            for c in units.list_counters(conn, unit_id=unit_id)
        ]
        today = local_day(utcnow(), unit["timezone"])
        calls = queue_reads.recent_calls(conn, unit_id=unit_id, day=today)
    return {
        "services": [
            {
                "service_id": s["id"],
                "prefix": s["prefix"],
                "name": {"id": s["name_id"], "en": s["name_en"]},
                "waiting_count": len(by_service.get(s["id"], [])),
                "waiting": by_service.get(s["id"], []),
            }
            for s in services
        ],
        "counters": counters,
        "recent_calls": [
            {
                "number": c["number"],
                "service_id": c["service_id"],
                "counter_number": c["counter_number"],
                "counter_name": c["counter_name"],
                "called_at": as_aware(c["called_at"]),
            }
            for c in calls
        ],
    }


@router.get("/track/{tracking_token}", response_model=TrackOut)
def track(
    tracking_token: str, db: DbDep, settings: SettingsDep, lang: str = "id"
) -> dict[str, Any]:
    """Public: a visitor follows their ticket from the QR code. No personal data."""
    with db.read() as conn:
        view = tracking_view(conn, token=tracking_token, settings=settings, lang=lang)
    if view is None:
        raise NotFound("No ticket has this tracking code.", code="unknown_tracking_token")
    return view
