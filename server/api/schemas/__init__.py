"""Request and response bodies of the API (pydantic models, shown in /openapi.json).

One module per feature (``auth``, ``tickets``, ``queue``, ``unit``, ``devices``,
``health``, ``guestbook``) plus ``common``; this package re-exports the names
routes import from ``server.api.schemas``.
"""

from __future__ import annotations

from server.api.schemas.auth import LoginIn, LoginOut, UserOut
from server.api.schemas.common import MAX_ID, LocalText, PathId, QueryId, RowId, Strict
from server.api.schemas.devices import DeviceOut, HeartbeatIn, PrinterReport, PrinterState
from server.api.schemas.health import HealthOut
from server.api.schemas.queue import (
    CounterQueueOut,
    NoShowOut,
    QueueOut,
    RecentCallOut,
    ServiceQueueOut,
    TrackOut,
)
from server.api.schemas.tickets import ActionIn, TicketIn, TicketOut, TransferIn
from server.api.schemas.unit import CounterOut, CounterServicesIn, ServiceOut, UnitOut

__all__ = [
    "MAX_ID",
    "ActionIn",
    "CounterOut",
    "CounterQueueOut",
    "CounterServicesIn",
    "DeviceOut",
    "HealthOut",
    "HeartbeatIn",
    "LocalText",
    "LoginIn",
    "LoginOut",
    "NoShowOut",
    "PathId",
    "PrinterReport",
    "PrinterState",
    "QueryId",
    "QueueOut",
    "RecentCallOut",
    "RowId",
    "ServiceOut",
    "ServiceQueueOut",
    "Strict",
    "TicketIn",
    "TicketOut",
    "TrackOut",
    "TransferIn",
    "UnitOut",
    "UserOut",
]
