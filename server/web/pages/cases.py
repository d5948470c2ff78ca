"""Pages of the cases feature: the staff page ``/cases`` (open requests and
complaints by working days left, case detail and actions, the calendar and the
mail outbox for admins), the case part of the public tracking page, and the
visitor's complaint form behind it.

The staff page is a shell: ``static/js/cases.js`` signs in through the console's
session cookie and gets everything, including the allowed next steps, from the
API. The public view (:func:`public_case_view`) carries only the step names
and dates, the due date and the office's contact — never personal data, notes
or the request form.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from server.api.deps import DbDep, SettingsDep
from server.errors import LoketError
from server.i18n import catalog, normalise_language
from server.privacy.keys import key_file_for
from server.store import cases as store
from server.store import complaints as complaint_store
from server.store import queue_reads
from server.store.common import utcnow
from server.web.pages.queue import LANG_COOKIE, SECURITY_HEADERS, templates

router = APIRouter(include_in_schema=False)
MAX_FORM_BYTES = 8 * 1024


def _i18n_json(lang: str) -> str:
    messages = {
        **catalog("web", lang),
        **{f"cases.{k}": v for k, v in catalog("cases", lang).items()},
    }
    text = json.dumps({"lang": lang, "messages": messages}, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _render(
    request: Request, name: str, lang: str, status: int = 200, **context: Any
) -> HTMLResponse:
    response = templates().TemplateResponse(
        request,
        name,
        {
            "lang": lang,
            "languages": [("id", "Bahasa Indonesia"), ("en", "English")],
            "i18n_json": _i18n_json(lang),
            "status_code": status,
            **context,
        },
        status_code=status,
    )
    response.headers.update(SECURITY_HEADERS)
    return response


@router.get("/cases", response_class=HTMLResponse)
def cases_page(request: Request, lang: str | None = None) -> HTMLResponse:
    """Staff page: open requests and complaints, case detail, calendar, mail outbox."""
    language = normalise_language(lang or request.cookies.get(LANG_COOKIE))
    return _render(request, "cases.html", language)


@router.get("/t/{tracking_token}/complaint", response_class=HTMLResponse)
def complaint_form(request: Request, tracking_token: str, lang: str | None = None) -> HTMLResponse:
    """The visitor's complaint form (no personal data is shown on it)."""
    language = normalise_language(lang or request.cookies.get(LANG_COOKIE))
    return _render(request, "track_complaint.html", language, ok=None, token=tracking_token[:64])


@router.post("/t/{tracking_token}/complaint", response_class=HTMLResponse)
async def public_complaint(
    request: Request, tracking_token: str, db: DbDep, settings: SettingsDep
) -> HTMLResponse:
    """A visitor files a complaint from the tracking page (an HTML form post)."""
    language = normalise_language(request.cookies.get(LANG_COOKIE))
    raw = await request.body()
    fields = {k: v[0] for k, v in parse_qs(raw[:MAX_FORM_BYTES].decode("utf-8", "replace")).items()}
    language = normalise_language(fields.get("lang") or language)
    text = fields.get("text", "").strip()
    email = fields.get("email", "").strip() or None
    if (
        not text
        or len(text) > complaint_store.MAX_TEXT
        or (email and ("@" not in email or len(email) > 200))
    ):
        return _render(
            request, "track_complaint.html", language, status=422, ok=False, token=tracking_token
        )
    ring = key_file_for(settings.resolved_key_file).ring()
    with db.write() as conn:
        ticket = queue_reads.get_by_tracking_token(conn, token=tracking_token[:64])
        case = store.case_by_token(conn, token=tracking_token[:64])
        unit_id = ticket["unit_id"] if ticket else case["unit_id"] if case else None
        if unit_id is None:
            return _render(
                request,
                "track_complaint.html",
                language,
                status=404,
                ok=False,
                token=tracking_token,
            )
        recent = complaint_store.web_complaints_since(
            conn,
            ticket_id=ticket["id"] if ticket else None,
            case_id=case["id"] if case else None,
            since=utcnow() - timedelta(days=1),
        )
        if recent >= complaint_store.MAX_WEB_PER_DAY:
            return _render(
                request,
                "track_complaint.html",
                language,
                status=429,
                ok=False,
                token=tracking_token,
            )
        try:
            complaint_store.file_complaint(
                conn,
                ctx=store.Context(ring=ring, base_url=settings.public_base_url, now=utcnow()),
                unit_id=unit_id,
                category="info",
                channel="web",
                text=text,
                role="public",
                user_id=None,
                about_ticket_id=ticket["id"] if ticket else None,
                about_case_id=case["id"] if case else None,
                anonymous=email is None,
                contact=store.Contact(email=email),
                language=language,
            )
        except LoketError:
            return _render(
                request,
                "track_complaint.html",
                language,
                status=422,
                ok=False,
                token=tracking_token,
            )
    worker = getattr(request.app.state, "mail_worker", None)
    if worker is not None:
        worker.wake()
    return _render(
        request, "track_complaint.html", language, status=201, ok=True, token=tracking_token
    )
