"""The guestbook's rules, in one place: fields, BPS categories, checks and error codes.

The questions and their answers are data (``data/guestbook.json``): BPS's own
user-survey categories (SKD block I: age group, education, main occupation
with a free-text "Lainnya", institution category of which the first four count
as government, main use of the data, disability and its kind), the ID types,
the priority reasons and the visitor-profile fields. This module reads that
file and holds the checks every part applies: the e-mail pattern, the phone
rule, the one set of length caps, conditional questions (``when``), names
capitalised as typed, and what a NIK or passport tells (sex, age group) and
contradicts. Pure: no I/O beyond reading the data file once, no clock (pass
``today``), no server imports outside ``server.domain``; the kiosk, the server
and the desk form all use it instead of copying a rule. It also holds the reason
rule for access to personal data (:func:`require_reason`: every reveal, photo
view, export, correction and erasure carries one for the audit log, UU 27/2022)
and :func:`registration_outcome`, what a kiosk registration does to the
visitor on file (docs/privacy.md).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "guestbook.json"

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
PHONE_DIGITS = (8, 15)
DEFAULT_MAX_LENGTH = 200

#: every error code a guestbook check can return
ERROR_CODES = (
    "required",
    "type",
    "too_long",
    "email_format",
    "phone_format",
    "number_format",
    "choice_invalid",
    "sex_contradicts_id",
    "age_contradicts_id",
    "email_required_for_service",
)
#: personal fields: encrypted at rest, masked, never logged
PERSONAL_FIELDS = ("name", "email", "phone", "id_number")
#: non-personal answers that are not visitor categories: the institution's name (free
#: text, profile only) and the main use of the data (asked on every visit)
_NOT_CATEGORY = ("institution", "purpose")
VISIT_FIELDS = ("purpose",)


@dataclass(frozen=True)
class FieldDef:
    """One guestbook question as the data file defines it."""

    name: str
    kind: str  # text | email | phone | choice | number
    required: bool
    personal: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = DEFAULT_MAX_LENGTH
    capitalise: bool = False
    from_id: bool = False  # known from a NIK or passport: not asked when the ID tells it
    when: tuple[tuple[str, str], ...] = ()  # asked only when these answers were given
    legacy: tuple[tuple[str, str], ...] = ()  # pre-SKD answers still accepted, and their SKD value

    def applies(self, values: dict[str, Any]) -> bool:
        """Whether this question is asked, given the other answers."""
        return all(str(values.get(name) or "") == value for name, value in self.when)


@dataclass(frozen=True)
class AgeGroup:
    value: str
    min_age: int
    max_age: int


@dataclass(frozen=True)
class GuestbookDef:
    """The whole guestbook definition."""

    notice_version: str
    fields: tuple[FieldDef, ...]
    id_types: tuple[str, ...]
    priority_reasons: tuple[str, ...]
    age_groups: tuple[AgeGroup, ...]
    government_categories: tuple[str, ...]

    def field(self, name: str) -> FieldDef | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def category_fields(self) -> tuple[str, ...]:
        """Answers about the visitor stored on the visitor and with each visit (reports)."""
        return tuple(f.name for f in self.fields if not f.personal and f.name not in _NOT_CATEGORY)

    @property
    def profile_fields(self) -> tuple[str, ...]:
        """Non-personal answers kept on the visitor, offered back on a return visit."""
        return (*self.category_fields, "institution")


@cache
def definition() -> GuestbookDef:
    """The guestbook definition from ``data/guestbook.json`` (read once)."""
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    legacy: dict[str, dict[str, str]] = data.get("legacy_values") or {}
    fields = tuple(
        FieldDef(
            name=f["name"],
            kind=f["kind"],
            required=bool(f.get("required", False)),
            personal=bool(f.get("personal", False)),
            choices=tuple(f.get("choices") or ()),
            max_length=int(f.get("max_length", DEFAULT_MAX_LENGTH)),
            capitalise=bool(f.get("capitalise", False)),
            from_id=bool(f.get("from_id", False)),
            when=tuple((str(k), str(v)) for k, v in (f.get("when") or {}).items()),
            legacy=tuple(legacy.get(f["name"], {}).items()),
        )
        for f in data["fields"]
    )
    return GuestbookDef(
        notice_version=data["notice_version"],
        fields=fields,
        id_types=tuple(data["id_types"]),
        priority_reasons=tuple(data["priority_reasons"]),
        age_groups=tuple(AgeGroup(a["value"], a["min"], a["max"]) for a in data["age_groups"]),
        government_categories=tuple(data["government_institution_categories"]),
    )


PRIORITY_REASONS: tuple[str, ...] = definition().priority_reasons
CATEGORY_FIELDS: tuple[str, ...] = definition().category_fields
PROFILE_FIELDS: tuple[str, ...] = definition().profile_fields


# --- normalising --------------------------------------------------------------------------


_WORD_START = re.compile(r"(^|[\s\-])(\w)")


def capitalise_name(value: str) -> str:
    """ "siti aminah" → "Siti Aminah": each word's first letter up, the rest as typed.

    Spaces are kept as they are, so the kiosk can apply it on every key press.
    """
    return _WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), value or "")


def normalise_email(value: str) -> str:
    return "".join((value or "").split()).lower()


def normalise_phone(value: str) -> str:
    return _PHONE_SEPARATORS.sub("", " ".join((value or "").split()))


def normalise(f: FieldDef, value: str) -> str:
    """A typed value tidied the way it is sent and stored."""
    text = " ".join((value or "").split())
    if f.kind == "email":
        return normalise_email(text)
    if f.kind == "phone":
        return normalise_phone(text)
    if f.capitalise:
        return capitalise_name(text)
    if f.legacy:
        # a registration written before the SKD categories (a kiosk's outbox) still counts
        return dict(f.legacy).get(text, text)
    return text


# --- checks -------------------------------------------------------------------------------


def check_email(value: str) -> str | None:
    """``email_format`` unless ``value`` (already normalised) looks like an address."""
    return None if EMAIL_RE.match(value) else "email_format"


def check_phone(value: str) -> str | None:
    """``phone_format`` unless ``value`` is 8–15 digits with an optional leading +."""
    digits = value[1:] if value.startswith("+") else value
    low, high = PHONE_DIGITS
    if not digits.isascii() or not digits.isdigit() or not low <= len(digits) <= high:
        return "phone_format"
    return None


def check_text(f: FieldDef, value: str) -> str | None:
    """The error code for one normalised, non-empty answer, or ``None``."""
    if len(value) > f.max_length:
        return "too_long"
    if f.kind == "email":
        return check_email(value)
    if f.kind == "phone":
        return check_phone(value)
    if f.kind == "number" and not value.isdigit():
        return "number_format"
    if f.kind == "choice" and value not in f.choices:
        return "choice_invalid"
    return None


def check_field(f: FieldDef, raw: Any, values: dict[str, Any]) -> tuple[str | None, str | None]:
    """``(clean value, error code)`` of one answer given the others.

    A question whose ``when`` condition is not met is not asked: its value is
    dropped (``None``) and it is never an error.
    """
    if not f.applies(values):
        return None, None
    if raw is None:
        text = ""
    elif isinstance(raw, str | int) and not isinstance(raw, bool):
        text = normalise(f, str(raw))
    else:
        return None, "type"
    if not text:
        return None, ("required" if f.required else None)
    error = check_text(f, text)
    return (None, error) if error else (text, None)


def check_answers(data: dict[str, Any]) -> tuple[dict[str, str | None], dict[str, str]]:
    """Every form field of ``data`` checked: ``(clean values, errors by field)``."""
    clean: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for f in definition().fields:
        value, error = check_field(f, data.get(f.name), data)
        clean[f.name] = value
        if error:
            errors[f.name] = error
    return clean, errors


# --- what an ID tells --------------------------------------------------------------------


def age_on(birth_date: dt.date, today: dt.date) -> int:
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - int(before_birthday)


def age_group_for(birth_date: dt.date, today: dt.date) -> str:
    """The SKD age group of someone born on ``birth_date``."""
    age = age_on(birth_date, today)
    for group in definition().age_groups:
        if group.min_age <= age <= group.max_age:
            return group.value
    return definition().age_groups[-1].value


def sex_value(code: str | None) -> str | None:
    """The guestbook's sex answer for an ID's ``M``/``F`` (``None`` when unknown)."""
    return {"M": "male", "F": "female"}.get(code or "")


def from_id(
    sex_code: str | None, birth_date: dt.date | None = None, today: dt.date | None = None
) -> dict[str, str]:
    """The answers an ID tells: ``sex`` and (given ``today``) ``age_group`` where known."""
    known: dict[str, str] = {}
    sex = sex_value(sex_code)
    if sex:
        known["sex"] = sex
    if birth_date is not None and today is not None:
        known["age_group"] = age_group_for(birth_date, today)
    return known


def contradictions(values: dict[str, Any], told: dict[str, str]) -> dict[str, str]:
    """Answers that contradict what the ID tells, as ``{field: error code}``."""
    errors: dict[str, str] = {}
    for name, code in (("sex", "sex_contradicts_id"), ("age_group", "age_contradicts_id")):
        given = values.get(name)
        if given and name in told and given != told[name]:
            errors[name] = code
    return errors


def is_government(institution_category: str | None) -> bool:
    """Whether an institution category counts as government (the first four)."""
    return institution_category in definition().government_categories


def email_required_error(email: str | None, *, requires_email: bool) -> str | None:
    """``email_required_for_service`` when the service needs an e-mail and none is given."""
    return "email_required_for_service" if requires_email and not email else None


# --- access reasons and what a registration may change (issue 10) ---------------------

MIN_REASON = 3
MAX_REASON = 500
REASON_REQUIRED = (
    "A reason is required (at least 3 characters, not only spaces); it is written to the audit log."
)


class ReasonRequired(ValueError):
    """The reason is missing, blank or too short."""

    def __init__(self) -> None:
        super().__init__(REASON_REQUIRED)


def require_reason(reason: str | None) -> str:
    """The reason, trimmed; :class:`ReasonRequired` if there is none worth the name."""
    text = " ".join((reason or "").split())
    if len(text) < MIN_REASON:
        raise ReasonRequired()
    return text[:MAX_REASON]


class Outcome(StrEnum):
    NEW = "new"  # nobody on file has this ID number: a new visitor
    JOIN = "join"  # same ID and contact values as on file: the visit joins that visitor
    UPDATE = "update"  # confirmed returning visitor: contact values on file are updated
    REVIEW = "review"  # known ID, other values, not confirmed: own record, flagged for staff


def registration_outcome(*, on_file: bool, confirmed: bool, changed: bool) -> Outcome:
    """What a registration does to the visitor on file with the same ID number.

    ``confirmed``: the visitor found themselves at the kiosk and the ID number
    typed now is the one on file. ``changed``: any contact value differs (or
    the record on file cannot be read).
    """
    if not on_file:
        return Outcome.NEW
    if confirmed:
        return Outcome.UPDATE if changed else Outcome.JOIN
    return Outcome.REVIEW if changed else Outcome.JOIN
