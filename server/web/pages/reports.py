"""Pages of the reports: ``/reports`` (today, live) and ``/reports/period``.

Server-rendered shells with the ``reports`` catalog; the scripts fetch the
figures from ``/api/v1/reports/...`` with the console's session cookie. The
shell itself checks the cookie so that nobody sees an empty report frame:
no session answers 401 and an account without the supervisor role 403, each
with a sentence saying why and a link to the console.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from server.api.deps import SESSION_COOKIE, DbDep
from server.i18n import LANGUAGES, catalog, normalise_language
from server.store import accounts
from server.store.accounts import Principal
from server.web.pages.queue import LANG_COOKIE, LANGUAGE_LABELS, SECURITY_HEADERS, templates

router = APIRouter(include_in_schema=False)
REPORT_ROLES = ("admin", "supervisor")


def _i18n_json(lang: str) -> str:
    text = json.dumps({"lang": lang, "messages": catalog("reports", lang)}, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _signed_in(db: Any, request: Request) -> Principal | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    with db.read() as conn:
        return accounts.principal_for_token(conn, token=token)


async def _render(
    request: Request, db: DbDep, name: str, lang: str | None, page: str
) -> HTMLResponse:
    language = normalise_language(lang or request.cookies.get(LANG_COOKIE))
    principal = await run_in_threadpool(_signed_in, db, request)
    status = 200
    if principal is None:
        name, status = "reports_denied.html", 401
    elif principal.role not in REPORT_ROLES:
        name, status = "reports_denied.html", 403
    response = templates().TemplateResponse(
        request,
        name,
        {
            "lang": language,
            "languages": [(code, LANGUAGE_LABELS[code]) for code in LANGUAGES],
            "i18n_json": _i18n_json(language),
            "status": status,
            "page": page,
        },
        status_code=status,
    )
    response.headers.update(SECURITY_HEADERS)
    return response


@router.get("/reports", response_class=HTMLResponse)
async def today_page(request: Request, db: DbDep, lang: str | None = None) -> HTMLResponse:
    """Today at the desk, updated live over the event stream."""
    return await _render(request, db, "reports_today.html", lang, "today")


@router.get("/reports/period", response_class=HTMLResponse)
async def period_page(request: Request, db: DbDep, lang: str | None = None) -> HTMLResponse:
    """A period's figures as charts and tables, with CSV and XLSX downloads."""
    return await _render(request, db, "reports_period.html", lang, "period")
