"""The caller's unit, its services and counters."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.api.deps import AnyPrincipal, DbDep, SettingsDep, StaffUser
from server.api.schemas import CounterOut, CounterServicesIn, PathId, ServiceOut, UnitOut
from server.api.views import service_out
from server.db.database import Database
from server.store import counters, queue_reads, units

router = APIRouter(tags=["unit"])


@router.get("/unit", response_model=UnitOut)
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
        "mail_enabled": settings.mail_enabled,
    }


@router.get("/services", response_model=list[ServiceOut])
def list_services(principal: AnyPrincipal, db: DbDep) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = units.list_services(conn, unit_id=principal.unit_id)
    return [service_out(r) for r in rows]


@router.get("/counters", response_model=list[CounterOut])
def list_counters(principal: AnyPrincipal, db: DbDep) -> list[dict[str, Any]]:
    with db.read() as conn:
        served_by = queue_reads.counter_services_by_counter(conn, unit_id=principal.unit_id)
        return [
            {
                "id": r["id"],
                "number": r["number"],
                "name": r["name"],
                "paused": r["paused"],
                "staff_user_id": r["staff_user_id"],
                "service_ids": served_by.get(r["id"], []),
            }
            for r in units.list_counters(conn, unit_id=principal.unit_id)
        ]


@router.put("/counters/{counter_id}/services", response_model=CounterOut)
def set_services(
    counter_id: PathId, body: CounterServicesIn, principal: StaffUser, db: DbDep
) -> dict[str, Any]:
    with db.write() as conn:
        return counters.choose_services(
            conn,
            unit_id=principal.unit_id,
            counter_id=counter_id,
            service_ids=body.service_ids,
            staff_user_id=principal.user_id,
        )


def _set_paused(db: Database, unit_id: int, counter_id: int, *, paused: bool) -> dict[str, Any]:
    with db.write() as conn:
        return counters.set_paused(conn, unit_id=unit_id, counter_id=counter_id, paused=paused)


@router.post("/counters/{counter_id}/pause", response_model=CounterOut)
def pause(counter_id: PathId, principal: StaffUser, db: DbDep) -> dict[str, Any]:
    return _set_paused(db, principal.unit_id, counter_id, paused=True)


@router.post("/counters/{counter_id}/resume", response_model=CounterOut)
def resume(counter_id: PathId, principal: StaffUser, db: DbDep) -> dict[str, Any]:
    return _set_paused(db, principal.unit_id, counter_id, paused=False)
