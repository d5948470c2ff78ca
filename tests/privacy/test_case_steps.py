"""Case step notes and free-text step fields follow the privacy rules.

On SQLite and PostgreSQL: retention (the case's period after closing) and a
visitor's erasure remove every step's note and free-text fields (what is
missing, the examiner, references, a complaint's answer) and keep the step
codes, order, dates, due dates and the choices and dates in the step data; the
typed text is then gone from the database files (SQLite file and WAL; every
PostgreSQL file of the test schema); the breach report counts the steps still
holding text; the case report counts the cases as before.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from server.config import Settings
from server.db.cases_schema import case_steps, cases
from server.db.database import Database
from server.db.privacy_schema import audit_log
from server.privacy.report import personal_data_report
from server.privacy.retention import expired_counts, purge
from server.store import reports
from server.store.common import utcnow
from tests.privacy.test_case_data import _registered_and_served, _row, _rules
from tests.privacy.test_erasure_final import _assert_absent, _pg_files, _sqlite_file
from tests.server.conftest import Unit, login
from tests.server.test_cases_api import API, step

FREE_TEXT = {"missing", "examiner", "letter_number", "romantik_ref"}


def typed(tag: str) -> dict[str, str]:
    """What staff type on one case: a note and free-text fields naming the visitor or staff."""
    return {
        "note": f"Pak Budi Santoso menelepon 0812-7777-1234 {tag}",
        "missing": f"Fotokopi KTP Budi Santoso belum ada {tag}",
        "examiner": f"Dr. Wulan Pemeriksa Rahasia {tag}",
        "letter_number": f"B-4411/BPS-RAHASIA/{tag}",
        "romantik_ref": f"RMT-RAHASIA-{tag}",
    }


def _walk(
    client: TestClient, admin: dict[str, str], cid: int, tag: str, *, close: bool = True
) -> None:
    """A recommendation through the verification loop, each step with a note."""
    text = typed(tag)
    walk: list[tuple[str, dict[str, str]]] = [
        ("revision_needed", {"missing": text["missing"]}),
        ("revision_received", {}),
        ("form_complete", {}),
        ("examiner_assigned", {"examiner": text["examiner"]}),
        (
            "letter_drafted",
            {
                "letter_number": text["letter_number"],
                "letter_date": "2026-04-01",
                "outcome": "layak",
            },
        ),
        ("sent_romantik", {"romantik_ref": text["romantik_ref"]}),
        ("visitor_contacted", {"channel": "phone"}),
    ]
    if close:
        walk.append(("closed", {}))
    for name, values in walk:
        r = step(client, admin, cid, name, values=values, note=text["note"])
        assert r.status_code == 200, r.text


def _needles(tag: str) -> list[bytes]:
    return [v.encode() for v in typed(tag).values()]


def _steps(db: Database, cid: int) -> list[dict[str, Any]]:
    with db.read() as conn:
        query = sa.select(case_steps).where(case_steps.c.case_id == cid).order_by(case_steps.c.seq)
        return [dict(r) for r in conn.execute(query).mappings()]


def _figures(db: Database, unit_id: int) -> list[dict[str, Any]]:
    today = utcnow().date()
    with db.read() as conn:
        return reports.case_figures(
            conn,
            unit_id=unit_id,
            start=today - timedelta(days=2),
            end=today + timedelta(days=2),
            timezone="Asia/Jakarta",
        )


def _on_disk(db: Database) -> bytes:
    """The SQLite file and its WAL (PostgreSQL: every file of the test schema)."""
    if db.is_sqlite:
        path = _sqlite_file(db)
        wal = Path(str(path) + "-wal")
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    return b"".join(f.read_bytes() for f in _pg_files(db))


def _assert_cleared(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> None:
    assert [s["step"] for s in after] == [s["step"] for s in before]
    for old, new in zip(before, after, strict=True):
        assert new["note"] is None
        assert not FREE_TEXT & set(new["data"])
        for kept in ("seq", "at", "recorded_at", "user_id", "system"):
            assert new[kept] == old[kept]
        # dates and choices stay (the outcome, the letter's date, the channel)
        assert new["data"] == {k: v for k, v in old["data"].items() if k not in FREE_TEXT}


def test_retention_clears_step_notes_of_expired_cases(
    client: TestClient, unit: Unit, db: Database, settings: Settings
) -> None:
    admin = login(client)
    opened = [
        client.post(
            f"{API}/cases",
            json={"kind": "recommendation", "organiser_type": "government", "title": "Survei"},
            headers=admin,
        ).json()["id"]
        for _ in range(2)
    ]
    closed, still_open = opened
    _walk(client, admin, closed, "tutup-7301")
    _walk(client, admin, still_open, "buka-7302", close=False)
    before = _steps(db, closed)
    open_before = _steps(db, still_open)
    assert all(s["note"] for s in before[1:])
    assert before[1]["data"]["missing"] == typed("tutup-7301")["missing"]
    case_before = _row(db, cases, closed)
    figures = _figures(db, unit.id)
    assert figures == [
        {"kind": "recommendation", "opened": 2, "closed": 1, "on_time": 1, "late": 0}
    ]
    # the first steps have no note; every later step has one (8 + 7)
    assert personal_data_report(db)["units"][0]["counts"]["case_steps_with_notes"] == 15
    if db.is_sqlite:  # the typed text really is in the files before
        disk = _on_disk(db)
        assert all(n in disk for n in _needles("tutup-7301"))

    rules = _rules(settings)
    at = utcnow() + timedelta(days=731)
    assert expired_counts(db, settings=rules, now=at - timedelta(days=2)).step_notes_cleared == 0
    dry = expired_counts(db, settings=rules, now=at)
    assert (dry.cases_cleared, dry.step_notes_cleared) == (1, len(before) - 1)
    assert _steps(db, closed) == before  # a dry run changes nothing
    result = purge(db, settings=rules, now=at)
    assert (result.cases_cleared, result.step_notes_cleared) == (1, len(before) - 1)

    _assert_cleared(before, _steps(db, closed))
    assert _steps(db, closed)[5]["data"] == {"letter_date": "2026-04-01", "outcome": "layak"}
    assert _steps(db, still_open) == open_before  # an open case keeps its notes
    row = _row(db, cases, closed)
    for kept in ("kind", "status", "current_step", "opened_at", "closed_at", "due_date", "outcome"):
        assert row[kept] == case_before[kept]
    assert _figures(db, unit.id) == figures  # the case report counts it as before
    assert personal_data_report(db)["units"][0]["counts"]["case_steps_with_notes"] == 7
    again = purge(db, settings=rules, now=at)
    assert (again.cases_cleared, again.step_notes_cleared) == (0, 0)  # idempotent
    disk = _on_disk(db)
    _assert_absent(disk, _needles("tutup-7301"), "the database files")
    assert all(n in disk for n in _needles("buka-7302"))  # the search does find text
    shown = client.get(f"{API}/cases/{closed}", headers=admin).json()
    assert [s["note"] for s in shown["steps"]] == [None] * len(before)


def test_erasure_clears_step_notes_of_the_visitors_cases(
    client: TestClient, kiosk: dict[str, str], unit: Unit, db: Database, settings: Settings
) -> None:
    admin = login(client)
    visitor_id, ticket_id = _registered_and_served(client, unit, kiosk, admin)
    tag = "hapus-7303"
    opened = client.post(
        f"{API}/cases",
        json={"kind": "recommendation", "ticket_id": ticket_id, "note": typed(tag)["note"]},
        headers=admin,
    )
    assert opened.status_code == 201, opened.text
    cid = opened.json()["id"]
    _walk(client, admin, cid, tag, close=False)  # erasure does not wait for the case to close
    other = client.post(
        f"{API}/cases", json={"kind": "service", "note": "Catatan kasus lain"}, headers=admin
    ).json()["id"]
    before = _steps(db, cid)
    due = _row(db, cases, cid)["due_date"]
    assert len(before) == 8 and all(s["note"] for s in before) and due is not None
    figures = _figures(db, unit.id)
    assert personal_data_report(db)["units"][0]["counts"]["case_steps_with_notes"] == 9
    if db.is_sqlite:
        disk = _on_disk(db)
        assert all(n in disk for n in _needles(tag))

    erase = f"/api/v1/visitors/{visitor_id}?reason=permintaan+penghapusan"
    assert client.delete(erase, headers=admin).status_code == 204

    _assert_cleared(before, _steps(db, cid))
    assert _steps(db, other)[0]["note"] == "Catatan kasus lain"  # someone else's case
    assert personal_data_report(db)["units"][0]["counts"]["case_steps_with_notes"] == 1
    assert _figures(db, unit.id) == figures
    assert _row(db, cases, cid)["due_date"] == due
    with db.read() as conn:
        detail = conn.execute(
            sa.select(audit_log.c.detail).where(audit_log.c.action == "delete")
        ).scalar_one()
    assert detail["step_notes"] == 8
    _assert_absent(_on_disk(db), _needles(tag), "the database files")
