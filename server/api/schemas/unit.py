"""Bodies of the caller's unit, its services and counters."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from server.api.schemas.common import LocalText, RowId, Strict


class UnitOut(BaseModel):
    id: int
    code: str
    name: str
    address: str | None
    phone: str | None
    email: str | None
    timezone: str
    complaint_channels: Any
    running_text: Any
    counter_area: Any
    whatsapp: str = ""  # the office details an admin sets on /admin
    skd_url: str = ""
    opening_hours: dict[str, str] = {}
    public_base_url: str
    mail_enabled: bool = False


class ServiceOut(BaseModel):
    id: int
    code: str
    prefix: str
    name: LocalText
    description: LocalText
    active: bool
    requires_email: bool = False


class CounterOut(BaseModel):
    id: int
    number: int
    name: str
    paused: bool
    staff_user_id: int | None
    service_ids: list[int]


class CounterServicesIn(Strict):
    service_ids: list[RowId] = Field(max_length=50)
