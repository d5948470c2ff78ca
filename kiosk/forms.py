"""The guestbook form and service list as the server describes them, and input checks.

``GET /api/v1/guestbook/form`` and ``GET /api/v1/services`` return JSON that
this module turns into small frozen dataclasses, so the screens are driven by
data rather than hard-coded fields. :func:`check_value` validates one typed
value with the server's own rules (:mod:`server.domain.guestbook`: e-mail
pattern, phone rule, length caps) and returns an error code (``required``,
``email_format``, ``phone_format`` ...) or ``None``; :func:`check_id_as_typed`
gives live feedback while an ID number is still being typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from server.domain import guestbook
from server.domain.identity import (
    NIK_LENGTH,
    PROVINCE_CODES,
    IdentityError,
    validate_id,
    validate_nik,
)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FormField:
    """One guestbook question."""

    name: str
    label: str
    kind: str  # text | email | phone | choice | number
    required: bool = True
    choices: tuple[Choice, ...] = ()
    personal: bool = False
    max_length: int = guestbook.DEFAULT_MAX_LENGTH
    from_id: bool = False
    capitalise: bool = False
    when: tuple[tuple[str, str], ...] = ()

    @property
    def rule(self) -> guestbook.FieldDef:
        """The field as the shared rules know it (checks and normalising)."""
        return guestbook.FieldDef(
            name=self.name,
            kind=self.kind,
            required=self.required,
            personal=self.personal,
            choices=tuple(c.value for c in self.choices),
            max_length=self.max_length,
            capitalise=self.capitalise,
            from_id=self.from_id,
            when=self.when,
        )

    def applies(self, values: dict[str, str]) -> bool:
        """Whether the question is asked, given the other answers."""
        return self.rule.applies(values)

    @property
    def keyboard(self) -> str:
        """The on-screen keyboard layout that suits this field."""
        return {"email": "email", "phone": "phone", "number": "numeric"}.get(self.kind, "text")


@dataclass(frozen=True)
class GuestbookForm:
    """The notice, questions, ID types and priority reasons, in one language."""

    notice_version: str
    notice_text: str
    fields: tuple[FormField, ...]
    id_types: tuple[Choice, ...]
    priority_reasons: tuple[Choice, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GuestbookForm:
        notice = data.get("notice") or {}
        return cls(
            notice_version=str(notice.get("version", "")),
            notice_text=str(notice.get("text", "")),
            fields=tuple(_field(f) for f in data.get("fields") or []),
            id_types=_choices(data.get("id_types")),
            priority_reasons=_choices(data.get("priority_reasons")),
        )

    def field_named(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class Service:
    """One active service a visitor can queue for."""

    id: int
    code: str
    prefix: str
    names: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    requires_email: bool = False

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("id") or self.code

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions.get("id") or ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Service:
        return cls(
            id=int(data["id"]),
            code=str(data.get("code", "")),
            prefix=str(data.get("prefix", "")),
            names=_texts(data.get("name")),
            descriptions=_texts(data.get("description")),
            requires_email=bool(data.get("requires_email")),
        )


def services_from_json(data: list[dict[str, Any]]) -> tuple[Service, ...]:
    """The active services, in the server's order."""
    return tuple(Service.from_json(s) for s in data if s.get("active", True))


def _texts(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if v}
    return {"id": str(value)} if value else {}


def _choices(items: Any) -> tuple[Choice, ...]:
    return tuple(Choice(str(c["value"]), str(c.get("label", c["value"]))) for c in items or [])


def _field(data: dict[str, Any]) -> FormField:
    return FormField(
        name=str(data["name"]),
        label=str(data.get("label", data["name"])),
        kind=str(data.get("kind", "text")),
        required=bool(data.get("required", False)),
        choices=_choices(data.get("choices")),
        personal=bool(data.get("personal", False)),
        max_length=int(data.get("max_length") or guestbook.DEFAULT_MAX_LENGTH),
        from_id=bool(data.get("from_id", False)),
        capitalise=bool(data.get("capitalise", False)),
        when=tuple((str(k), str(v)) for k, v in (data.get("when") or {}).items()),
    )


def normalise_value(form_field: FormField, value: str) -> str:
    """Trim and tidy a typed value the way it will be sent (names capitalised)."""
    return guestbook.normalise(form_field.rule, value)


def check_value(form_field: FormField, value: str) -> str | None:
    """An error code for ``value`` in ``form_field``, or ``None`` when it is fine."""
    text = normalise_value(form_field, value)
    if not text:
        return "required" if form_field.required else None
    return guestbook.check_text(form_field.rule, text)


def check_email(value: str) -> str | None:
    """Error code for an e-mail address typed to look a visitor up."""
    text = guestbook.normalise_email(value)
    if not text:
        return "required"
    return guestbook.check_email(text)


@dataclass(frozen=True)
class IdFeedback:
    """Live feedback on an ID number: an error code, or a progress hint."""

    error: str | None = None
    complete: bool = False
    typed: int = 0
    expected: int | None = None


def check_id_as_typed(id_type: str, number: str) -> IdFeedback:
    """Check an ID number while it is typed: catch mistakes as early as possible.

    For a NIK the province is checked after 2 digits and the birth date after
    12, so the visitor hears about a typo before typing all 16.
    """
    value = re.sub(r"[\s.\-/]", "", number or "")
    if not value:
        return IdFeedback()
    if id_type in ("ktp", "sim"):
        if not value.isascii() or not value.isdigit():
            return IdFeedback("nik_digits" if id_type == "ktp" else "sim_digits", typed=len(value))
        if id_type == "ktp" and len(value) < NIK_LENGTH:
            return IdFeedback(_nik_prefix_error(value), typed=len(value), expected=NIK_LENGTH)
        if id_type == "sim" and len(value) < 12:
            return IdFeedback(typed=len(value), expected=12)
    try:
        validate_id(id_type, value)
    except IdentityError as error:
        return IdFeedback(error.code, typed=len(value))
    return IdFeedback(complete=True, typed=len(value))


def _nik_prefix_error(prefix: str) -> str | None:
    if len(prefix) >= 2 and prefix[:2] not in PROVINCE_CODES:
        return "nik_province"
    if len(prefix) >= 8:
        day = int(prefix[6:8])
        if not (1 <= day <= 31 or 41 <= day <= 71):
            return "nik_bad_date"
    if len(prefix) >= 10 and not 1 <= int(prefix[8:10]) <= 12:
        return "nik_bad_date"
    if len(prefix) >= 12:
        try:
            validate_nik(prefix[:12] + "0001")
        except IdentityError as error:
            return error.code
    return None


@dataclass(frozen=True)
class Unit:
    """The office this kiosk belongs to, as printed on the ticket."""

    name: str = ""
    address: str = ""
    complaint_channels: tuple[str, ...] = ()
    counter_area: str = ""
    timezone: str = "Asia/Jakarta"
    mail_enabled: bool = False  # the server sends e-mail (absent on older servers: no)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Unit:
        return cls(
            timezone=str(data.get("timezone") or "Asia/Jakarta"),
            name=str(data.get("name") or ""),
            address=str(data.get("address") or ""),
            counter_area=str(data.get("counter_area") or ""),
            complaint_channels=tuple(str(c) for c in data.get("complaint_channels") or []),
            mail_enabled=data.get("mail_enabled") is True,
        )
