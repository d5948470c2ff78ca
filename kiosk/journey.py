"""The visitor's journey through the kiosk, as a pure state machine.

:class:`Journey` knows the steps (welcome → consent → service → returning
visitor → guestbook → ID → priority → ticket), what the visitor has typed, the
validation result of each answer and the exact registration body to send. It
does no I/O and knows nothing of Kivy, so every rule is tested without a
window; the screens only display its state and forward taps to it.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.forms import (
    FormField,
    GuestbookForm,
    IdFeedback,
    Service,
    check_email,
    check_id_as_typed,
    check_value,
    normalise_value,
)
from server.domain.identity import IdentityError, validate_id, validate_nik
from server.i18n import normalise_language

#: prefill keys the server may return for a returning visitor (never personal data)
PREFILL_FIELDS = frozenset(
    {"sex", "age_group", "education", "occupation", "institution", "institution_category"}
)


class Step(StrEnum):
    WELCOME = "welcome"
    CONSENT = "consent"
    DECLINED = "declined"
    SERVICE = "service"
    RETURNING = "returning"
    GUESTBOOK = "guestbook"
    IDENTITY = "identity"
    PRIORITY = "priority"
    TICKET = "ticket"
    OFFLINE = "offline"
    FAILED = "failed"


#: the step "Kembali" (back) leads to from each step
_BACK: dict[Step, Step] = {
    Step.CONSENT: Step.WELCOME,
    Step.SERVICE: Step.CONSENT,
    Step.RETURNING: Step.SERVICE,
    Step.IDENTITY: Step.GUESTBOOK,
    Step.PRIORITY: Step.IDENTITY,
}


class JourneyError(Exception):
    """An action is not allowed in the journey's current state."""


