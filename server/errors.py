"""The server's one exception hierarchy.

Each error carries its HTTP status and a stable machine ``code``; the API turns
any of them into ``{"error": {"code", "message"}}`` in a single handler. Messages
are English and never contain personal data.
"""

from __future__ import annotations

from typing import Any


class LoketError(Exception):
    """Base of every error the server reports to a client."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.extra = extra


class NotFound(LoketError):
    status_code = 404
    code = "not_found"


class Conflict(LoketError):
    status_code = 409
    code = "conflict"


class IllegalTransition(Conflict):
    code = "illegal_transition"


class InvalidInput(LoketError):
    status_code = 422
    code = "invalid_input"


class Unauthorized(LoketError):
    status_code = 401
    code = "unauthorized"


class Forbidden(LoketError):
    status_code = 403
    code = "forbidden"


class TooManyRequests(LoketError):
    status_code = 429
    code = "too_many_requests"

    def __init__(
        self, message: str, *, retry_after: int | None = None, code: str | None = None, **extra: Any
    ) -> None:
        if retry_after is not None:
            extra["retry_after_seconds"] = retry_after
        super().__init__(message, code=code, **extra)
        self.headers = {"Retry-After": str(retry_after)} if retry_after is not None else None


class PayloadTooLarge(LoketError):
    status_code = 413
    code = "payload_too_large"
