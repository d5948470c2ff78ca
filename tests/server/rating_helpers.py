"""Helpers for rating tests: a rating terminal token and a ticket served end to end."""

from __future__ import annotations

from typing import Any, Protocol

from server.db.database import Database
from server.domain import skm
from server.store import accounts


class Poster(Protocol):
    def post(self, url: str, *, json: Any = ..., headers: Any = ...) -> Any: ...


def add_rating_device(db: Database, unit_id: int, name: str = "Tablet keluar") -> str:
    with db.write() as conn:
        return accounts.add_device(conn, unit_id=unit_id, kind="rating", name=name)[1]


def served_ticket(
    http: Any, kiosk: dict[str, str], staff: dict[str, str], service_id: int, counter_id: int
) -> dict[str, Any]:
    """Issue a ticket, call it at ``counter_id``, start and finish it; returns the issued JSON."""
    ticket = http.post("/api/v1/tickets", json={"service_id": service_id}, headers=kiosk).json()
    for step in ("call-next",):
        r = http.post(f"/api/v1/counters/{counter_id}/{step}", headers=staff)
        assert r.status_code == 200, r.text
        assert r.json()["id"] == ticket["id"]
    for step in ("start", "finish"):
        r = http.post(f"/api/v1/tickets/{ticket['id']}/{step}", headers=staff)
        assert r.status_code == 200, r.text
    return dict(ticket)


def skm_block(scores: dict[str, int] | None = None) -> dict[str, Any]:
    answers = scores if scores is not None else {c: 4 for c in skm.SKM_CODES}
    return {"questionnaire": "skm9", "version": 1, "answers": answers}
