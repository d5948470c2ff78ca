"""Response bodies of the guestbook and personal-data routes (``server/privacy/routes.py``).

Request bodies stay in :mod:`server.privacy.schemas`. These models name every
field the routes return today and allow further ones (``extra="allow"``), so
a field added by the privacy code is passed on, not silently dropped, until
its model names it. Personal values appear only masked, except in
:class:`RevealOut` and the export.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from server.api.schemas.tickets import TicketOut


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Choice(Open):
    value: str
    label: str


class NoticeOut(Open):
    version: str
    title: str
    text: str


class FormFieldOut(Open):
    name: str
    label: str
    kind: str
    required: bool
    choices: list[Choice] | None = None
    personal: bool
    max_length: int | None = None
    from_id: bool = False  # sex, age group: read from a NIK or passport when there is one
    capitalise: bool = False  # names: "siti aminah" → "Siti Aminah"
    when: dict[str, str] | None = None  # asked only when these answers were given


class GuestbookFormOut(Open):
    language: str
    notice: NoticeOut
    fields: list[FormFieldOut]
    id_types: list[Choice]
    priority_reasons: list[Choice]


class RegistrationOut(Open):
    visit_id: int
    visitor_id: int | None
    ticket: TicketOut


class LookupOut(Open):
    visitor_id: int
    masked: dict[str, str | None]
    prefill: dict[str, Any]


class VisitorOut(Open):
    """A visitor as staff see it by default: identity masked."""

    id: int
    masked: dict[str, str | None]
    id_type: str | None = None
    created_at: datetime | None = None
    last_visit_at: datetime | None = None
    visit_count: int | None = None
    needs_review: bool = False
    review_of: int | None = None
    # only in the list of records awaiting review: the record on file, masked
    review_of_masked: dict[str, str | None] | None = None


class ReviewCountOut(BaseModel):
    """How many visitor records await review (no personal data)."""

    count: int


class VisitVisitorOut(Open):
    id: int
    masked: dict[str, str | None]
    id_type: str | None = None
    institution: str | None = None


class ConsentOut(Open):
    notice_version: str | None = None
    at: datetime | None = None
    photo_accepted: bool | None = None


class VisitOut(Open):
    id: int
    visitor_id: int | None
    service_id: int | None
    ticket_id: int | None
    ticket_number: str | None
    day: date | None
    created_at: datetime | None
    language: str | None
    consent: ConsentOut
    has_photo: bool
    anonymised: bool
    visitor: VisitVisitorOut | None


class RevealOut(Open):
    visitor_id: int
    field: str
    value: str | None


class ExportOut(Open):
    """Everything held about one visitor, in plain text (a subject access request):
    identity, profile, visits, ID photos, and the requests, complaints and mails
    about their tickets (shapes in docs/api.md)."""

    visitor_id: int
    exported_at: datetime
    cases: list[dict[str, Any]] = []
    complaints: list[dict[str, Any]] = []
    mails: list[dict[str, Any]] = []


class AuditEntryOut(Open):
    id: int
    at: datetime
    user_id: int | None
    device_id: int | None
    action: str
    visitor_id: int | None
    visit_id: int | None
    fields: list[str]
    reason: str | None
