"""The visitor's journey through the kiosk, as a pure state machine.

:class:`Journey` knows the steps (welcome with the service tiles → consent →
ID → returning-visitor summary or guestbook questions → priority → ticket),
what the visitor has typed, the validation result of each answer and the
exact registration body to send. The ID comes first: a NIK (or a passport's
MRZ) tells sex and age group, which are then not asked, and a NIK finds a
returning visitor, who sees one masked summary instead of the questions. It
does no I/O, no clock reads (``today`` is passed in) and knows nothing of
Kivy, so every rule is tested without a window; the screens only display its
state and forward taps to it. The rules of each answer come from
:mod:`server.domain.guestbook` through :mod:`kiosk.forms`.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.forms import (
    FormField,
    GuestbookForm,
    IdFeedback,
    Service,
    check_id_as_typed,
    check_value,
    normalise_value,
)
from server.domain import guestbook
from server.domain.identity import IdentityError, validate_id
from server.i18n import normalise_language

#: prefill keys the server may return for a returning visitor (never personal data)
PREFILL_FIELDS = frozenset(guestbook.PROFILE_FIELDS)
#: questions that share one page: the institution's name and its category
PAGE_GROUPS = (("institution", "institution_category"),)


class Step(StrEnum):
    WELCOME = "welcome"
    CONSENT = "consent"
    DECLINED = "declined"
    IDENTITY = "identity"
    SUMMARY = "summary"
    GUESTBOOK = "guestbook"
    PRIORITY = "priority"
    TICKET = "ticket"
    OFFLINE = "offline"
    FAILED = "failed"


class Mode(StrEnum):
    """Which questions the guestbook asks."""

    NEW = "new"  # a first visit: every question the ID does not answer
    RETURNING = "returning"  # "Benar" on the summary: only what is missing (e-mail)
    CHANGE = "change"  # "Ubah" on the summary: every answer again, pre-filled, no name
    CORRECT = "correct"  # "Ubah" beside sex/age from the ID: just those two


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
    mail_enabled: bool = False
    step: Step = Step.WELCOME
    form: GuestbookForm | None = None
    services: tuple[Service, ...] = ()
    consent_accepted: bool = False
    photo_accepted: bool = False
    service_id: int | None = None
    match: LookupMatch | None = None
    returning_visitor_id: int | None = None
    mode: Mode = Mode.NEW
    told: dict[str, str] = field(default_factory=dict)  # what the ID says: sex, age_group
    missing: frozenset[str] = frozenset()  # "Benar": the answers the record lacks
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    page_index: int = 0
    id_type: str = "ktp"
    id_number: str = ""
    id_scanned: bool = False
    photo_jpeg: bytes | None = None
    priority_reason: str | None = None
    email_copy: bool = False
    client_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    ticket: TicketInfo | None = None

    # --- life cycle -------------------------------------------------------------------

    def reset(self, language: str | None = None) -> None:
        """Forget everything the visitor typed and go back to the welcome screen."""
        keep = (self.form, self.services, self.camera_enabled, self.mail_enabled)
        fresh = Journey(language=language or self.language)
        self.__dict__.update(fresh.__dict__)
        self.form, self.services, self.camera_enabled, self.mail_enabled = keep

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

    def start(self, service_id: int) -> None:
        """A service tile on the welcome screen: the journey starts with that service."""
        if not self.ready:
            raise JourneyError("form and services are not loaded")
        if service_id not in {s.id for s in self.services}:
            raise JourneyError("unknown service")
        self.service_id = service_id
        self.step = Step.CONSENT

    @property
    def service(self) -> Service | None:
        return next((s for s in self.services if s.id == self.service_id), None)

    @property
    def email_required(self) -> bool:
        """The chosen service answers by e-mail (the recommendation service)."""
        return bool(self.service and self.service.requires_email)

    def back(self) -> None:
        """One step back (within the guestbook: one page back)."""
        if self.step == Step.GUESTBOOK and self.page_index > 0:
            self.page_index -= 1
            return
        if self.step == Step.GUESTBOOK:
            self.step = {
                Mode.CHANGE: Step.SUMMARY,
                Mode.RETURNING: Step.SUMMARY,
                Mode.CORRECT: Step.PRIORITY,
            }.get(self.mode, Step.IDENTITY)
            if self.mode == Mode.CORRECT:
                self.mode = Mode.RETURNING if self.returning_visitor_id else Mode.NEW
            return
        if self.step == Step.PRIORITY:
            if self.pages:
                self.page_index = len(self.pages) - 1
                self.step = Step.GUESTBOOK
            else:
                self.step = Step.SUMMARY if self.returning_visitor_id else Step.IDENTITY
            return
        self.step = {
            Step.CONSENT: Step.WELCOME,
            Step.IDENTITY: Step.CONSENT,
            Step.SUMMARY: Step.IDENTITY,
        }.get(self.step, self.step)

    # --- consent ----------------------------------------------------------------------------

    def accept_consent(self, *, photo: bool = False) -> None:
        self._expect(Step.CONSENT)
        self.consent_accepted = True
        self.photo_accepted = bool(photo and self.camera_enabled)
        self.step = Step.IDENTITY

    def decline_consent(self) -> None:
        """The visitor declined: nothing is kept, they are sent to the front desk."""
        self._expect(Step.CONSENT)
        language = self.language
        self.reset(language)
        self.step = Step.DECLINED

    # --- identity document ------------------------------------------------------------------

    def set_id_type(self, id_type: str) -> None:
        if id_type != self.id_type:
            self.id_number = ""
            self.id_scanned = False
        self.id_type = id_type
        self.errors.pop("id_number", None)

    def set_id_number(self, number: str) -> IdFeedback:
        if number != self.id_number:
            self.id_scanned = False
        self.id_number = number
        feedback = check_id_as_typed(self.id_type, number)
        if feedback.error:
            self.errors["id_number"] = feedback.error
        else:
            self.errors.pop("id_number", None)
        return feedback

    @property
    def nik_complete(self) -> bool:
        """A KTP's NIK is typed in full and valid: the step moves on by itself."""
        return self.id_type == "ktp" and check_id_as_typed("ktp", self.id_number).complete

    def id_from_mrz(
        self,
        document_number: str,
        *,
        sex: str | None = None,
        birth_date: dt.date | None = None,
        today: dt.date | None = None,
    ) -> None:
        """A passport read by the MRZ scanner (already check-digit verified)."""
        self.id_type = "passport"
        self.set_id_number(document_number)
        self.id_scanned = True
        self.told = guestbook.from_id(sex, birth_date, today)

    def confirm_id(self, today: dt.date) -> str | None:
        """Validate the ID and learn what it tells; returns the error code if it is wrong.

        After this the journey waits on the ID step while :attr:`lookup_nik` is
        looked up (``lookup_result``); without a NIK it goes to the questions.
        """
        self._expect(Step.IDENTITY)
        try:
            check = validate_id(self.id_type, self.id_number, today=today)
        except IdentityError as error:
            self.errors["id_number"] = error.code
            return error.code
        self.id_number = check.number
        self.errors.pop("id_number", None)
        if check.nik is not None:
            self.told = guestbook.from_id(check.nik.sex, check.nik.birth_date, today)
        elif not self.id_scanned:
            self.told = {}
        for name, value in self.told.items():
            self.values[name] = value
        if self.lookup_nik is None:
            self._enter_guestbook(Mode.NEW)
        return None

    @property
    def lookup_nik(self) -> str | None:
        """The NIK to look a returning visitor up by (KTP, or a SIM that is a NIK)."""
        if self.id_type not in ("ktp", "sim"):
            return None
        try:
            check = validate_id(self.id_type, self.id_number)
        except IdentityError:
            return None
        return check.number if check.nik is not None else None

    @property
    def photo_allowed(self) -> bool:
        return self.camera_enabled and self.photo_accepted

    def set_photo(self, jpeg: bytes | None) -> None:
        if jpeg is not None and not self.photo_allowed:
            raise JourneyError("no consent for an ID photo")
        self.photo_jpeg = jpeg

    # --- returning visitor ----------------------------------------------------------------

    def lookup_result(self, data: dict[str, Any] | None) -> None:
        """The server's answer to the NIK look-up: a match shows the summary."""
        self._expect(Step.IDENTITY)
        if data is None:
            self.match = None
            self._enter_guestbook(Mode.NEW)
            return
        self.match = LookupMatch.from_json(data)
        fields = {f.name: f for f in self.fields}
        for name, value in self.match.prefill.items():
            form_field = fields.get(name)
            usable = name in PREFILL_FIELDS and form_field and not form_field.personal
            if usable and form_field and check_value(form_field, value) is None:
                self.values.setdefault(name, value)
        for name, value in self.told.items():  # the ID is newer than the stored answers
            self.values[name] = value
        self.step = Step.SUMMARY

    def confirm_match(self, correct: bool) -> None:
        """ "Benar": on to the ticket (asking only what is missing); "Ubah": change answers."""
        self._expect(Step.SUMMARY)
        if self.match is None:
            raise JourneyError("nothing to confirm")
        self.returning_visitor_id = self.match.visitor_id
        # what the record lacks or holds wrongly is asked even after "Benar" (the main
        # use of the data is asked on every visit; an e-mail when the service needs one)
        self.missing = frozenset(
            f.name
            for f in self.fields
            if f.applies(self.values) and self.check(f, self.values.get(f.name, "")) is not None
        )
        self._enter_guestbook(Mode.RETURNING if correct else Mode.CHANGE)

    def correct_from_id(self) -> None:
        """ "Ubah" beside the sex and age group the ID told: ask just those two."""
        self._expect(Step.PRIORITY)
        self._enter_guestbook(Mode.CORRECT)

    @property
    def summary(self) -> list[tuple[str, str]]:
        """``(field, shown value)`` of the returning visitor: masked personal data, answers."""
        if self.match is None:
            return []
        rows = [(k, v) for k, v in self.match.masked.items() if k in ("name", "email", "phone")]
        for form_field in self.fields:
            value = self.values.get(form_field.name)
            if form_field.personal or not value or not form_field.applies(self.values):
                continue
            rows.append((form_field.name, self.label_of(form_field, value)))
        return rows

    @staticmethod
    def label_of(form_field: FormField, value: str) -> str:
        return next((c.label for c in form_field.choices if c.value == value), value)

    # --- guestbook ------------------------------------------------------------------------

    def _enter_guestbook(self, mode: Mode) -> None:
        self.mode = mode
        self.page_index = 0
        self.errors.clear()
        self.step = Step.GUESTBOOK if self.pages else Step.PRIORITY

    @property
    def fields(self) -> tuple[FormField, ...]:
        return self.form.fields if self.form else ()

    def _asks(self, form_field: FormField) -> bool:
        name = form_field.name
        if not form_field.applies(self.values):
            return False
        if self.mode == Mode.CORRECT:
            return name in self.told
        if form_field.from_id and name in self.told:
            return self.mode == Mode.CHANGE
        if self.mode == Mode.RETURNING:
            return name in self.missing
        if self.mode == Mode.CHANGE:
            return name != "name"
        return True

    def _on_file(self, name: str) -> bool:
        return bool(self.match and self.match.masked.get(name))

    @property
    def pages(self) -> list[tuple[FormField, ...]]:
        """The questions still to ask, one page each (the institution shares its page)."""
        asked = [f for f in self.fields if self._asks(f)]
        pages: list[tuple[FormField, ...]] = []
        for form_field in asked:
            group = next((g for g in PAGE_GROUPS if form_field.name in g), None)
            if group and pages and pages[-1][-1].name in group:
                pages[-1] = (*pages[-1], form_field)
            else:
                pages.append((form_field,))
        return pages

    @property
    def page(self) -> tuple[FormField, ...]:
        if self.step != Step.GUESTBOOK:
            return ()
        pages = self.pages
        return pages[min(self.page_index, len(pages) - 1)] if pages else ()

    @property
    def current_field(self) -> FormField | None:
        """The page's first question (its only one, except the institution page)."""
        page = self.page
        return page[0] if page else None

    def required(self, form_field: FormField) -> bool:
        """Whether an answer is needed: the form says so, or the service needs an e-mail
        (and a returning visitor has none on file)."""
        if form_field.name == "email" and self.email_required:
            return not (self.returning_visitor_id is not None and self._on_file("email"))
        if form_field.name == "name" and self.returning_visitor_id is not None:
            return False  # kept on file
        return form_field.required

    def check(self, form_field: FormField, value: str) -> str | None:
        """The error code of one answer, including a contradiction with the ID."""
        text = normalise_value(form_field, value)
        if not text:
            if not self.required(form_field):
                return None
            return "email_required_for_service" if form_field.name == "email" else "required"
        error = check_value(form_field, text)
        if error:
            return error
        return guestbook.contradictions({form_field.name: text}, self.told).get(form_field.name)

    def set_value(self, name: str, value: str) -> str | None:
        """Store an answer; returns the error code shown under it (or ``None``)."""
        form_field = self._field(name)
        self.values[name] = value
        error = self.check(form_field, value) if value else None
        if error:
            self.errors[name] = error
        else:
            self.errors.pop(name, None)
        return error

    def choose(self, name: str, value: str) -> bool:
        """A tile tapped; ``True`` when the page is then complete (the screen moves on)."""
        error = self.set_value(name, value)
        page = self.page
        if error or not page or page[-1].name != name:
            return False
        return all(self.check(f, self.values.get(f.name, "")) is None for f in page)

    def next_page(self) -> str | None:
        """Check the page's answers and move on; returns the first error code if wrong."""
        page = self.page
        if not page:
            raise JourneyError("not in the guestbook")
        first_error = None
        for form_field in page:
            error = self.check(form_field, self.values.get(form_field.name, ""))
            if error:
                self.errors[form_field.name] = error
                first_error = first_error or error
            else:
                self.errors.pop(form_field.name, None)
        if first_error:
            return first_error
        if self.page_index + 1 < len(self.pages):
            self.page_index += 1
        else:
            if self.mode == Mode.CORRECT:
                self.mode = Mode.RETURNING if self.returning_visitor_id else Mode.NEW
            self.step = Step.PRIORITY
        return None

    next_field = next_page

    def _field(self, name: str) -> FormField:
        form_field = self.form.field_named(name) if self.form else None
        if form_field is None:
            raise JourneyError(f"unknown field {name}")
        return form_field

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

    @property
    def email_copy_offered(self) -> bool:
        """The e-mail copy tick box shows only when the server sends mail and we have an address."""
        return self.mail_enabled and self.email_given

    def registration_errors(self) -> dict[str, str]:
        """Every missing or invalid answer, by field name."""
        problems: dict[str, str] = {}
        if not self.consent_accepted:
            problems["consent"] = "consent_required"
        if self.service_id is None:
            problems["service_id"] = "required"
        for form_field in self.fields:
            if not form_field.applies(self.values):
                continue
            error = self.check(form_field, self.values.get(form_field.name, ""))
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
            if not form_field.applies(self.values):
                visitor[form_field.name] = None
                continue
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
            "email_copy": bool(self.email_copy and self.email_copy_offered),
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
        """The server found invalid answers: go back to the first page to fix."""
        self.errors.update(fields)
        if "id_number" in fields or "id_type" in fields:
            self.step = Step.IDENTITY
            return
        if self.mode in (Mode.RETURNING, Mode.CORRECT):
            self.mode = Mode.CHANGE if self.returning_visitor_id else Mode.NEW
        if self.returning_visitor_id is None:
            self.mode = Mode.NEW
        pages = self.pages
        wrong = [i for i, page in enumerate(pages) if any(f.name in fields for f in page)]
        if wrong:
            self.page_index = min(wrong)
            self.step = Step.GUESTBOOK

    def _forget_personal_data(self) -> None:
        self.values.clear()
        self.errors.clear()
        self.told = {}
        self.id_number = ""
        self.photo_jpeg = None
        self.match = None

    def _expect(self, step: Step) -> None:
        if self.step != step:
            raise JourneyError(f"expected step {step}, at {self.step}")
