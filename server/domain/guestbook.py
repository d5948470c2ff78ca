"""Guestbook rules that need no I/O: the reason staff give for touching personal data.

Every reveal, photo view, export, correction and erasure carries a reason that
goes into the audit log (UU 27/2022 accountability). :func:`require_reason`
is the one check: at least :data:`MIN_REASON` characters that are not blank,
at most :data:`MAX_REASON`.
"""

from __future__ import annotations

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
