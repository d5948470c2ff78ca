"""The caller's unit, its services and counters."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.api.deps import AnyPrincipal, DbDep, SettingsDep, StaffUser
from server.api.schemas import CounterServicesIn, PathId
from server.api.views import service_out
from server.db.database import Database
from server.store import events, units

router = APIRouter(tags=["unit"])


@router.get("/unit")
def get_unit(principal: AnyPrincipal, db: DbDep, settings: SettingsDep) -> dict[str, Any]:
    with db.read() as conn:
        unit = units.get_unit(conn, unit_id=principal.unit_id)
    extra = units.unit_settings(unit)
    return {
        "id": unit["id"],
        "code": unit["code"],
        "name": unit["name"],
        "address": unit["address"],
        "phone": unit["phone"],
        "email": unit["email"],
        "timezone": unit["timezone"],
        "complaint_channels": extra["complaint_channels"],
        "running_text": extra["running_text"],
        "counter_area": extra["counter_area"],
        "whatsapp": extra["whatsapp"],
        "skd_url": extra["rating_skd_url"],
        "opening_hours": extra["opening_hours"],
        "public_base_url": settings.public_base_url,
    }


@router.get("/services")
def list_services(principal: AnyPrincipal, db: DbDep) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = units.list_services(conn, unit_id=principal.unit_id)
    return [service_out(r) for r in rows]


def _counter_out(conn: Any, row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "number": row["number"],
        "name": row["name"],
        "paused": row["paused"],
        "staff_user_id": row["staff_user_id"],
        "service_ids": units.counter_service_ids(conn, counter_id=row["id"]),
    }


@router.get("/counters")
def list_counters(principal: AnyPrincipal, db: DbDep) -> list[dict[str, Any]]:
    with db.read() as conn:
        return [_counter_out(conn, r) for r in units.list_counters(conn, unit_id=principal.unit_id)]


def _counter_changed(conn: Any, unit_id: int, counter_id: int) -> dict[str, Any]:
    row = units.get_counter(conn, unit_id=unit_id, counter_id=counter_id)
    out = _counter_out(conn, row)
    events.emit(
        conn,
        unit_id=unit_id,
        type="counter.updated",
        payload={
            "ticket": None,
            "counter": {k: out[k] for k in ("id", "number", "name")},
            "paused": out["paused"],
            "service_ids": out["service_ids"],
        },
    )
    return out


@router.put("/counters/{counter_id}/services")
def set_services(
    counter_id: PathId, body: CounterServicesIn, principal: StaffUser, db: DbDep
) -> dict[str, Any]:
    with db.write() as conn:
        units.get_counter(conn, unit_id=principal.unit_id, counter_id=counter_id)
        units.set_counter_services(
            conn, unit_id=principal.unit_id, counter_id=counter_id, service_ids=body.service_ids
        )
        units.set_counter_staff(
            conn, unit_id=principal.unit_id, counter_id=counter_id, user_id=principal.user_id
        )
        return _counter_changed(conn, principal.unit_id, counter_id)


def _set_paused(db: Database, unit_id: int, counter_id: int, *, paused: bool) -> dict[str, Any]:
    with db.write() as conn:
        units.set_counter_paused(conn, unit_id=unit_id, counter_id=counter_id, paused=paused)
        return _counter_changed(conn, unit_id, counter_id)


@router.post("/counters/{counter_id}/pause")
def pause(counter_id: PathId, principal: StaffUser, db: DbDep) -> dict[str, Any]:
    return _set_paused(db, principal.unit_id, counter_id, paused=True)


@router.post("/counters/{counter_id}/resume")
def resume(counter_id: PathId, principal: StaffUser, db: DbDep) -> dict[str, Any]:
    return _set_paused(db, principal.unit_id, counter_id, paused=False)
