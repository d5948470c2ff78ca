"""Bodies of tickets: issuing, the ticket as the API returns it, and its actions."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from server.api.schemas.common import RowId, Strict


class TicketIn(Strict):
    service_id: RowId
    priority: bool = False
    priority_reason: Literal["disability", "elderly", "pregnant", "children", "disaster"] | None = (
        None
    )
    visit_id: RowId | None = None
    client_request_id: str | None = Field(default=None, min_length=8, max_length=64)


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
    allowed_actions: list[str] = Field(
        description=(
            "The actions staff may take on this ticket now (server/domain/queue.py): "
            "recall, start, finish, no_show, requeue, transfer, cancel."
        )
    )


class ActionIn(Strict):
    counter_id: RowId | None = None
    note: str | None = Field(default=None, max_length=500)


class TransferIn(Strict):
    service_id: RowId | None = None
    counter_id: RowId | None = None
    note: str | None = Field(default=None, max_length=500)
