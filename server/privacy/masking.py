"""Masked forms of personal values, shown to staff by default.

NIK ``1906xxxxxxxx0001``, e-mail ``s***@gmail.com``, phone ``0812****877``,
name ``Siti A. P.`` (first name, initials of the rest; a one-word name keeps
only its first letter). Masking never returns the full value.
"""

from __future__ import annotations


def mask_id_number(value: str | None) -> str | None:
    if not value:
        return value
    if len(value) >= 12:
        return value[:4] + "x" * (len(value) - 8) + value[-4:]
    if len(value) >= 5:
        return value[:1] + "x" * (len(value) - 3) + value[-2:]
    return "x" * len(value)


def mask_email(value: str | None) -> str | None:
    if not value:
        return value
    local, sep, domain = value.partition("@")
    if not sep:
        return "***"
    return (local[:1] or "*") + "***@" + domain


def mask_phone(value: str | None) -> str | None:
    if not value:
        return value
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 7) + value[-3:]


def mask_name(value: str | None) -> str | None:
    if not value:
        return value
    words = value.split()
    if len(words) == 1:
        word = words[0]
        return word[:1] + "*" * max(len(word) - 1, 2)
    return " ".join([words[0], *(w[:1] + "." for w in words[1:])])


MASKERS = {
    "name": mask_name,
    "email": mask_email,
    "phone": mask_phone,
    "id_number": mask_id_number,
}


def mask(field: str, value: str | None) -> str | None:
    """The masked form of ``value`` for one of the personal fields."""
    return MASKERS[field](value)
