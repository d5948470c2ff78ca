"""The case part of the public tracking page ``/t/<token>``.

:func:`public_case_view` is all a visitor sees of a request or complaint: the
kind, step names with their dates, the current step, the due date and the
office's name and contact. Never personal data, staff notes, step fields or
the request form's content.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from server.domain.clock import local_day
from server.i18n import t
from server.store import cases as store
from server.store import units
from server.store.common import as_aware, utcnow


def public_case_view(conn: Connection, *, token: str, lang: str) -> dict[str, Any] | None:
    """What a visitor may see of the case behind a tracking token; None if there is none."""
    case = store.case_by_token(conn, token=token[:64])
    if case is None:
        return None
    unit = units.get_unit(conn, unit_id=case["unit_id"])
    zone = unit["timezone"]
    steps = [
        {
            "label": t(f"cases.step_{s['step']}", lang),
            "date": local_day(as_aware(s["at"]) or utcnow(), zone).isoformat(),
            "system": s["system"],
        }
        for s in store.steps_of(conn, case_id=case["id"])
    ]
    return {
        "kind": t(f"cases.kind_{case['kind']}", lang),
        "status": case["status"],
        "current": t(f"cases.step_{case['current_step']}", lang),
        "due_date": case["due_date"].isoformat() if case["due_date"] else None,
        "steps": steps,
        "office": {
            "name": unit["name"],
            "address": unit["address"],
            "phone": unit["phone"],
            "email": unit["email"],
        },
    }
