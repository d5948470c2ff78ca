"""Cases and complaints in the period report, opened and closed through the cases store.

By hand (November 2026 has no public holiday, so 5 working days after Monday 2
November is Monday 9 November): C1 complaint "info" opened Mon 2 Nov, closed Thu 5
Nov → on time; C2 complaint "info" opened 2 Nov, closed Fri 20 Nov → late; C3
complaint "dispute" opened Tue 10 Nov, still open; C4 service follow-up opened Tue 3
Nov (due Tue 10 Nov), closed Wed 4 Nov → on time; C5 complaint "info" opened 28
October and closed 3 November (counts as closed in November, on time).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

from server.config import Settings
from server.db.database import Database
from server.privacy.keys import key_file_for
from server.store import cases as case_store
from server.store import complaints
from tests.reports.conftest import login
from tests.reports.month import SUPERVISOR_PASSWORD, local

STEPS = {
    "complaint_info": [
        ("responded", {"response": "Sudah dijawab."}),
        ("resolved", {"resolution": "Data dikirim."}),
        ("closed", {}),
    ],
    "service": [("closed", {})],
}


def _ctx(settings: Settings, at: datetime) -> case_store.Context:
    ring = key_file_for(settings.resolved_key_file).ring()
    return case_store.Context(ring=ring, base_url="http://loket.test", now=at)


def _close(
    db: Database, settings: Settings, unit_id: int, case_id: int, kind: str, at: datetime
) -> None:
    with db.write() as conn:
        for step, values in STEPS[kind]:
            case_store.take_step(
                conn,
                ctx=_ctx(settings, at),
                unit_id=unit_id,
                case_id=case_id,
                step=step,
                role="staff",
                user_id=None,
                values=values,
                at=at,
            )


def _complaint(db: Database, settings: Settings, unit_id: int, category: str, at: datetime) -> int:
    with db.write() as conn:
        _, case_id = complaints.file_complaint(
            conn,
            ctx=_ctx(settings, at),
            unit_id=unit_id,
            category=category,
            channel="desk",
            text="Keluhan uji.",
            role="staff",
            user_id=None,
            anonymous=True,
        )
    return case_id


def seed_cases(db: Database, settings: Settings, unit_id: int) -> dict[str, Any]:
    c1 = _complaint(db, settings, unit_id, "info", local(11, 2, 9))
    _close(db, settings, unit_id, c1, "complaint_info", local(11, 5, 14))
    c2 = _complaint(db, settings, unit_id, "info", local(11, 2, 10))
    _close(db, settings, unit_id, c2, "complaint_info", local(11, 20, 14))
    _complaint(db, settings, unit_id, "dispute", local(11, 10, 9))
    with db.write() as conn:
        c4 = case_store.open_case(
            conn,
            ctx=_ctx(settings, local(11, 3, 9)),
            unit_id=unit_id,
            kind_code="service",
            role="staff",
            user_id=None,
            at=local(11, 3, 9),
        )
    _close(db, settings, unit_id, c4, "service", local(11, 4, 9))
    c5 = _complaint(db, settings, unit_id, "info", local(10, 28, 9))
    _close(db, settings, unit_id, c5, "complaint_info", local(11, 3, 9))
    with db.read() as conn:
        return {
            c: case_store.get_case(conn, unit_id=unit_id, case_id=c)["due_date"] for c in (c1, c4)
        }


def test_cases_and_complaints(
    client: TestClient, db: Database, settings: Settings, month: dict[str, Any]
) -> None:
    due = seed_cases(db, settings, month["unit_id"])
    assert [d.isoformat() for d in due.values()] == ["2026-11-09", "2026-11-10"]
    boss = login(client, "kepala", SUPERVISOR_PASSWORD)
    body = client.get(
        "/api/v1/reports/period",
        headers=boss,
        params={"period": "month", "date": "2026-11-15", "lang": "en"},
    ).json()
    tables = {t["id"]: t for t in body["tables"]}
    assert [c["label"] for c in tables["complaints"]["columns"]] == [
        "Category",
        "Opened",
        "Closed",
        "Closed on time",
        "Closed late",
        "On time (%)",
    ]
    complaints_rows = {r[0]: r[1:] for r in tables["complaints"]["rows"]}
    assert complaints_rows == {
        "Complaint: dispute without a field check": [1, 0, 0, 0, None],
        "Complaint: information request": [2, 3, 2, 1, 66.7],
    }
    assert tables["cases"]["rows"] == [["Service follow-up", 1, 1, 1, 0, 100.0]]
    october = client.get(
        "/api/v1/reports/period",
        headers=boss,
        params={"period": "month", "date": "2026-10-15", "lang": "en"},
    ).json()
    oct_tables = {t["id"]: t for t in october["tables"]}
    assert oct_tables["complaints"]["rows"] == [
        ["Complaint: information request", 1, 0, 0, 0, None]
    ]
