"""A keep-alive HTTP/1.1 client on ``http.client`` for load generation.

The benchmark's clients share the server's two cores. ``requests`` spends about
0.9 ms of CPU per request here (measured on the bench machine), which at
hundreds of requests per second takes most of the core the server would use;
``http.client`` on one persistent connection spends about 0.2 ms. The
interface is the small part of ``requests.Session`` the benchmarks use.
"""

from __future__ import annotations

import http.client
import json as jsonlib
from typing import Any
from urllib.parse import urlsplit


class LeanResponse:
    def __init__(self, status: int, body: bytes) -> None:
        self.status_code = status
        self.content = body

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return jsonlib.loads(self.content)


class LeanSession:
    """One persistent connection per host, reopened when the server closes it."""

    def __init__(self) -> None:
        self._conns: dict[str, http.client.HTTPConnection] = {}

    def _conn(self, netloc: str) -> http.client.HTTPConnection:
        conn = self._conns.get(netloc)
        if conn is None:
            host, _, port = netloc.partition(":")
            conn = self._conns[netloc] = http.client.HTTPConnection(host, int(port or 80))
        return conn

    def request(
        self, method: str, url: str, *, headers: dict[str, str] | None = None, json: Any = None
    ) -> LeanResponse:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        body = None if json is None else jsonlib.dumps(json).encode()
        sent = dict(headers or {})
        if body is not None:
            sent["Content-Type"] = "application/json"
        for attempt in (1, 2):
            conn = self._conn(parts.netloc)
            try:
                conn.request(method, path, body=body, headers=sent)
                response = conn.getresponse()
                return LeanResponse(response.status, response.read())
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                conn.close()
                self._conns.pop(parts.netloc, None)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def post(self, url: str, **kwargs: Any) -> LeanResponse:
        return self.request("POST", url, **kwargs)

    def get(self, url: str, **kwargs: Any) -> LeanResponse:
        return self.request("GET", url, **kwargs)
