"""Bodies of device heartbeats and device health."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from server.api.schemas.common import Strict


class PrinterState(Strict):
    online: bool
    paper: Literal["ok", "near_end", "out", "unknown"] = "unknown"
    error: str | None = Field(default=None, max_length=300)


class HeartbeatIn(Strict):
    printer: PrinterState | None = None


class PrinterReport(BaseModel):
    online: bool | None = None
    paper: str | None = None
    error: str | None = None


class DeviceOut(BaseModel):
    id: int
    name: str
    kind: str
    active: bool
    last_seen_at: datetime | None
    online: bool
    printer: PrinterReport | None
