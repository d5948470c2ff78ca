"""Device heartbeats (kiosks report their printer) and device health for supervisors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Response

from server.api.deps import AnyPrincipal, DbDep, Supervisor
from server.api.schemas import HeartbeatIn
from server.errors import Forbidden
from server.store import accounts, events
from server.store.common import as_aware, utcnow

router = APIRouter(prefix="/devices", tags=["devices"])
ONLINE_WITHIN = timedelta(minutes=2)


@router.post("/heartbeat", status_code=204)
def heartbeat(body: HeartbeatIn, principal: AnyPrincipal, db: DbDep) -> Response:
    if principal.device_id is None:
        raise Forbidden("Only devices send heartbeats.")
    status = {"printer": body.printer.model_dump()} if body.printer else None
    with db.write() as conn:
        previous = accounts.record_heartbeat(conn, device_id=principal.device_id, status=status)
        before = (previous["status"] or {}).get("printer") or {}
        now = (status or {}).get("printer") or {}
        faulty = bool(now) and (not now.get("online") or now.get("paper") in ("out", "near_end"))
        if faulty and now != before:
            events.emit(
                conn,
                unit_id=principal.unit_id,
                type="device.alert",
                payload={
                    "ticket": None,
                    "counter": None,
                    "device": {
                        "id": previous["id"],
                        "name": previous["name"],
                        "kind": previous["kind"],
                    },
                    "printer": now,
                    "at": utcnow().isoformat(),
                },
            )
    return Response(status_code=204)


@router.get("")
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
                "online": seen is not None and now - seen < ONLINE_WITHIN,
                "printer": (row["status"] or {}).get("printer"),
            }
        )
    return out