class IncompleteRegistration(JourneyError):
    """Required answers are missing or invalid; ``fields`` maps name → error code."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(", ".join(sorted(fields)))
        self.fields = fields


@dataclass(frozen=True)
class LookupMatch:
    """A returning visitor found by the server, with masked values only."""

    visitor_id: int
    masked: dict[str, str]
    prefill: dict[str, str]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LookupMatch:
        return cls(
            visitor_id=int(data["visitor_id"]),
            masked={k: str(v) for k, v in (data.get("masked") or {}).items() if v},
            prefill={k: str(v) for k, v in (data.get("prefill") or {}).items() if v},
        )


@dataclass(frozen=True)
class TicketInfo:
    """What the ticket screen shows (no personal data)."""

    ticket_id: int
    number: str
    service_id: int
    people_ahead: int
    estimated_wait_minutes: int
    tracking_url: str
    priority: bool
    issued_at: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TicketInfo:
        return cls(
            ticket_id=int(data.get("id", 0)),
            number=str(data["number"]),
            service_id=int(data.get("service_id", 0)),
            people_ahead=int(data.get("people_ahead") or 0),
            estimated_wait_minutes=int(data.get("estimated_wait_minutes") or 0),
            tracking_url=str(data.get("tracking_url") or ""),
            priority=bool(data.get("priority")),
            issued_at=str(data.get("issued_at") or ""),
        )


@dataclass
class Journey:
    """One visitor's way from the welcome screen to a ticket."""

    language: str = "id"
    camera_enabled: bool = False
    step: Step = Step.WELCOME
    form: GuestbookForm | None = None
    services: tuple[Service, ...] = ()
    consent_accepted: bool = False
    photo_accepted: bool = False
    service_id: int | None = None
    lookup_kind: str = "nik"
    lookup_value: str = ""
    match: LookupMatch | None = None
    returning_visitor_id: int | None = None
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    field_index: int = 0
    id_type: str = "ktp"
    id_number: str = ""
    photo_jpeg: bytes | None = None
    priority_reason: str | None = None
    email_copy: bool = False
    client_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    ticket: TicketInfo | None = None

    # --- life cycle -------------------------------------------------------------------

    def reset(self, language: str | None = None) -> None:
        """Forget everything the visitor typed and go back to the welcome screen."""
        keep = (self.form, self.services, self.camera_enabled)
        fresh = Journey(language=language or self.language)
        self.__dict__.update(fresh.__dict__)
        self.form, self.services, self.camera_enabled = keep

    def set_language(self, language: str) -> None:
        self.language = normalise_language(language)

    def load(self, form: GuestbookForm, services: tuple[Service, ...]) -> None:
        """Take the form and services fetched from the server."""
        self.form = form
        self.services = services

    @property
    def ready(self) -> bool:
        """Whether the form and services are known, so a visitor can start."""
        return self.form is not None and bool(self.services)

    def start(self) -> None:
        if not self.ready:
            raise JourneyError("form and services are not loaded")
        self.step = Step.CONSENT

    def back(self) -> None:
        """One step back (within the guestbook: one question back)."""
        if self.step == Step.GUESTBOOK and self.field_index > 0:
            self.field_index -= 1
            return
        if self.step == Step.GUESTBOOK:
            self.step = Step.RETURNING
            return
        self.step = _BACK.get(self.step, self.step)

    # --- consent and service ------------------------------------------------------------

    def accept_consent(self, *, photo: bool = False) -> None:
        self._expect(Step.CONSENT)
        self.consent_accepted = True
        self.photo_accepted = bool(photo and self.camera_enabled)
        self.step = Step.SERVICE

    def decline_consent(self) -> None:
        """The visitor declined: nothing is kept, they are sent to the front desk."""
        self._expect(Step.CONSENT)
        language = self.language
        self.reset(language)
        self.step = Step.DECLINED

    def choose_service(self, service_id: int) -> None:
        self._expect(Step.SERVICE)
        if service_id not in {s.id for s in self.services}:
            raise JourneyError("unknown service")
        self.service_id = service_id
        self.step = Step.RETURNING

    @property
    def service(self) -> Service | None:
        return next((s for s in self.services if s.id == self.service_id), None)

    # --- returning visitor ----------------------------------------------------------------

    def first_visit(self) -> None:
        """Not a returning visitor: go to the guestbook with an empty form."""
        self._expect(Step.RETURNING)
        self.match = None
        self.returning_visitor_id = None
        self._enter_guestbook()

    def lookup_body(self, kind: str, value: str) -> dict[str, str]:
        """The look-up request for a NIK or an e-mail; raises ``IdentityError`` on bad input."""
        self._expect(Step.RETURNING)
        self.lookup_kind = "email" if kind == "email" else "nik"
        if self.lookup_kind == "nik":
            info_value = value.replace(" ", "")
            validate_nik(info_value)
            self.lookup_value = info_value
            return {"nik": info_value}
        error = check_email(value)
        if error:
            raise IdentityError(error)
        self.lookup_value = value.strip().lower()
        return {"email": self.lookup_value}

    def lookup_found(self, data: dict[str, Any]) -> LookupMatch:
        self.match = LookupMatch.from_json(data)
        return self.match

    def confirm_match(self, is_me: bool) -> None:
        """ "Ya, ini saya" pre-fills the non-sensitive answers; "Bukan" forgets the match."""
        self._expect(Step.RETURNING)
        if not is_me or self.match is None:
            self.match = None
            self.returning_visitor_id = None
            return
        self.returning_visitor_id = self.match.visitor_id
        fields = {f.name: f for f in self.form.fields} if self.form else {}
        for name, value in self.match.prefill.items():
            form_field = fields.get(name)
            usable = name in PREFILL_FIELDS and form_field and not form_field.personal
            if usable and form_field and check_value(form_field, value) is None:
                self.values[name] = value
        if self.lookup_kind == "nik":
            self.id_type, self.id_number = "ktp", self.lookup_value
        elif "email" in fields:
            self.values["email"] = self.lookup_value
        self.match = None
        self._enter_guestbook()

    # --- guestbook ------------------------------------------------------------------------

    def _enter_guestbook(self) -> None:
        self.field_index = 0
        self.errors.clear()
        self.step = Step.GUESTBOOK

    @property
    def fields(self) -> tuple[FormField, ...]:
        return self.form.fields if self.form else ()

    @property
    def current_field(self) -> FormField | None:
        if self.step != Step.GUESTBOOK or not self.fields:
            return None
        return self.fields[self.field_index]

    def set_value(self, name: str, value: str) -> str | None:
        """Store an answer; returns the error code shown under it (or ``None``)."""
        form_field = self._field(name)
        self.values[name] = value
        error = check_value(form_field, value)
        if error and value:
            self.errors[name] = error
        else:
            self.errors.pop(name, None)
        return error if value else None

    def next_field(self) -> str | None:
        """Check the current answer and move on; returns the error code if it is wrong."""
        form_field = self.current_field
        if form_field is None:
            raise JourneyError("not in the guestbook")
        error = check_value(form_field, self.values.get(form_field.name, ""))
        if error:
            self.errors[form_field.name] = error
            return error
        self.errors.pop(form_field.name, None)
        if self.field_index + 1 < len(self.fields):
            self.field_index += 1
        else:
            self.step = Step.IDENTITY
        return None

    def _field(self, name: str) -> FormField:
        form_field = self.form.field_named(name) if self.form else None
        if form_field is None:
            raise JourneyError(f"unknown field {name}")
        return form_field

    # --- identity document ------------------------------------------------------------------

    def set_id_type(self, id_type: str) -> None:
        if id_type != self.id_type:
            self.id_number = ""
        self.id_type = id_type
        self.errors.pop("id_number", None)

    def set_id_number(self, number: str) -> IdFeedback:
        self.id_number = number
        feedback = check_id_as_typed(self.id_type, number)
        if feedback.error:
            self.errors["id_number"] = feedback.error
        else:
            self.errors.pop("id_number", None)
        return feedback

    def id_from_mrz(self, document_number: str) -> None:
        """A passport read by the MRZ scanner (already check-digit verified)."""
        self.id_type = "passport"
        self.set_id_number(document_number)

    def confirm_id(self) -> str | None:
        """Validate the ID and go on to priority; returns the error code if it is wrong."""
        self._expect(Step.IDENTITY)
        try:
            check = validate_id(self.id_type, self.id_number)
        except IdentityError as error:
            self.errors["id_number"] = error.code
            return error.code
        self.id_number = check.number
        self.errors.pop("id_number", None)
        self.step = Step.PRIORITY
        return None

    @property
    def photo_allowed(self) -> bool:
        return self.camera_enabled and self.photo_accepted

    def set_photo(self, jpeg: bytes | None) -> None:
        if jpeg is not None and not self.photo_allowed:
            raise JourneyError("no consent for an ID photo")
        self.photo_jpeg = jpeg

    # --- priority and registration -----------------------------------------------------------

    def set_priority(self, reason: str | None) -> None:
        """One tap: a reason makes the ticket a priority ticket; ``None`` makes it regular."""
        known = {c.value for c in self.form.priority_reasons} if self.form else None
        if reason is not None and known is not None and reason not in known:
            raise JourneyError("unknown priority reason")
        self.priority_reason = reason

    @property
    def email_given(self) -> bool:
        return bool(self.values.get("email", "").strip())

    def registration_errors(self) -> dict[str, str]:
        """Every missing or invalid answer, by field name."""
        problems: dict[str, str] = {}
        if not self.consent_accepted:
            problems["consent"] = "consent_required"
        if self.service_id is None:
            problems["service_id"] = "required"
        for form_field in self.fields:
            error = check_value(form_field, self.values.get(form_field.name, ""))
            if error:
                problems[form_field.name] = error
        try:
            validate_id(self.id_type, self.id_number)
        except IdentityError as error:
            problems["id_number"] = error.code
        return problems

    def registration(self) -> dict[str, Any]:
        """The body of ``POST /api/v1/registrations``; raises if anything is missing."""
        problems = self.registration_errors()
        if problems:
            raise IncompleteRegistration(problems)
        visitor: dict[str, Any] = {}
        for form_field in self.fields:
            value = normalise_value(form_field, self.values.get(form_field.name, ""))
            if form_field.kind == "number" and value:
                visitor[form_field.name] = int(value)
            else:
                visitor[form_field.name] = value or None
        visitor["id_type"] = self.id_type
        visitor["id_number"] = validate_id(self.id_type, self.id_number).number
        photo = None
        if self.photo_allowed and self.photo_jpeg:
            photo = base64.b64encode(self.photo_jpeg).decode("ascii")
        return {
            "client_request_id": self.client_request_id,
            "language": self.language,
            "consent": {
                "notice_version": self.form.notice_version if self.form else "",
                "accepted": True,
                "photo_accepted": self.photo_allowed,
            },
            "service_id": self.service_id,
            "priority": self.priority_reason is not None,
            "priority_reason": self.priority_reason,
            "returning_visitor_id": self.returning_visitor_id,
            "visitor": visitor,
            "id_photo_jpeg_base64": photo,
            "email_copy": bool(self.email_copy and self.email_given),
        }

    def ticket_issued(self, response: dict[str, Any]) -> TicketInfo:
        """The server accepted the registration: forget the typed data, keep the ticket."""
        ticket = TicketInfo.from_json(response["ticket"])
        self._forget_personal_data()
        self.ticket = ticket
        self.step = Step.TICKET
        return ticket

    def queued_offline(self) -> None:
        """The server is unreachable; the outbox holds the registration now."""
        self._forget_personal_data()
        self.step = Step.OFFLINE

    def failed(self) -> None:
        """The server refused for a reason the visitor cannot fix here."""
        self._forget_personal_data()
        self.step = Step.FAILED

    def server_rejected_fields(self, fields: dict[str, str]) -> None:
        """The server found invalid answers: go back to the first one to fix."""
        self.errors.update(fields)
        names = [f.name for f in self.fields]
        wrong = [names.index(n) for n in fields if n in names]
        if wrong:
            self.field_index = min(wrong)
            self.step = Step.GUESTBOOK
        elif "id_number" in fields or "id_type" in fields:
            self.step = Step.IDENTITY

    def _forget_personal_data(self) -> None:
        self.values.clear()
        self.errors.clear()
        self.id_number = ""
        self.photo_jpeg = None
        self.lookup_value = ""
        self.match = None

    def _expect(self, step: Step) -> None:
        if self.step != step:
            raise JourneyError(f"expected step {step}, at {self.step}")
