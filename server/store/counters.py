"""Counter changes staff make from the console, each with its ``counter.updated`` event.

Choosing a counter's services (which also makes the caller its staff) and
pausing or resuming it write the change and the event in the same
transaction, so boards and other consoles hear of every change and of
nothing that did not happen. Look-ups stay in :mod:`server.store.units`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Connection

from server.domain import events as event_names
from server.store import events, units


def counter_view(conn: Connection, *, unit_id: int, counter_id: int) -> dict[str, Any]:
    """A counter with the ids of the services it serves."""
    row = units.get_counter(conn, unit_id=unit_id, counter_id=counter_id)
    return {
        "id": row["id"],
        "number": row["number"],
        "name": row["name"],
        "paused": row["paused"],
        "staff_user_id": row["staff_user_id"],
        "service_ids": units.counter_service_ids(conn, counter_id=row["id"]),
    }


def _changed(conn: Connection, *, unit_id: int, counter_id: int) -> dict[str, Any]:
    out = counter_view(conn, unit_id=unit_id, counter_id=counter_id)
    events.emit(
        conn,
        unit_id=unit_id,
        type=event_names.COUNTER_UPDATED,
        payload={
            "ticket": None,
            "counter": {k: out[k] for k in ("id", "number", "name")},
            "paused": out["paused"],
            "service_ids": out["service_ids"],
        },
    )
    return out


def choose_services(
    conn: Connection,
    *,
    unit_id: int,
    counter_id: int,
    service_ids: Sequence[int],
    staff_user_id: int | None,
) -> dict[str, Any]:
    """Set the services a counter serves and who staffs it; returns the counter."""
    units.get_counter(conn, unit_id=unit_id, counter_id=counter_id)
    units.set_counter_services(
        conn, unit_id=unit_id, counter_id=counter_id, service_ids=service_ids
    )
    units.set_counter_staff(conn, unit_id=unit_id, counter_id=counter_id, user_id=staff_user_id)
    return _changed(conn, unit_id=unit_id, counter_id=counter_id)


def set_paused(conn: Connection, *, unit_id: int, counter_id: int, paused: bool) -> dict[str, Any]:
    """Pause or resume a counter (a paused counter calls nobody); returns the counter."""
    units.set_counter_paused(conn, unit_id=unit_id, counter_id=counter_id, paused=paused)
    return _changed(conn, unit_id=unit_id, counter_id=counter_id)
