"""Guestbook rules that need no I/O: reasons for access, and what a registration may change.

Every reveal, photo view, export, correction and erasure carries a reason that
goes into the audit log (UU 27/2022 accountability). :func:`require_reason`
is the one check: at least :data:`MIN_REASON` characters that are not blank,
at most :data:`MAX_REASON`. :func:`registration_outcome` decides what a kiosk
registration does to the visitor on file (docs/privacy.md).
"""

from __future__ import annotations

from enum import StrEnum

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
