"""The guestbook form as the API serves it, and the server-side check of a registration.

The rules themselves (fields, BPS categories, limits, error codes) live in
:mod:`server.domain.guestbook`; this module renders them with their labels
(the ``guestbook`` i18n catalogs) and the privacy notice, and checks a
registration's ``visitor`` object with them. Checks return stable error codes
per field and never echo a value.
"""

from __future__ import annotations

from typing import Any

from server.config import Settings
from server.domain import guestbook
from server.domain.guestbook import (
    CATEGORY_FIELDS,
    EMAIL_RE,
    PERSONAL_FIELDS,
    FieldDef,
    GuestbookDef,
    normalise_email,
    normalise_phone,
)
from server.domain.identity import IdentityError, normalise_nik, validate_id
from server.i18n import normalise_language, t

__all__ = [
    "CATEGORY_FIELDS",
    "EMAIL_RE",
    "PERSONAL_FIELDS",
    "FieldDef",
    "form_definition",
    "nik_lookup_value",
    "normalise_email",
    "normalise_phone",
    "render_form",
    "validate_visitor",
]

FormDef = GuestbookDef


def form_definition() -> GuestbookDef:
    """The guestbook definition (one copy, in :mod:`server.domain.guestbook`)."""
    return guestbook.definition()


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
        return {"value": value, "label": t(f"guestbook.{prefix}_{value}", language)}

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
                "label": t(f"guestbook.field_{f.name}", language),
                "kind": f.kind,
                "required": f.required,
                "choices": [choice(f.name, c) for c in f.choices] if f.kind == "choice" else None,
                "personal": f.personal,
                "max_length": f.max_length,
                "from_id": f.from_id,
                "capitalise": f.capitalise,
                "when": dict(f.when) or None,
            }
            for f in form.fields
        ],
        "id_types": [choice("id_type", v) for v in form.id_types],
        "priority_reasons": [choice("priority", v) for v in form.priority_reasons],
    }


def _check_field(
    f: FieldDef, raw: Any, values: dict[str, Any] | None = None
) -> tuple[str | None, str | None]:
    """``(clean_value, error_code)`` for one answer (conditions ignored without ``values``)."""
    if values is None:
        values = dict(f.when)
    return guestbook.check_field(f, raw, values)


def validate_visitor(
    data: dict[str, Any], *, returning: bool = False
) -> tuple[dict[str, str | None], dict[str, str]]:
    """Check a registration's ``visitor`` object: ``(clean values, errors by field)``.

    The clean values hold every form field plus ``id_type`` and ``id_number``
    (normalised by :mod:`server.domain.identity`). A sex answer contradicting
    the NIK is refused (``sex_contradicts_id``). A ``returning`` visitor who
    confirmed their record on the kiosk may leave the name out: the one on
    file is kept (checked again when the record is matched).
    """
    form = form_definition()
    clean, errors = guestbook.check_answers(data)
    if returning and errors.get("name") == "required":
        del errors["name"]
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
            if check.nik is not None and "sex" not in errors:
                told = guestbook.from_id(check.nik.sex)
                errors.update(guestbook.contradictions({"sex": clean.get("sex")}, told))
    return clean, errors


def nik_lookup_value(nik: str) -> str:
    """The normalised NIK used for the keyed look-up hash."""
    return normalise_nik(nik)
