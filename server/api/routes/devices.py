"""Device heartbeats (kiosks report their printer) and device health for supervisors."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from server.api.deps import AnyPrincipal, DbDep, Supervisor
from server.api.schemas import DeviceOut, HeartbeatIn
from server.domain.devices import is_online
from server.errors import Forbidden
from server.store import accounts, devices
from server.store.common import as_aware, utcnow

router = APIRouter(prefix="/devices", tags=["devices"])


@router.post("/heartbeat", status_code=204)
def heartbeat(body: HeartbeatIn, principal: AnyPrincipal, db: DbDep) -> Response:
    if principal.device_id is None:
        raise Forbidden("Only devices send heartbeats.")
    printer = body.printer.model_dump() if body.printer else None
    with db.write() as conn:
        devices.record_heartbeat(
            conn, unit_id=principal.unit_id, device_id=principal.device_id, printer=printer
        )
    return Response(status_code=204)


@router.get("", response_model=list[DeviceOut])
def list_devices(principal: Supervisor, db: DbDep) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = accounts.list_devices(conn, unit_id=principal.unit_id)
    now = utcnow()
    out = []
    for row in rows:
        seen = as_aware(row["last_seen_at"])
        out.append(
            {
                "id": row["id"],
                "name": row["name"],
                "kind": row["kind"],
                "active": row["active"],
                "last_seen_at": seen,
                "online": is_online(seen, now),
                "printer": (row["status"] or {}).get("printer"),
            }
        )
    return out
