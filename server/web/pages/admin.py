"""Routes of the admin pages: ``/admin`` (office settings) and ``/account/password``.

Server-rendered shells with their text from the ``admin`` catalog; the browser
signs in on the console (same session cookie), then ``static/js/admin.js``
loads and changes everything through ``/api/v1/admin/...``, which also decides
what the caller's role may do. No data is rendered into the pages server-side.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from server.i18n import LANGUAGES, catalog, normalise_language
from server.web.pages.queue import (
    LANG_COOKIE,
    LANGUAGE_LABELS,
    SECURITY_HEADERS,
    templates,
)

router = APIRouter(include_in_schema=False)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _i18n_json(lang: str) -> str:
    text = json.dumps({"lang": lang, "messages": catalog("admin", lang)}, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _render(request: Request, name: str, lang: str | None, **context: Any) -> HTMLResponse:
    language = normalise_language(lang or request.cookies.get(LANG_COOKIE))
    response = templates().TemplateResponse(
        request,
        name,
        {
            "lang": language,
            "languages": [(code, LANGUAGE_LABELS[code]) for code in LANGUAGES],
            "i18n_json": _i18n_json(language),
            **context,
        },
    )
    response.headers.update(SECURITY_HEADERS)
    if lang:
        response.set_cookie(
            LANG_COOKIE, language, max_age=365 * 86400, samesite="strict", httponly=True
        )
    return response


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, lang: str | None = None) -> HTMLResponse:
    """Office, services, counters, staff, devices and the audit log."""
    return _render(request, "admin.html", lang, days=DAYS)


@router.get("/account/password", response_class=HTMLResponse)
def password_page(request: Request, lang: str | None = None) -> HTMLResponse:
    """Choose a new password (after an admin's reset, or any time)."""
    return _render(request, "admin_password.html", lang)
