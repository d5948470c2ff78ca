"""Request and response bodies of the admin API (``/api/v1/admin/...``).

Shapes only; the values are checked by :mod:`server.domain.admin` in the routes,
so ``loket init`` and the API accept exactly the same office details.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from server.api.schemas import RowId, Strict

RoleName = Literal["admin", "supervisor", "staff"]
DeviceKindName = Literal["kiosk", "rating", "board"]


class OfficeIn(Strict):
    """Every field optional: only the ones sent change."""

    name: str | None = Field(default=None, max_length=400)
    address: str | None = Field(default=None, max_length=800)
    phone: str | None = Field(default=None, max_length=80)
    email: str | None = Field(default=None, max_length=400)
    whatsapp: str | None = Field(default=None, max_length=80)
    timezone: str | None = Field(default=None, max_length=64)
    complaint_channels: list[str] | None = Field(default=None, max_length=20)
    running_text: str | None = Field(default=None, max_length=1000)
    skd_url: str | None = Field(default=None, max_length=800)
    counter_area: str | None = Field(default=None, max_length=160)
    opening_hours: dict[str, str] | None = None
    logo: str | None = Field(default=None, max_length=300_000)


class OfficeOut(BaseModel):
    id: int
    code: str
    name: str
    address: str
    phone: str
    email: str
    whatsapp: str
    timezone: str
    complaint_channels: list[str]
    running_text: str
    skd_url: str
    counter_area: str
    opening_hours: dict[str, str]
    logo: str


class ServiceIn(Strict):
    code: str = Field(min_length=1, max_length=40)
    prefix: str = Field(min_length=1, max_length=2)
    name_id: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    description_id: str = Field(default="", max_length=400)
    description_en: str = Field(default="", max_length=400)
    active: bool = True
    case_kind: str | None = Field(default=None, max_length=40)


class ServicePatch(Strict):
    prefix: str | None = Field(default=None, min_length=1, max_length=2)
    name_id: str | None = Field(default=None, min_length=1, max_length=200)
    name_en: str | None = Field(default=None, min_length=1, max_length=200)
    description_id: str | None = Field(default=None, max_length=400)
    description_en: str | None = Field(default=None, max_length=400)
    active: bool | None = None
    sort_order: int | None = Field(default=None, ge=0, le=1000)
    case_kind: str | None = Field(default=None, max_length=40)


class AdminServiceOut(BaseModel):
    id: int
    code: str
    prefix: str
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    active: bool
    sort_order: int
    case_kind: str | None


class CounterIn(Strict):
    number: int = Field(ge=1, le=99)
    name: str = Field(min_length=1, max_length=80)
    service_ids: list[RowId] = Field(default_factory=list, max_length=100)


class CounterPatch(Strict):
    number: int | None = Field(default=None, ge=1, le=99)
    name: str | None = Field(default=None, min_length=1, max_length=80)
    paused: bool | None = None
    service_ids: list[RowId] | None = Field(default=None, max_length=100)


class AdminCounterOut(BaseModel):
    id: int
    number: int
    name: str
    paused: bool
    service_ids: list[int]


class StaffIn(Strict):
    username: str = Field(min_length=1, max_length=80)
    full_name: str = Field(default="", max_length=200)
    role: RoleName = "staff"
    password: str = Field(min_length=1, max_length=200)


class StaffPatch(Strict):
    role: RoleName | None = None
    active: bool | None = None
    full_name: str | None = Field(default=None, max_length=200)


class PasswordResetIn(Strict):
    temporary_password: str = Field(min_length=1, max_length=200)


class StaffOut(BaseModel):
    id: int
    username: str
    full_name: str
    role: str
    active: bool
    must_change_password: bool


class DeviceIn(Strict):
    kind: DeviceKindName
    name: str = Field(min_length=1, max_length=80)


class DeviceOut(BaseModel):
    id: int
    kind: str
    name: str
    active: bool
    last_seen_at: datetime | None
    online: bool


class DeviceCreatedOut(DeviceOut):
    token: str
    qr_svg: str
    pair_url: str


class PasswordChangeIn(Strict):
    username: str = Field(min_length=1, max_length=80)
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    user_id: int | None
    username: str | None
    device_id: int | None
    action: str
    visitor_id: int | None
    visit_id: int | None
    fields: list[str]
    reason: str | None
    detail: dict[str, Any] | None


class StaffName(BaseModel):
    id: int
    username: str


class AuditPageOut(BaseModel):
    timezone: str
    entries: list[AuditEntryOut]
    staff: list[StaffName]
    actions: list[str]
