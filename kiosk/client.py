"""The one module that talks to the Loket server.

:class:`KioskClient` wraps the few endpoints the kiosk uses (docs/api.md) with
bounded timeouts and the device token header, and turns every answer or
network failure into a small typed :class:`ApiResult` — callers never see a
``requests`` exception. Calls are blocking; the app runs them on a worker
thread through :class:`kiosk.worker.Worker`, which hands the result back on the
Kivy thread. Request and response bodies are never logged (personal data).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import requests

log = logging.getLogger(__name__)

API = "/api/v1"


class Outcome(StrEnum):
    OK = "ok"
    NOT_FOUND = "not_found"
    REJECTED = "rejected"  # 4xx: the request itself is wrong
    UNAUTHORIZED = "unauthorized"  # 401/403: device token missing or revoked
    SERVER_ERROR = "server_error"  # 5xx
    TIMEOUT = "timeout"
    OFFLINE = "offline"  # connection refused, DNS, network down


@dataclass(frozen=True)
class ApiResult:
    """What came back: the JSON body on success, or what went wrong."""

    outcome: Outcome
    status: int = 0
    data: Any = None
    error_code: str = ""
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK

    @property
    def transient(self) -> bool:
        """Worth retrying later (the outbox keeps the request)."""
        return self.outcome in (Outcome.OFFLINE, Outcome.TIMEOUT, Outcome.SERVER_ERROR)


class KioskClient:
    """Blocking, thread-safe client for the kiosk's endpoints."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {self.token}"
            session.headers["User-Agent"] = "loket-kiosk"
            self._local.session = session
        return session

    def request(self, method: str, path: str, body: Any = None, **params: Any) -> ApiResult:
        url = f"{self.base_url}{API}{path}"
        try:
            response = self._session().request(
                method,
                url,
                json=body,
                params=params or None,
                timeout=(min(self.timeout, 3.0), self.timeout),
            )
        except requests.Timeout:
            log.warning("%s %s timed out", method, path)
            return ApiResult(Outcome.TIMEOUT)
        except requests.RequestException as error:
            log.warning("%s %s failed: %s", method, path, type(error).__name__)
            return ApiResult(Outcome.OFFLINE)
        return _result(response)

    # --- endpoints -------------------------------------------------------------------

    def health(self) -> ApiResult:
        return self.request("GET", "/health")

    def unit(self) -> ApiResult:
        return self.request("GET", "/unit")

    def services(self) -> ApiResult:
        return self.request("GET", "/services")

    def guestbook_form(self, language: str) -> ApiResult:
        return self.request("GET", "/guestbook/form", lang=language)

    def lookup(self, body: dict[str, str]) -> ApiResult:
        return self.request("POST", "/visitors/lookup", body)

    def register(self, payload: dict[str, Any]) -> ApiResult:
        return self.request("POST", "/registrations", payload)

    def heartbeat(self, printer: dict[str, Any] | None) -> ApiResult:
        return self.request("POST", "/devices/heartbeat", {"printer": printer})


def _result(response: requests.Response) -> ApiResult:
    status = response.status_code
    try:
        data = response.json() if response.content else None
    except ValueError:
        data = None
    if status < 300:
        return ApiResult(Outcome.OK, status, data)
    error = (data or {}).get("error", {}) if isinstance(data, dict) else {}
    code = str(error.get("code", "")) if isinstance(error, dict) else ""
    fields = error.get("fields") if isinstance(error, dict) else None
    fields = {str(k): str(v) for k, v in fields.items()} if isinstance(fields, dict) else {}
    log.warning("server answered %s (%s)", status, code or "no code")
    if status == 404:
        outcome = Outcome.NOT_FOUND
    elif status in (401, 403):
        outcome = Outcome.UNAUTHORIZED
    elif status >= 500 or status in (408, 429):
        outcome = Outcome.SERVER_ERROR
    else:
        outcome = Outcome.REJECTED
    return ApiResult(outcome, status, data, code, fields)
