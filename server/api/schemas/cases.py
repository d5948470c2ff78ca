"""Request and response bodies of the cases, complaints, calendar and mail routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from server.api.schemas import RowId, Strict


class ContactIn(Strict):
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)


class CaseIn(Strict):
    kind: str | None = Field(default=None, max_length=40)  # default: what the ticket's service opens
    ticket_id: RowId | None = None
    contact: ContactIn | None = None
    language: str | None = Field(default=None, max_length=8)
    organiser_type: str | None = Field(default=None, max_length=16)
    title: str = Field(default="", max_length=300)
    form: dict[str, Any] | None = None
    note: str | None = Field(default=None, max_length=1000)
    at: datetime | None = None


class StepIn(Strict):
    step: str = Field(max_length=40)
    values: dict[str, Any] = Field(default_factory=dict)
    note: str | None = Field(default=None, max_length=1000)
    at: datetime | None = None


class StepOut(BaseModel):
    seq: int
    step: str
    label: str
    system: bool
    at: datetime
    user_id: int | None
    note: str | None
    data: dict[str, Any]


class FieldOut(BaseModel):
    name: str
    required: bool
    type: str
    choices: list[str]
    max: int


class NextStepOut(BaseModel):
    step: str
    label: str
    roles: list[str]
    fields: list[FieldOut]


class CaseSummaryOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    status: str
    current_step: str
    current_label: str
    title: str
    ticket_id: int | None
    opened_at: datetime
    due_date: date | None
    deadline: date | None
    days_left: int | None
    clock: str
    rounds: int
    outcome: str | None
    responsible_user_id: int | None


class AttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    created_at: datetime


class CaseOut(CaseSummaryOut):
    tracking_url: str
    language: str
    organiser_type: str | None
    contact: dict[str, str | None]
    has_form: bool
    steps: list[StepOut]
    allowed_next: list[NextStepOut]
    attachments: list[AttachmentOut]
    complaint: dict[str, Any] | None


class RevealIn(Strict):
    reason: str = Field(min_length=3, max_length=500)


class RevealOut(BaseModel):
    contact: dict[str, str | None]
    form: dict[str, Any] | None
    complaint_text: str | None
    whatsapp_url: str | None


class KindOut(BaseModel):
    code: str
    label: str
    clock_days: int
    complaint: bool
    steps: list[NextStepOut]


class ComplaintIn(Strict):
    category: str = Field(max_length=16)
    channel: str = Field(max_length=16)
    text: str = Field(max_length=4000)
    lapor_number: str | None = Field(default=None, max_length=64)
    about_ticket_id: RowId | None = None
    about_case_id: RowId | None = None
    anonymous: bool = False
    contact: ContactIn | None = None
    language: str = Field(default="id", max_length=8)


class ComplaintOut(BaseModel):
    id: int
    case_id: int
    channel: str
    lapor_number: str | None
    anonymous: bool
    kind: str
    current_step: str
    status: str
    due_date: date | None
    first_response_due: date | None
    created_at: datetime


class CalendarDayOut(BaseModel):
    day: date
    name: str
    source: str
    removed: bool


class CalendarOut(BaseModel):
    year: int
    days: list[CalendarDayOut]


class CalendarChangeIn(Strict):
    change: str = Field(pattern="^(add|remove)$")
    name: str = Field(default="", max_length=200)


class DueChangeOut(BaseModel):
    case_id: int
    to: str
    reason: str
    from_: str | None = Field(default=None, alias="from")


class CalendarChangeOut(BaseModel):
    day: date
    moved: list[dict[str, Any]]


class MailOut(BaseModel):
    id: int
    template: str
    language: str
    subject: str
    status: str
    attempts: int
    last_error: str | None
    case_id: int | None
    ticket_id: int | None
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime


class DueOut(BaseModel):
    start: date
    days: int
    due: date


class ReminderOut(BaseModel):
    queued: int


class FormFieldOut(BaseModel):
    name: str
    type: str
    required: bool = False
    max: int | None = None
    min: int | None = None
    choices: list[str] = Field(default_factory=list)


class RequestFormOut(BaseModel):
    version: str
    note: str
    fields: list[FormFieldOut]
