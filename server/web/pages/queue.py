"""Routes of the web pages: ``/console``, ``/board``, ``/static`` and the voice WAV.

The pages are shells rendered from Jinja templates with their text from the
``web`` catalog; the JavaScript modules under ``static/js`` then talk to the
JSON API. Pages need no sign-in to load (the console shows its own sign-in
form; the board reads its device token from the address), so no personal data
is ever rendered into them server-side.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from server.api.deps import BoardOrStaff, DbDep, SettingsDep, StaffUser
from server.api.schemas import NoShowOut
from server.api.views import tracking_view
from server.config import Settings
from server.domain.clock import local_day
from server.errors import InvalidInput
from server.i18n import LANGUAGES, catalog, normalise_language, t
from server.store import queue_reads, units
from server.voice.phrases import PhraseError, call_phrase
from server.voice.synth import Synthesizer
from server.web.pages.case_tracking import public_case_view

if TYPE_CHECKING:
    from fastapi.templating import Jinja2Templates

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = WEB_DIR / "static"
LANG_COOKIE = "loket_lang"
LANGUAGE_LABELS = {"id": "Bahasa Indonesia", "en": "English"}

# Pages load only their own scripts, styles and media; the board's token is in
# its address, so never send it on as a Referer.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "media-src 'self' blob: data:; connect-src 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'self'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


class RevalidatedStaticFiles(StaticFiles):
    """Static files that browsers re-check on each load (a cheap 304 when unchanged).

    JS modules import each other by plain relative URLs, without the ``?v=``
    fingerprint, so a board left running for weeks must not keep an old copy.
    """

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


router = APIRouter(include_in_schema=False)
router.mount("/static", RevalidatedStaticFiles(directory=STATIC_DIR), name="static")


def _static_version() -> str:
    """A short fingerprint of the static files, appended to their URLs as ``?v=``."""
    newest = max((p.stat().st_mtime_ns for p in STATIC_DIR.rglob("*") if p.is_file()), default=0)
    return format(newest % 0xFFFFFFFF, "x")


_VERSION = _static_version()


def static_url(path: str) -> str:
    return f"/static/{path}?v={_VERSION}"


@cache
def templates() -> Jinja2Templates:
    """The pages' Jinja environment, built on the first page request."""
    # imported here: the JSON API (kiosks, boards' data, health checks) never needs
    # Jinja2, so a server start does not pay for it
    from fastapi.templating import Jinja2Templates

    environment = Jinja2Templates(directory=WEB_DIR / "templates")
    environment.env.globals.update(t=t, static=static_url)
    return environment


def _language(request: Request, lang: str | None) -> str:
    chosen = lang or request.cookies.get(LANG_COOKIE)
    return normalise_language(chosen)


def _i18n_json(lang: str) -> str:
    """The page catalog as JSON that is safe inside a ``<script>`` element."""
    text = json.dumps({"lang": lang, "messages": catalog("web", lang)}, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _page(request: Request, name: str, lang: str, **context: Any) -> HTMLResponse:
    response = templates().TemplateResponse(
        request,
        name,
        {
            "lang": lang,
            "languages": [(code, LANGUAGE_LABELS[code]) for code in LANGUAGES],
            "i18n_json": _i18n_json(lang),
            **context,
        },
    )
    response.headers.update(SECURITY_HEADERS)
    return response


@router.get("/console", response_class=HTMLResponse)
def console_page(request: Request, lang: str | None = None) -> HTMLResponse:
    """The staff console (sign-in, queue, desk registration, device health)."""
    language = _language(request, lang)
    response = _page(request, "console.html", language)
    if lang:
        response.set_cookie(
            LANG_COOKIE, language, max_age=365 * 86400, samesite="strict", httponly=True
        )
    return response


@router.get("/board", response_class=HTMLResponse)
def board_page(
    request: Request, settings: SettingsDep, lang: str | None = None, voice: str | None = None
) -> HTMLResponse:
    """The display board for a TV; authenticates with ``?token=<board device token>``."""
    language = normalise_language(lang)
    return _page(
        request,
        "board.html",
        language,
        voice_lang=normalise_language(voice or language),
        voice_available=synthesizer(settings).available,
    )


_synths: dict[Path, Synthesizer] = {}


def synthesizer(settings: Settings) -> Synthesizer:
    """The process's synthesiser for this data directory (created on first use)."""
    cache_dir = (settings.data_dir / "voice").resolve()
    synth = _synths.get(cache_dir)
    if synth is None:
        synth = _synths[cache_dir] = Synthesizer(cache_dir)
    return synth


@router.get("/api/v1/voice/call.wav", response_class=FileResponse)
def voice_call(
    principal: BoardOrStaff,
    settings: SettingsDep,
    number: Annotated[str, Query(max_length=12)],
    counter: Annotated[int, Query(ge=0, le=9999)],
    lang: Annotated[str, Query(max_length=5)] = "id",
) -> FileResponse:
    """Chime + spoken call ("Nomor antrean R nol nol tujuh, silakan menuju loket dua")."""
    try:
        phrase = call_phrase(number, counter, lang)
    except PhraseError as exc:
        raise InvalidInput(str(exc), code="invalid_phrase") from exc
    path = synthesizer(settings).call_wav(phrase)  # raises VoiceUnavailable (503)
    return FileResponse(
        path,
        media_type="audio/wav",
        headers={"Cache-Control": "private, max-age=86400", "X-Loket-Phrase": phrase.lang},
    )


@router.get("/console/no-shows.json", response_model=list[NoShowOut])
def console_no_shows(principal: StaffUser, db: DbDep) -> JSONResponse:
    """Today's no-show tickets of the caller's unit, for the requeue list.

    The rows are checked against :class:`NoShowOut` (the body stays as it was:
    ``called_at`` in ``isoformat``), and sent with ``Cache-Control: no-store``."""
    with db.read() as conn:
        unit = units.get_unit(conn, unit_id=principal.unit_id)
        day = local_day(datetime.now().astimezone(), unit["timezone"])
        rows = queue_reads.no_shows_for_day(conn, unit_id=principal.unit_id, day=day)
    body = [
        {
            **NoShowOut.model_validate(r).model_dump(),
            "called_at": r["called_at"].isoformat() if r["called_at"] else None,
        }
        for r in rows
    ]
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@router.get("/t/{tracking_token}", response_class=HTMLResponse)
def tracking_page(
    request: Request, tracking_token: str, db: DbDep, settings: SettingsDep, lang: str | None = None
) -> HTMLResponse:
    """Public page behind the ticket's QR code: the ticket's state, refreshed every 30 s."""
    language = _language(request, lang)
    with db.read() as conn:
        view = tracking_view(conn, token=tracking_token, settings=settings, lang=language)
        case = public_case_view(conn, token=tracking_token, lang=language)
    response = _page(request, "track.html", language, ticket=view, case=case, token=tracking_token)
    if view is None and case is None:
        response.status_code = 404
    return response
