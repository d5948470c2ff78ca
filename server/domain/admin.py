"""Pure rules for an office's own details: time zones, contacts, hours, prefixes.

Used by ``loket init``, the admin API and the admin pages (through the API) so
the same value is accepted or refused everywhere. No I/O and no clock: every
function takes the value and returns the cleaned value or raises
:class:`AdminRuleError` carrying a stable code and an English message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

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


# --- a new office: what `loket init` accepts -----------------------------------------

UNIT_FIELDS = ("code", "name", "address", "phone", "email", "whatsapp", "timezone")
REQUIRED_UNIT_FIELDS = ("code", "name", "address", "email", "timezone")


def standard_services(data: dict[str, Any]) -> list[dict[str, str]]:
    """The national PST services from ``data/pst_services.json`` (passed in, already read)."""
    return [dict(s) for s in data["services"]]


def missing_unit_fields(raw: dict[str, Any]) -> list[str]:
    """The required office details not given (empty counts as not given)."""
    return [k for k in REQUIRED_UNIT_FIELDS if not str(raw.get(k) or "").strip()]


def default_complaint_channels(email_address: str, whatsapp: str) -> list[str]:
    """An office's own channels when it names none: lapor.go.id plus its own contacts."""
    channels = ["lapor.go.id"]
    if email_address:
        channels.append(email_address)
    if whatsapp:
        channels.append(f"WhatsApp {whatsapp}")
    return channels


def office_config(raw: dict[str, Any], *, standard: list[dict[str, str]]) -> dict[str, Any]:
    """Check a whole new-office description; returns ``{"unit", "services", "counters"}``.

    ``raw`` holds the unit fields, ``complaint_channels``, ``services`` (codes of
    the standard PST services, or full service objects) and ``counters`` (a number,
    or a list of ``{"number", "name"}``). Nothing of another office is filled in.
    """
    missing = missing_unit_fields(raw)
    if missing:
        raise AdminRuleError("missing", f"Give the office's {', '.join(missing)}.")
    whatsapp = phone(str(raw.get("whatsapp") or ""), what="WhatsApp number")
    mail = email(str(raw["email"]))
    if not mail:
        raise AdminRuleError("bad_email", "The e-mail address is not valid.")
    channels = raw.get("complaint_channels")
    unit = {
        "code": unit_code(str(raw["code"])),
        "name": required_text(str(raw["name"]), what="Office name", max_length=200),
        "address": required_text(str(raw["address"]), what="Address", max_length=400),
        "phone": phone(str(raw.get("phone") or "")),
        "email": mail,
        "timezone": timezone_name(str(raw["timezone"])),
        "settings": {
            "whatsapp": whatsapp,
            "complaint_channels": complaint_channels(list(channels))
            if channels
            else default_complaint_channels(mail, whatsapp),
        },
    }
    return {
        "unit": unit,
        "services": _office_services(raw.get("services"), standard),
        "counters": _office_counters(raw.get("counters", 2)),
    }


def _office_services(value: Any, standard: list[dict[str, str]]) -> list[dict[str, Any]]:
    if not value:
        return [dict(s) for s in standard]
    by_code = {s["code"]: s for s in standard}
    out: list[dict[str, Any]] = []
    for item in value:
        if isinstance(item, str):
            if item.strip() not in by_code:
                raise AdminRuleError(
                    "unknown_service",
                    f"Unknown standard service {item!r}; use {', '.join(by_code)}.",
                )
            out.append(dict(by_code[item.strip()]))
            continue
        if not isinstance(item, dict):
            raise AdminRuleError("bad_service", "A service is a code or an object.")
        out.append(
            {
                "code": service_code(str(item.get("code", ""))),
                "prefix": service_prefix(str(item.get("prefix", ""))),
                "name_id": required_text(str(item.get("name_id", "")), what="Name", max_length=200),
                "name_en": required_text(
                    str(item.get("name_en") or item.get("name_id", "")), what="Name", max_length=200
                ),
                "description_id": optional_text(
                    str(item.get("description_id", "")), what="Description", max_length=400
                ),
                "description_en": optional_text(
                    str(item.get("description_en", "")), what="Description", max_length=400
                ),
                "case_kind": case_kind(item.get("case_kind")),
            }
        )
    for key in ("code", "prefix"):
        values = [s[key] for s in out]
        if len(values) != len(set(values)):
            raise AdminRuleError("duplicate_service", f"Two services share a {key}.")
    return out


def _office_counters(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, bool):
        raise AdminRuleError("bad_counters", "Counters are a number or a list.")
    if isinstance(value, int | str) and str(value).strip().isdigit():
        n = int(value)
        if not 1 <= n <= 99:
            raise AdminRuleError("bad_counters", "Between 1 and 99 counters.")
        return [{"number": i, "name": f"Loket {i}"} for i in range(1, n + 1)]
    if not isinstance(value, list) or not value:
        raise AdminRuleError("bad_counters", "Counters are a number or a list.")
    if not all(isinstance(c, dict) and str(c.get("number", "")).isdigit() for c in value):
        raise AdminRuleError("bad_counters", "Each counter has a number, e.g. {number = 1}.")
    out = [
        {
            "number": counter_number(int(c["number"])),
            "name": required_text(
                str(c.get("name") or f"Loket {c['number']}"), what="Counter name", max_length=80
            ),
        }
        for c in value
    ]
    if len({c["number"] for c in out}) != len(out):
        raise AdminRuleError("duplicate_counter", "Two counters share a number.")
    return out


def local_days_to_utc(
    day_from: date | None, day_to: date | None, timezone: str
) -> tuple[datetime | None, datetime | None]:
    """``[start of day_from, start of the day after day_to)`` in the office's zone, as UTC."""
    zone = ZoneInfo(timezone)
    if day_from and day_to and day_to < day_from:
        raise AdminRuleError("bad_dates", "The end date is before the start date.")
    start = datetime.combine(day_from, time(0), zone).astimezone(UTC) if day_from else None
    end = (
        datetime.combine(day_to + timedelta(days=1), time(0), zone).astimezone(UTC)
        if day_to
        else None
    )
    return start, end


# --- nightly backups --------------------------------------------------------------------

_BACKUP = re.compile(r"^loket-[0-9]{8}-[0-9]{6}\.sqlite3$")


def backup_name(moment: datetime) -> str:
    """``loket-YYYYMMDD-HHMMSS.sqlite3`` (UTC), so names sort by age."""
    return f"loket-{moment.astimezone(UTC):%Y%m%d-%H%M%S}.sqlite3"


def backups_to_remove(names: list[str], *, keep: int) -> list[str]:
    """The backup files beyond the newest ``keep``; other files are never touched."""
    ours = sorted((n for n in names if _BACKUP.match(n)), reverse=True)
    return sorted(ours[keep:]) if keep > 0 else []
