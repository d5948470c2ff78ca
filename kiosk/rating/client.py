"""The rating terminal's one client: the two rating endpoints, on the kiosk's HTTP client.

Reuses :class:`kiosk.client.KioskClient` (bounded timeouts, device token,
typed :class:`~kiosk.client.ApiResult`, never logs bodies). Calls block; the
app runs them on the worker thread.
"""

from __future__ import annotations

from typing import Any

from kiosk.client import ApiResult, KioskClient


class RatingClient(KioskClient):
    def target(self, *, token: str | None = None, number: str | None = None) -> ApiResult:
        if token:
            return self.request("GET", "/ratings/target", token=token)
        return self.request("GET", "/ratings/target", number=number)

    def rate(self, payload: dict[str, Any]) -> ApiResult:
        body = {k: v for k, v in payload.items() if k != "client_request_id"}
        return self.request("POST", "/ratings", body)
