"""Request bodies of the guestbook and personal-data endpoints.

The ``visitor`` object of a registration is a plain mapping checked by
:func:`server.privacy.form.validate_visitor`, so error codes are ours and no
validation message can echo a typed value.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from server.api.schemas import RowId


class ConsentIn(BaseModel):
    notice_version: str = Field(max_length=32)
    accepted: bool
    photo_accepted: bool = False


class RegistrationIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    client_request_id: str = Field(min_length=1, max_length=64)
    language: str = Field(default="id", max_length=8)
    consent: ConsentIn
    service_id: RowId
    priority: bool = False
    priority_reason: str | None = Field(default=None, max_length=32)
    returning_visitor_id: RowId | None = None
    visitor: dict[str, Any]
    id_photo_jpeg_base64: str | None = None
    email_copy: bool = False


class LookupIn(BaseModel):
    nik: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)


class SearchIn(BaseModel):
    nik: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)
    name: str | None = Field(default=None, min_length=2, max_length=200)
    needs_review: bool = False  # list the records awaiting review instead


PersonalField = Literal["name", "email", "phone", "id_number"]


# the reason's content is checked by server.domain.guestbook.require_reason (one
# rule and one 422 for every endpoint that needs a reason, body or query)
class RevealIn(BaseModel):
    field: PersonalField
    reason: str | None = Field(default=None, max_length=500)


class ReasonIn(BaseModel):
    reason: str | None = Field(default=None, max_length=500)


class CorrectionIn(BaseModel):
    """Fields to change (any guestbook field, ``id_type``, ``id_number``) and why."""

    model_config = ConfigDict(extra="allow")

    reason: str | None = Field(default=None, max_length=500)
