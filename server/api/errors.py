"""The one place errors become HTTP responses: ``{"error": {"code", "message"}}``.

Validation errors name the fields that are wrong but never echo what was sent
(it may be a NIK or a phone number). Unexpected errors are logged with their
type only and answered with a generic 500 body.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.errors import LoketError

log = logging.getLogger("loket.api")


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def error_response(exc: LoketError) -> JSONResponse:
    """The one rendering of a :class:`LoketError` (handlers and ASGI middleware use it)."""
    return JSONResponse(
        error_body(exc.code, exc.message, **exc.extra),
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoketError)
    async def loket_error(_request: Request, exc: LoketError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields: dict[str, str] = {}
        for err in exc.errors():
            location = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
            fields[location] = str(err.get("msg", "invalid"))
        message = "Invalid request: " + "; ".join(f"{k}: {v}" for k, v in fields.items())
        return JSONResponse(error_body("invalid_input", message, fields=fields), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc.__cause__, LoketError):
            # FastAPI wraps errors raised while it reads the body (e.g. the body
            # size limit's PayloadTooLarge) in a generic 400; answer the real one.
            return error_response(exc.__cause__)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(
            error_body(code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(IntegrityError)
    async def integrity_error(_request: Request, _exc: IntegrityError) -> JSONResponse:
        # Two requests raced for the same unique value (e.g. a retried request id).
        return JSONResponse(
            error_body(
                "conflict_retry",
                "A simultaneous request changed the same record; send the request again.",
            ),
            status_code=409,
        )

    @app.exception_handler(DataError)
    async def data_error(_request: Request, _exc: DataError) -> JSONResponse:
        # A value the database cannot store (out of range); validation should catch it first.
        return JSONResponse(
            error_body("invalid_input", "A value is out of range."), status_code=422
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("Unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return JSONResponse(
            error_body(
                "internal_error",
                "Internal error; the request was not "
                "completed. Try again or tell the administrator.",
            ),
            status_code=500,
        )
