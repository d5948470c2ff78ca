"""Bodies of tickets: issuing, the ticket as the API returns it, and its actions."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from server.api.schemas.common import RowId, Strict
from server.domain.guestbook import PRIORITY_REASONS


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
