"""Request and response bodies of the API (pydantic models, shown in /openapi.json)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from server.domain.guestbook import PRIORITY_REASONS

# Ids are SQL integers: anything outside 1..2^31-1 cannot name a row and is refused
# as invalid input before it reaches the database (where it would overflow).
MAX_ID = 2_147_483_647
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int, Query(ge=1, le=MAX_ID)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class UserOut(BaseModel):
    id: int
    username: str
    role: str
    unit_id: int


class LoginOut(BaseModel):
    token: str
    user: UserOut


class TicketIn(Strict):
    service_id: RowId
    priority: bool = False
    priority_reason: str | None = Field(
        default=None, json_schema_extra={"enum": [*PRIORITY_REASONS, None]}
    )
    visit_id: RowId | None = None
    client_request_id: str | None = Field(default=None, min_length=8, max_length=64)

    @field_validator("priority_reason")
    @classmethod
    def _known_reason(cls, value: str | None) -> str | None:
        if value is not None and value not in PRIORITY_REASONS:
            raise ValueError(f"must be one of {', '.join(PRIORITY_REASONS)}")
        return value


class TicketOut(BaseModel):
    id: int
    number: str
    service_id: int
    status: str
    priority: bool
    priority_reason: str | None
    counter_id: int | None
    target_counter_id: int | None
    issued_at: datetime
    called_at: datetime | None
    recall_count: int
    tracking_token: str | None
    tracking_url: str | None
    people_ahead: int
    estimated_wait_minutes: int
    visit_id: int | None


class ActionIn(Strict):
    counter_id: RowId | None = None
    note: str | None = Field(default=None, max_length=500)


class TransferIn(Strict):
    service_id: RowId | None = None
    counter_id: RowId | None = None
    note: str | None = Field(default=None, max_length=500)


class CounterServicesIn(Strict):
    service_ids: list[RowId] = Field(max_length=50)


class PrinterState(Strict):
    online: bool
    paper: Literal["ok", "near_end", "out", "unknown"] = "unknown"
    error: str | None = Field(default=None, max_length=300)


class HeartbeatIn(Strict):
    printer: PrinterState | None = None


class TrackOut(BaseModel):
    number: str
    service: str
    status: str
    counter_name: str | None
    people_ahead: int
    estimated_wait_minutes: int
    issued_at: datetime


class HealthOut(BaseModel):
    status: str
    database: str
    version: str
