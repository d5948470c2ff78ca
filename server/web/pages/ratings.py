"""Rating pages: the visitor's web form behind the tracking link, and the staff IKM page.

``/t/<token>/rate`` renders the unit's questionnaire (SKM-9, plus IPAK/SKD-16
when the unit turned them on) from the same data the terminal uses; a small
script (``static/js/rating_form.js``) posts the answers to
``POST /api/v1/ratings`` with the tracking token — no sign-in, one rating per
ticket, mobile-first. ``/ikm`` is a shell for supervisors and admins signed in
on the console; ``static/js/ikm.js`` reads ``GET /api/v1/reports/ikm`` and the
follow-up plan API. No personal data is rendered into either page.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from server.api.deps import DbDep
from server.api.rating_views import target_out
from server.errors import NotFound
from server.i18n import LANGUAGES, catalog
from server.store import ratings
from server.web.pages.queue import LANGUAGE_LABELS, SECURITY_HEADERS, _language, templates

router = APIRouter(include_in_schema=False)
NAMESPACE = "rating"


def _i18n_json(lang: str) -> str:
    text = json.dumps({"lang": lang, "messages": catalog(NAMESPACE, lang)}, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _page(
    request: Request, name: str, lang: str, status: int = 200, **context: Any
) -> HTMLResponse:
    response = templates().TemplateResponse(
        request,
        name,
        {
            "lang": lang,
            "languages": [(code, LANGUAGE_LABELS[code]) for code in LANGUAGES],
            "i18n_json": _i18n_json(lang),
            **context,
        },
        status_code=status,
    )
    response.headers.update(SECURITY_HEADERS)
    return response


@router.get("/t/{tracking_token}/rate", response_class=HTMLResponse)
def rating_form(
    request: Request, tracking_token: str, db: DbDep, lang: str | None = None
) -> HTMLResponse:
    """The questionnaire for a visitor who rates later, from the ticket's tracking link."""
    language = _language(request, lang)
    try:
        with db.read() as conn:
            target = target_out(ratings.target_by_token(conn, token=tracking_token[:64]))
    except NotFound:
        return _page(request, "rating_form.html", language, status=404, target=None, token="")
    return _page(request, "rating_form.html", language, target=target, token=tracking_token[:64])


@router.get("/ikm", response_class=HTMLResponse)
def ikm_page(request: Request, lang: str | None = None) -> HTMLResponse:
    """The satisfaction index for supervisors and admins (data comes from the API)."""
    return _page(request, "rating_ikm.html", _language(request, lang))
