"""Bodies of the queue at a glance (``GET /queue``) and public tracking."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from server.api.schemas.common import LocalText
from server.api.schemas.tickets import TicketOut


class ServiceQueueOut(BaseModel):
    service_id: int
    prefix: str
    name: LocalText
    waiting_count: int
    waiting: list[TicketOut]


class CounterQueueOut(BaseModel):
    counter_id: int
    number: int
    name: str
    paused: bool
    service_ids: list[int]
    current: TicketOut | None


class RecentCallOut(BaseModel):
    number: str
    service_id: int
    counter_number: int
    counter_name: str
    called_at: datetime | None


class QueueOut(BaseModel):
    services: list[ServiceQueueOut]
    counters: list[CounterQueueOut]
    recent_calls: list[RecentCallOut]


class TrackOut(BaseModel):
    number: str
    service: str
    status: str
    counter_name: str | None
    people_ahead: int
    estimated_wait_minutes: int
    issued_at: datetime
    opening_hours: dict[str, str] = Field(
        default_factory=dict,
        description="The office's opening hours by day (mon..sun, HH:MM-HH:MM); a day "
        "not listed is closed.",
    )


class NoShowOut(BaseModel):
    id: int
    number: str
    service_id: int
    counter_id: int | None
    called_at: datetime | None
