"""Pure rules for an office's own details: time zones, contacts, hours, prefixes.

Used by ``loket init``, the admin API and the admin pages (through the API) so
the same value is accepted or refused everywhere. No I/O and no clock: every
function takes the value and returns the cleaned value or raises
:class:`AdminRuleError` carrying a stable code and an English message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Indonesia's three zones; an office gives the short name or the IANA name.
ZONES: dict[str, str] = {
    "WIB": "Asia/Jakarta",
    "WITA": "Asia/Makassar",
    "WIT": "Asia/Jayapura",
}
ALLOWED_TIMEZONES = frozenset({*ZONES.values(), "Asia/Pontianak"})
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,19}$")
_UNIT_CODE = re.compile(r"^[0-9]{4}$")
_HOURS = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$")
_SERVICE_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_CASE_KIND = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class AdminRuleError(ValueError):
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def timezone_name(value: str) -> str:
    """``WIB``/``WITA``/``WIT`` or one of Indonesia's IANA zones -> the IANA name."""
    text = value.strip()
    if text.upper() in ZONES:
        return ZONES[text.upper()]
    if text in ALLOWED_TIMEZONES:
        return text
    raise AdminRuleError("bad_timezone", "Time zone must be WIB, WITA or WIT.")


def unit_code(value: str) -> str:
    text = value.strip()
    if not _UNIT_CODE.match(text):
        raise AdminRuleError("bad_unit_code", "A BPS unit code is four digits, e.g. 3273.")
    return text


def required_text(value: str, *, what: str, max_length: int) -> str:
    text = " ".join(value.split())
    if not text:
        raise AdminRuleError("required", f"{what} is required.")
    if len(text) > max_length:
        raise AdminRuleError("too_long", f"{what} is longer than {max_length} characters.")
    return text


def optional_text(value: str, *, what: str, max_length: int) -> str:
    text = " ".join(value.split())
    if len(text) > max_length:
        raise AdminRuleError("too_long", f"{what} is longer than {max_length} characters.")
    return text


def email(value: str) -> str:
    text = value.strip()
    if text and not _EMAIL.match(text):
        raise AdminRuleError("bad_email", "The e-mail address is not valid.")
    return text


def phone(value: str, *, what: str = "Phone number") -> str:
    text = value.strip()
    if text and not _PHONE.match(text):
        raise AdminRuleError("bad_phone", f"{what} uses digits, spaces, dashes and a leading +.")
    return text


def url(value: str) -> str:
    text = value.strip()
    if text and not (text.startswith("https://") or text.startswith("http://")):
        raise AdminRuleError("bad_url", "A link starts with https:// or http://.")
    if len(text) > 400:
        raise AdminRuleError("too_long", "The link is longer than 400 characters.")
    return text


def complaint_channels(values: list[str]) -> list[str]:
    cleaned = [" ".join(v.split()) for v in values]
    cleaned = [v for v in cleaned if v]
    if len(cleaned) > 8:
        raise AdminRuleError("too_many", "At most 8 complaint channels.")
    if any(len(v) > 120 for v in cleaned):
        raise AdminRuleError("too_long", "A complaint channel is longer than 120 characters.")
    return cleaned


def opening_hours(values: dict[str, str]) -> dict[str, str]:
    """``{"mon": "08:00-15:30", ...}``; a missing or empty day means closed."""
    out: dict[str, str] = {}
    for day, span in values.items():
        if day not in DAYS:
            raise AdminRuleError("bad_day", f"Unknown day {day!r}; use mon..sun.")
        text = span.strip()
        if not text:
            continue
        match = _HOURS.match(text)
        if not match or text[:5] >= text[6:]:
            raise AdminRuleError(
                "bad_hours", "Opening hours are written HH:MM-HH:MM, e.g. 08:00-15:30."
            )
        out[day] = text
    return out


def service_prefix(value: str) -> str:
    text = value.strip()
    if not (text.isascii() and text.isalpha() and text.isupper() and 1 <= len(text) <= 2):
        raise AdminRuleError("bad_prefix", "A service prefix is one or two capital letters.")
    return text


def service_code(value: str) -> str:
    text = value.strip()
    if not _SERVICE_CODE.match(text):
        raise AdminRuleError(
            "bad_service_code", "A service code uses small letters, digits and underscores."
        )
    return text


def case_kind(value: str | None) -> str | None:
    """The case kind a service opens, as a plain code (``None``: it opens none)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not _CASE_KIND.match(text):
        raise AdminRuleError(
            "bad_case_kind", "A case kind uses small letters, digits and underscores."
        )
    return text


def counter_number(value: int) -> int:
    if not 1 <= value <= 99:
        raise AdminRuleError("bad_counter_number", "A counter number is between 1 and 99.")
    return value
