"""Turn stored rows into the JSON the API returns (no personal data here)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection, RowMapping

from server.config import Settings
from server.store import tickets
from server.store.common import as_aware


def tracking_url(settings: Settings, token: str) -> str:
    return f"{settings.public_base_url.rstrip('/')}/t/{token}"


def ticket_out(
    conn: Connection, row: RowMapping, settings: Settings, *, with_token: bool = True
) -> dict[str, Any]:
    ahead = tickets.people_ahead(conn, row)
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
        "people_ahead": ahead,
        "estimated_wait_minutes": tickets.estimated_wait(conn, row, ahead=ahead),
        "visit_id": row["visit_id"],
    }


def service_out(row: RowMapping) -> dict[str, Any]:
    return {
        "id": row["id"],
        "code": row["code"],
        "prefix": row["prefix"],
        "name": {"id": row["name_id"], "en": row["name_en"]},
        "description": {"id": row["description_id"], "en": row["description_en"]},
        "active": row["active"],
    }
