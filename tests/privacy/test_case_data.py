"""Personal data on cases, complaints, mails and attachments follows the privacy rules.

On SQLite and PostgreSQL: retention at an explicit ``now`` clears exactly the
expired contact, form, complaint text, mail recipient/bodies and attachment
files and keeps kind, steps, dates and outcome; erasing a visitor clears the
cases opened from their tickets, those mails and attachments (searched for in
the SQLite file and WAL); the breach report and ``loket purge --dry-run`` count them.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from server.bootstrap import init_unit
from server.cli.common import open_database
from server.config import Settings
from server.db.cases_schema import attachments, case_steps, cases, complaints, mail_outbox
from server.db.database import Database
from server.privacy.keys import KeyFile
from server.privacy.report import personal_data_report
from server.privacy.retention import expired_counts, purge
from server.store import cases as case_store
from server.store import mail_outbox as outbox
from server.store.common import utcnow
from tests.privacy.conftest import EMAIL, KNOWN_VALUES, registration_body, subprocess_env
from tests.privacy.test_cli import _loket
from tests.privacy.test_erasure_final import _assert_absent, _pg_files, _sqlite_file
from tests.server.conftest import Unit, login
from tests.server.test_cases_api import API, step

PDF = b"%PDF-1.4\n% unique-attachment-body-7731\n" + b"q" * 600
FORM = {"title": "Survei Pasar Retensi", "year": 2026, "method": "survey", "organiser_agency": "X"}


def _rules(settings: Settings) -> Settings:
    return settings.model_copy(update={"retention_case_days": 730, "retention_mail_days": 90})


def _attach(client: TestClient, staff: dict[str, str], case_id: int) -> int:
    r = client.post(
        f"{API}/cases/{case_id}/attachments",
        content=PDF,
        headers={**staff, "Content-Type": "application/pdf", "X-Filename": "fs3.pdf"},
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _row(db: Database, table: sa.Table, row_id: int) -> dict[str, Any]:
    with db.read() as conn:
        return dict(conn.execute(sa.select(table).where(table.c.id == row_id)).mappings().one())


def _mails(db: Database, case_id: int) -> list[dict[str, Any]]:
    with db.read() as conn:
        query = sa.select(mail_outbox).where(mail_outbox.c.case_id == case_id)
        return [dict(r) for r in conn.execute(query.order_by(mail_outbox.c.id)).mappings()]


def _files(settings: Settings) -> set[str]:
    return {p.name for p in (settings.data_dir / "attachments").rglob("*.bin")}


def _closed_recommendation(client: TestClient, staff: dict[str, str]) -> int:
    r = client.post(
        f"{API}/cases",
        json={
            "kind": "recommendation",
            "organiser_type": "private",
            "title": "Survei pasar",
            "form": FORM,
            "contact": {"name": "Ani Retensi", "email": "ani.retensi@example.com"},
        },
        headers=staff,
    )
    assert r.status_code == 201, r.text
    cid = int(r.json()["id"])
    _attach(client, staff, cid)
    r = step(client, staff, cid, "statistik_khusus", values={"synopsis_due": "2026-12-31"})
    assert r.status_code == 200, r.text
    assert step(client, staff, cid, "closed").status_code == 200
    return cid


def _closed_complaint(client: TestClient, staff: dict[str, str]) -> int:
    r = client.post(
        f"{API}/complaints",
        json={
            "category": "info",
            "channel": "desk",
            "text": "Antrean terlalu lama retensi.",
            "contact": {"email": "warga.retensi@example.com", "phone": "081234500011"},
        },
        headers=staff,
    )
    assert r.status_code == 201, r.text
    cid = int(r.json()["case_id"])
    for name, values in (
        ("responded", {"response": "Kami periksa"}),
        ("resolved", {"resolution": "Loket ditambah"}),
        ("closed", {}),
    ):
        assert step(client, staff, cid, name, values=values).status_code == 200
    return cid


def test_retention_clears_expired_case_mail_and_attachment_data(
    client: TestClient, staff: dict[str, str], db: Database, settings: Settings
) -> None:
    rules = _rules(settings)
    closed = _closed_recommendation(client, staff)
    complaint_case = _closed_complaint(client, staff)
    still_open = client.post(
        f"{API}/cases",
        json={"kind": "recommendation", "contact": {"email": "buka@example.com"}, "form": FORM},
        headers=staff,
    ).json()["id"]
    _attach(client, staff, still_open)
    assert len(_files(settings)) == 2
    t0 = utcnow()
    with db.write() as conn:  # the worker sent the closed cases' mails at t0
        for m in _mails(db, closed) + _mails(db, complaint_case):
            outbox.mark_sent(conn, mail_id=m["id"], now=t0)
    queued = _mails(db, still_open)
    assert queued and queued[0]["status"] == "queued"
    before = {cid: _row(db, cases, cid) for cid in (closed, complaint_case, still_open)}
    steps_before = _count(db, case_steps)

    # day 89: nothing has expired
    nothing = expired_counts(db, settings=rules, now=t0 + timedelta(days=89))
    assert (nothing.cases_cleared, nothing.mails_cleared, nothing.attachments_deleted) == (0, 0, 0)
    assert purge(db, settings=rules, now=t0 + timedelta(days=89)).mails_cleared == 0

    # day 91: the sent mails' recipients and bodies go; the queued one stays
    sent = sum(len(_mails(db, c)) for c in (closed, complaint_case))
    assert expired_counts(db, settings=rules, now=t0 + timedelta(days=91)).mails_cleared == sent
    result = purge(db, settings=rules, now=t0 + timedelta(days=91))
    assert (result.mails_cleared, result.cases_cleared) == (sent, 0)
    for m in _mails(db, closed) + _mails(db, complaint_case):
        assert (m["to_ct"], m["body_text"], m["body_html"]) == (None, "", "")
        assert m["status"] == "sent" and m["template"] and m["subject"]
    left = _mails(db, still_open)[0]
    assert left["to_ct"] is not None and left["body_text"] != ""
    assert _row(db, cases, closed)["email_ct"] is not None

    # day 731 after closing: the closed cases' contact, form, text and files go
    at = t0 + timedelta(days=731)
    dry = expired_counts(db, settings=rules, now=at)
    assert (dry.cases_cleared, dry.complaint_texts_cleared, dry.attachments_deleted) == (2, 1, 1)
    result = purge(db, settings=rules, now=at)
    assert (result.cases_cleared, result.complaint_texts_cleared) == (2, 1)
    assert result.attachments_deleted == 1
    for cid in (closed, complaint_case):
        row = _row(db, cases, cid)
        assert all(row[c] is None for c in ("name_ct", "email_ct", "phone_ct", "form_ct"))
        for kept in ("kind", "status", "opened_at", "closed_at", "outcome", "due_date"):
            assert row[kept] == before[cid][kept]
    with db.read() as conn:
        text = conn.execute(
            sa.select(complaints.c.text_ct).where(complaints.c.case_id == complaint_case)
        ).scalar_one()
        kept_files = conn.execute(sa.select(attachments.c.case_id)).scalars().all()
    assert text is None
    assert kept_files == [still_open]
    assert len(_files(settings)) == 1  # the closed case's file is gone from disk
    assert _count(db, case_steps) == steps_before  # the history stays for reports
    assert _row(db, cases, still_open) == before[still_open]  # open: untouched
    again = purge(db, settings=rules, now=at)
    assert (again.cases_cleared, again.mails_cleared) == (0, 0)  # idempotent
    # the staff page still shows the closed case, with no contact left
    shown = client.get(f"{API}/cases/{closed}", headers=staff)
    assert shown.status_code == 200 and shown.json()["status"] == "closed"


def _count(db: Database, table: sa.Table) -> int:
    with db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


def _serve(client: TestClient, unit: Unit, staff: dict[str, str], service_id: int) -> None:
    counter = unit.counter_ids[0]
    client.put(
        f"{API}/counters/{counter}/services", json={"service_ids": [service_id]}, headers=staff
    )
    called = client.post(f"{API}/counters/{counter}/call-next", headers=staff)
    assert called.status_code == 200, called.text
    assert (
        client.post(f"{API}/tickets/{called.json()['id']}/start", headers=staff).status_code == 200
    )


def _registered_and_served(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> tuple[int, int]:
    """A kiosk registration whose ticket a counter calls and starts: (visitor, ticket)."""
    reg = client.post("/api/v1/registrations", json=registration_body(unit), headers=kiosk)
    assert reg.status_code in (200, 201), reg.text
    _serve(client, unit, staff, unit.service_ids[0])
    return int(reg.json()["visitor_id"]), int(reg.json()["ticket"]["id"])


def _needles(db: Database, case_id: int, mail_ids: list[int]) -> list[bytes]:
    row = _row(db, cases, case_id)
    blobs = [bytes(row[c]) for c in ("name_ct", "email_ct", "phone_ct", "form_ct")]
    bodies = []
    for mail_id in mail_ids:
        m = _row(db, mail_outbox, mail_id)
        blobs.append(bytes(m["to_ct"]))
        bodies.append(m["body_text"].encode())
    return [b[len(b) // 2 - 8 : len(b) // 2 + 8] for b in blobs] + bodies


def test_erasing_a_visitor_clears_their_cases_mails_and_attachments(
    client: TestClient,
    kiosk: dict[str, str],
    unit: Unit,
    staff: dict[str, str],
    db: Database,
    settings: Settings,
) -> None:
    visitor_id, ticket_id = _registered_and_served(client, unit, kiosk, staff)
    opened = client.post(
        f"{API}/cases",
        json={"kind": "recommendation", "ticket_id": ticket_id, "form": FORM},
        headers=staff,
    )
    assert opened.status_code == 201, opened.text
    cid = opened.json()["id"]
    other = client.post(
        f"{API}/cases",
        json={"kind": "recommendation", "contact": {"email": "lain@example.com"}},
        headers=staff,
    ).json()["id"]
    _attach(client, staff, cid)
    _attach(client, staff, other)
    # the visitor also complains from their ticket's tracking page
    track = opened.json()["tracking_url"].replace("http://loket.test", "") + "/complaint"
    filed = client.post(
        track,
        content="text=Keluhan+rahasia+pengunjung&email=siti.keluhan%40example.com",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert filed.status_code == 201, filed.text
    with db.read() as conn:
        complaint = dict(conn.execute(sa.select(complaints)).mappings().one())
    assert complaint["channel"] == "web" and complaint["about_ticket_id"] == ticket_id
    mails = _mails(db, cid) + _mails(db, complaint["case_id"])
    assert mails and all(m["to_ct"] is not None for m in mails)
    needles = _needles(db, cid, [m["id"] for m in mails])
    text_ct = bytes(complaint["text_ct"])
    needles.append(text_ct[len(text_ct) // 2 - 8 : len(text_ct) // 2 + 8])
    report = personal_data_report(db)["units"][0]["counts"]
    assert (report["cases_with_contact"], report["attachments"]) == (3, 2)
    assert report["complaints_with_text"] == 1
    if db.is_sqlite:  # really in the files before the erasure
        path = _sqlite_file(db)
        wal = Path(str(path) + "-wal")
        data = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
        assert needles[1] in data

    erase = f"/api/v1/visitors/{visitor_id}?reason=permintaan+penghapusan"
    assert client.delete(erase, headers=login(client)).status_code == 204

    row = _row(db, cases, cid)
    assert all(row[c] is None for c in ("name_ct", "email_ct", "phone_ct", "form_ct"))
    assert row["kind"] == "recommendation" and row["ticket_id"] == ticket_id
    for m in _mails(db, cid) + _mails(db, complaint["case_id"]):
        assert (m["to_ct"], m["body_text"], m["body_html"]) == (None, "", "")
        assert m["status"] == "failed"  # an erased recipient is never written to
    refused = client.post(f"{API}/mail/{mails[0]['id']}/retry", headers=login(client))
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "mail_recipient_erased"
    assert _mails(db, cid)[0]["status"] == "failed"
    assert _row(db, complaints, complaint["id"])["text_ct"] is None
    assert _row(db, cases, complaint["case_id"])["email_ct"] is None
    with db.read() as conn:
        kept = conn.execute(sa.select(attachments.c.case_id)).scalars().all()
    assert kept == [other]
    assert len(_files(settings)) == 1
    assert _row(db, cases, other)["email_ct"] is not None  # someone else's case: untouched
    report = personal_data_report(db)["units"][0]["counts"]
    assert (report["cases_with_contact"], report["cases_with_form"]) == (1, 0)
    assert (report["attachments"], report["complaints_with_text"]) == (1, 0)
    if db.is_sqlite:
        path = _sqlite_file(db)
        _assert_absent(path.read_bytes(), needles, "the database file")
        wal = Path(str(path) + "-wal")
        _assert_absent(wal.read_bytes() if wal.exists() else b"", needles, "the WAL")
    else:  # VACUUM FULL rewrote the case tables: no dead tuple keeps the bytes
        files = _pg_files(db)
        assert len(files) > 10
        for file in files:
            _assert_absent(file.read_bytes(), needles, str(file))
    for value in KNOWN_VALUES:
        assert value.encode() not in b"".join(
            p.read_bytes() for p in (settings.data_dir / "attachments").rglob("*.bin")
        )
    assert EMAIL not in str(_mails(db, cid))


def test_cli_purge_dry_run_and_report_count_case_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = subprocess_env(data)
    _loket(env, "keys", "init")
    db = open_database(Settings(data_dir=data, database_url=""))
    unit_id = init_unit(db, admin_password="admin-password-123").unit_id
    ring = KeyFile(data / "keys.json", create=False).ring()
    closed_at = datetime.now(UTC) - timedelta(days=800)
    with db.write() as conn:
        ctx = case_store.Context(ring=ring, base_url="http://loket.test", now=closed_at)
        old = case_store.open_case(
            conn,
            ctx=ctx,
            unit_id=unit_id,
            kind_code="recommendation",
            role="staff",
            user_id=None,
            contact=case_store.Contact(name="Budi Lama", email="budi.lama@example.com"),
            organiser_type="private",
            at=closed_at,
        )
        for name, values in (("statistik_khusus", {"synopsis_due": "2025-01-31"}), ("closed", {})):
            case_store.take_step(
                conn,
                ctx=ctx,
                unit_id=unit_id,
                case_id=old,
                step=name,
                role="staff",
                user_id=None,
                values=values,
                at=closed_at,
            )
        for m in conn.execute(sa.select(mail_outbox.c.id)).scalars():
            outbox.mark_sent(conn, mail_id=m, now=closed_at)
        case_store.open_case(
            conn,
            ctx=replace(ctx, now=datetime.now(UTC)),
            unit_id=unit_id,
            kind_code="recommendation",
            role="staff",
            user_id=None,
            contact=case_store.Contact(phone="081234500033"),
        )
    mails = _count(db, mail_outbox)
    assert mails >= 1

    report = json.loads(_loket(env, "report", "personal-data", "--json").stdout)
    counts = report["units"][0]["counts"]
    assert (counts["cases_with_contact"], counts["mails_with_recipient"]) == (2, mails)
    assert "cases with contact: 2" in _loket(env, "report", "personal-data").stdout

    dry = _loket(env, "purge", "--dry-run").stdout
    assert "Would remove: contact/form of 1 cases" in dry
    assert f"recipient and bodies of {mails} mails" in dry
    assert _row(db, cases, old)["email_ct"] is not None  # a dry run changes nothing
    done = _loket(env, "purge").stdout
    assert "Removed: contact/form of 1 cases" in done
    assert _row(db, cases, old)["email_ct"] is None
    counts = json.loads(_loket(env, "report", "personal-data", "--json").stdout)["units"][0][
        "counts"
    ]
    assert (counts["cases_with_contact"], counts["mails_with_recipient"]) == (1, 0)
    db.dispose()
