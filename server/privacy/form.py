"""The data-driven guestbook form: definitions, labels, and server-side checks.

Field definitions live in ``form_fields.json`` next to this module; labels
and the privacy notice come from the ``privacy`` i18n catalogs. The checks
return stable error codes per field (``required``, ``email_format``,
``nik_bad_date`` ...) and never echo a value.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from server.config import Settings
from server.domain.identity import IdentityError, normalise_nik, validate_id
from server.i18n import normalise_language, t

FORM_FILE = Path(__file__).parent / "form_fields.json"
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
PERSONAL_FIELDS = ("name", "email", "phone", "id_number")
CATEGORY_FIELDS = ("sex", "age_group", "education", "occupation", "institution_category")


@dataclass(frozen=True)
class FieldDef:
    name: str
    kind: str
    required: bool
    personal: bool
    choices: tuple[str, ...] = ()
    max_length: int = 200


@dataclass(frozen=True)
class FormDef:
    notice_version: str
    fields: tuple[FieldDef, ...]
    id_types: tuple[str, ...]
    priority_reasons: tuple[str, ...]

    def field(self, name: str) -> FieldDef | None:
        return next((f for f in self.fields if f.name == name), None)


@cache
def form_definition() -> FormDef:
    data: dict[str, Any] = json.loads(FORM_FILE.read_text(encoding="utf-8"))
    fields = tuple(
        FieldDef(
            name=f["name"],
            kind=f["kind"],
            required=bool(f.get("required", False)),
            personal=bool(f.get("personal", False)),
            choices=tuple(f.get("choices") or ()),
            max_length=int(f.get("max_length", 200)),
        )
        for f in data["fields"]
    )
    return FormDef(
        data["notice_version"], fields, tuple(data["id_types"]), tuple(data["priority_reasons"])
    )


def notice_text(lang: str, *, unit: Any, settings: Settings) -> str:
    """The privacy notice in ``lang``, with the unit's contact and retention periods."""
    return t(
        "privacy.notice_text",
        lang,
        unit_name=unit["name"],
        unit_email=unit["email"] or "-",
        unit_phone=unit["phone"] or "-",
        photo_days=settings.retention_photo_days,
        guestbook_days=settings.retention_guestbook_days,
    )


def render_form(lang: str | None, *, unit: Any, settings: Settings) -> dict[str, Any]:
    """The ``GET /guestbook/form`` body in one language."""
    language = normalise_language(lang)
    form = form_definition()

    def choice(prefix: str, value: str) -> dict[str, str]:
        return {"value": value, "label": t(f"privacy.{prefix}_{value}", language)}

    return {
        "language": language,
        "notice": {
            "version": form.notice_version,
            "title": t("privacy.notice_title", language),
            "text": notice_text(language, unit=unit, settings=settings),
        },
        "fields": [
            {
                "name": f.name,
                "label": t(f"privacy.field_{f.name}", language),
                "kind": f.kind,
                "required": f.required,
                "choices": [choice(f.name, c) for c in f.choices] if f.kind == "choice" else None,
                "personal": f.personal,
                "max_length": f.max_length,
            }
            for f in form.fields
        ],
        "id_types": [choice("id_type", v) for v in form.id_types],
        "priority_reasons": [choice("priority", v) for v in form.priority_reasons],
    }


def normalise_email(value: str) -> str:
    return "".join(value.split()).lower()


def normalise_phone(value: str) -> str:
    return _PHONE_SEPARATORS.sub("", " ".join(value.split()))


def _check_field(f: FieldDef, raw: Any) -> tuple[str | None, str | None]:
    """``(clean_value, error_code)`` for one answer."""
    if raw is None:
        text = ""
    elif isinstance(raw, str | int) and not isinstance(raw, bool):
        text = " ".join(str(raw).split())
    else:
        return None, "type"
    if f.kind == "email":
        text = normalise_email(text)
    elif f.kind == "phone":
        text = normalise_phone(text)
    if not text:
        return None, ("required" if f.required else None)
    if len(text) > f.max_length:
        return None, "too_long"
    if f.kind == "email" and not EMAIL_RE.match(text):
        return None, "email_format"
    if f.kind == "phone":
        digits = text[1:] if text.startswith("+") else text
        if not digits.isascii() or not digits.isdigit() or not 8 <= len(digits) <= 15:
            return None, "phone_format"
    if f.kind == "number" and not text.isdigit():
        return None, "number_format"
    if f.kind == "choice" and text not in f.choices:
        return None, "choice_invalid"
    return text, None


def validate_visitor(data: dict[str, Any]) -> tuple[dict[str, str | None], dict[str, str]]:
    """Check a registration's ``visitor`` object: ``(clean values, errors by field)``.

    The clean values hold every form field plus ``id_type`` and ``id_number``
    (normalised by :mod:`server.domain.identity`).
    """
    form = form_definition()
    clean: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for f in form.fields:
        value, error = _check_field(f, data.get(f.name))
        clean[f.name] = value
        if error:
            errors[f.name] = error
    id_type = data.get("id_type")
    id_number = data.get("id_number")
    if not isinstance(id_type, str) or id_type.strip().lower() not in form.id_types:
        errors["id_type"] = "id_type"
    elif not isinstance(id_number, str):
        errors["id_number"] = "required"
    else:
        try:
            check = validate_id(id_type, id_number)
        except IdentityError as exc:
            errors["id_number"] = exc.code
        else:
            clean["id_type"] = check.id_type
            clean["id_number"] = check.number
            clean["nik"] = check.number if check.nik is not None else None
    return clean, errors


def nik_lookup_value(nik: str) -> str:
    """The normalised NIK used for the keyed look-up hash."""
    return normalise_nik(nik)
