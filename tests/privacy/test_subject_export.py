"""The visitor's data export lists their cases, complaints and the mails sent to them.

On SQLite and PostgreSQL: a visitor registers, is served, a request is opened
from their ticket and walks some steps, they complain from the tracking page;
the JSON export (``GET /visitors/{id}/export``) holds the cases with kind,
status, due date and steps with their dates and the values addressed to the
visitor (never staff notes or internal fields), the complaint with its text,
and every mail with subject, date, status and body; the PDF (read back with
pdftotext) lists the same. After the mails' retention the body is gone from
both, the subject stays.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from server.config import Settings
from server.db.database import Database
from server.i18n import t
from server.privacy.retention import purge
from server.store import mail_outbox as outbox
from server.store.common import utcnow
from tests.privacy.conftest import EMAIL
from tests.privacy.test_case_data import _mails, _registered_and_served, _rules
from tests.server.conftest import Unit, login
from tests.server.test_cases_api import API, step

MISSING = "Daftar variabel belum dilampirkan"
EXAMINER = "Pemeriksa Internal Tidak Untuk Pengunjung"
NOTE = "Catatan internal petugas"
COMPLAINT = "Antrean loket terlalu lama"
REASON = "reason=permintaan+akses+data"


def _pdf_text(data: bytes, path: Path) -> str:
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def test_export_lists_cases_complaints_and_mails(
    client: TestClient,
    kiosk: dict[str, str],
    unit: Unit,
    db: Database,
    settings: Settings,
    tmp_path: Path,
) -> None:
    admin = login(client)
    visitor_id, ticket_id = _registered_and_served(client, unit, kiosk, admin)
    opened = client.post(
        f"{API}/cases",
        json={"kind": "recommendation", "ticket_id": ticket_id, "organiser_type": "government"},
        headers=admin,
    )
    assert opened.status_code == 201, opened.text
    cid = opened.json()["id"]
    for name, values in (
        ("revision_needed", {"missing": MISSING}),
        ("revision_received", {}),
        ("form_complete", {}),
        ("examiner_assigned", {"examiner": EXAMINER}),
    ):
        assert step(client, admin, cid, name, values=values, note=NOTE).status_code == 200
    track = opened.json()["tracking_url"].replace("http://loket.test", "") + "/complaint"
    filed = client.post(
        track,
        content=f"text={COMPLAINT.replace(' ', '+')}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert filed.status_code == 201, filed.text
    # someone else's case is not in the export
    client.post(
        f"{API}/cases",
        json={"kind": "recommendation", "contact": {"email": "lain@example.com"}},
        headers=admin,
    )
    mails = _mails(db, cid)
    assert [m["template"] for m in mails] == ["received", "revision_needed"]

    r = client.get(f"/api/v1/visitors/{visitor_id}/export?{REASON}", headers=admin)
    assert r.status_code == 200, r.text
    data = r.json()
    [case] = data["cases"]
    assert case["id"] == cid and case["kind"] == "recommendation"
    assert case["status"] == "open" and case["current_step"] == "examiner_assigned"
    assert case["due_date"] == opened.json()["due_date"] and case["due_date"]
    assert case["contact"]["email"] == EMAIL
    assert [s["step"] for s in case["steps"]] == [
        "form_received",
        "revision_needed",
        "revision_received",
        "form_complete",
        "examiner_assigned",
    ]
    assert all(s["at"] for s in case["steps"])
    assert case["steps"][1]["values"] == {"missing": MISSING}
    assert case["steps"][4]["values"] == {}  # the examiner is internal
    assert EXAMINER not in r.text and NOTE not in r.text
    [complaint] = data["complaints"]
    assert complaint["kind"] == "complaint_info" and complaint["channel"] == "web"
    assert complaint["text"] == COMPLAINT and complaint["status"] == "open"
    assert complaint["steps"][0]["step"] == "complaint_received"
    assert [m["id"] for m in data["mails"]] == [m["id"] for m in mails]
    revision = data["mails"][1]
    assert revision["subject"] == mails[1]["subject"] and revision["status"] == "queued"
    assert MISSING in revision["body_text"] and revision["to"] == EMAIL
    assert revision["created_at"] and revision["sent_at"] is None

    pdf = client.get(f"/api/v1/admin/visitors/{visitor_id}/export.pdf?{REASON}", headers=admin)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = _pdf_text(pdf.content, tmp_path / "export.pdf")
    for expected in (
        t("admin.pdf_cases", "id", count=1),
        t("admin.pdf_complaints", "id", count=1),
        t("admin.pdf_mails", "id", count=2),
        t("cases.kind_recommendation", "id"),
        t("cases.step_revision_needed", "id"),
        t("cases.step_examiner_assigned", "id"),
        t("admin.pdf_case_status_open", "id"),
        f"{t('admin.pdf_value_missing', 'id')}: {MISSING}",
        case["due_date"],
        COMPLAINT,
        t("cases.channel_web", "id"),
        mails[0]["subject"],
        mails[1]["subject"],
        t("cases.mail_status_queued", "id"),
    ):
        assert " ".join(expected.split()) in text, expected
    assert EXAMINER not in text and NOTE not in text

    # after the mails' retention: subject, date and status stay, the body goes
    with db.write() as conn:
        for m in mails:
            outbox.mark_sent(conn, mail_id=m["id"], now=utcnow())
    purge(db, settings=_rules(settings), now=utcnow() + timedelta(days=91))
    later = client.get(f"/api/v1/visitors/{visitor_id}/export?{REASON}", headers=admin).json()
    assert [(m["subject"], m["status"]) for m in later["mails"]] == [
        (m["subject"], "sent") for m in mails
    ]
    assert all(m["body_text"] is None and m["to"] is None for m in later["mails"])
    assert all(m["sent_at"] for m in later["mails"])
    en = client.get(
        f"/api/v1/admin/visitors/{visitor_id}/export.pdf?{REASON}&lang=en", headers=admin
    )
    text = _pdf_text(en.content, tmp_path / "export-en.pdf")
    assert (
        t("admin.pdf_cleared", "en") in text
        and MISSING not in text.split(t("admin.pdf_mails", "en", count=2))[-1]
    )
    assert t("admin.pdf_mails", "en", count=2) in text and mails[1]["subject"] in text
