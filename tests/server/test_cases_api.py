"""Requests (cases) through the API on SQLite and PostgreSQL: a recommendation from
served ticket to closed case, wrong moves refused (skip, repeat, role, date,
fields) without changing anything, events on the stream, due dates after a
calendar change, complaints on the same clock, attachments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from server.db.cases_schema import case_steps, cases, mail_outbox
from server.db.database import Database
from server.db.schema import events
from tests.server.conftest import Unit, login

API = "/api/v1"


def serve_rekomendasi(client: TestClient, unit: Unit, staff: dict[str, str]) -> int:
    services = client.get(f"{API}/services", headers=staff).json()
    rec = next(s for s in services if s["code"] == "rekomendasi")
    counter = unit.counter_ids[0]
    client.put(
        f"{API}/counters/{counter}/services", json={"service_ids": [rec["id"]]}, headers=staff
    )
    ticket = client.post(f"{API}/tickets", json={"service_id": rec["id"]}, headers=staff).json()
    called = client.post(f"{API}/counters/{counter}/call-next", headers=staff).json()
    assert called["id"] == ticket["id"]
    assert client.post(f"{API}/tickets/{ticket['id']}/start", headers=staff).status_code == 200
    return int(ticket["id"])


def step(client: TestClient, headers: dict[str, str], case_id: int, name: str, **body: Any):
    return client.post(f"{API}/cases/{case_id}/steps", json={"step": name, **body}, headers=headers)


def count(db: Database, table: sa.Table) -> int:
    with db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


def test_recommendation_from_ticket_to_closed(
    client: TestClient, unit: Unit, staff: dict[str, str], db: Database
) -> None:
    admin = login(client)
    ticket_id = serve_rekomendasi(client, unit, staff)
    opened = client.post(
        f"{API}/cases",
        json={
            "kind": "recommendation",
            "ticket_id": ticket_id,
            "organiser_type": "government",
            "title": "Survei Kepuasan Layanan Dinas",
            "contact": {"email": "dinas@example.go.id", "phone": "081234567890", "name": "Ani"},
        },
        headers=staff,
    )
    assert opened.status_code == 201, opened.text
    case = opened.json()
    cid = case["id"]
    assert case["current_step"] == "form_received"
    assert case["contact"]["email"] != "dinas@example.go.id"  # masked
    assert case["due_date"] is not None
    assert {n["step"] for n in case["allowed_next"]} == {
        "form_complete",
        "revision_needed",
        "statistik_khusus",
    }
    # a second case for the same ticket is a conflict
    again = client.post(
        f"{API}/cases", json={"kind": "recommendation", "ticket_id": ticket_id}, headers=staff
    )
    assert again.status_code == 409

    # the verification loop twice, with what is missing
    for n in (1, 2):
        r = step(client, staff, cid, "revision_needed", values={"missing": f"variabel {n}"})
        assert r.status_code == 200, r.text
        assert r.json()["rounds"] == n
        assert step(client, staff, cid, "revision_received").status_code == 200
    assert step(client, staff, cid, "form_complete").status_code == 200
    # examiner: a supervisor's step; staff gets 403 and nothing changes
    before = count(db, case_steps)
    refused = step(client, staff, cid, "examiner_assigned", values={"examiner": "Budi"})
    assert refused.status_code == 403
    assert count(db, case_steps) == before
    assert (
        step(client, admin, cid, "examiner_assigned", values={"examiner": "Budi"}).status_code
        == 200
    )
    r = step(
        client,
        staff,
        cid,
        "letter_drafted",
        values={"letter_number": "B-123/BPS/2026", "letter_date": "2026-04-01", "outcome": "layak"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["outcome"] == "layak"
    assert (
        step(client, staff, cid, "sent_romantik", values={"romantik_ref": "RMT-99"}).status_code
        == 200
    )
    assert (
        step(client, staff, cid, "visitor_contacted", values={"channel": "email"}).status_code
        == 200
    )
    assert step(client, staff, cid, "rated").status_code == 200
    done = step(client, staff, cid, "closed")
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "closed"
    assert body["allowed_next"] == []
    assert [s["step"] for s in body["steps"]] == [
        "form_received",
        "revision_needed",
        "revision_received",
        "revision_needed",
        "revision_received",
        "form_complete",
        "examiner_assigned",
        "letter_drafted",
        "sent_romantik",
        "visitor_contacted",
        "rated",
        "closed",
    ]
    # each step is an event on the stream, without personal data
    with db.read() as conn:
        rows = conn.execute(sa.select(events.c.payload).where(events.c.type == "case.step")).all()
        templates = [
            r.template
            for r in conn.execute(sa.select(mail_outbox.c.template).order_by(mail_outbox.c.id))
        ]
    assert len(rows) == 12
    assert all("dinas@example" not in str(r.payload) for r in rows)
    # mails at the steps that matter, in order
    assert templates == [
        "received",
        "revision_needed",
        "revision_needed",
        "letter_sent",
        "rate_invitation",
    ]
    # after closing, nothing more
    assert step(client, staff, cid, "closed").status_code == 409


def test_wrong_moves_are_refused_and_change_nothing(
    client: TestClient, unit: Unit, staff: dict[str, str], db: Database
) -> None:
    cid = client.post(
        f"{API}/cases", json={"kind": "recommendation", "title": "Survei"}, headers=staff
    ).json()["id"]
    before = (count(db, case_steps), count(db, events))
    skip = step(client, staff, cid, "letter_drafted", values={})
    assert skip.status_code == 409
    err = skip.json()["error"]
    assert err["code"] == "step_order"
    assert set(err["allowed_next"]) == {"form_complete", "revision_needed", "statistik_khusus"}
    unknown = step(client, staff, cid, "teleport")
    assert unknown.status_code == 409 and unknown.json()["error"]["code"] == "step_unknown"
    repeat = step(client, staff, cid, "form_received")
    assert repeat.status_code == 409 and repeat.json()["error"]["code"] == "step_repeat"
    early = step(
        client, staff, cid, "form_complete", at=(datetime.now(UTC) - timedelta(days=3)).isoformat()
    )
    assert early.status_code == 422 and early.json()["error"]["code"] == "date_before_opened"
    missing = step(client, staff, cid, "revision_needed", values={})
    assert missing.status_code == 422 and missing.json()["error"]["fields"] == {
        "missing": "required"
    }
    bad_kind = client.post(f"{API}/cases", json={"kind": "nope"}, headers=staff)
    assert bad_kind.status_code == 422
    assert (count(db, case_steps), count(db, events)) == before
    with db.read() as conn:
        assert (
            conn.execute(sa.select(cases.c.current_step).where(cases.c.id == cid)).scalar()
            == "form_received"
        )
    # the kiosk device may not touch cases at all
    kiosk = {"Authorization": f"Bearer {unit.kiosk_token}"}
    assert step(client, kiosk, cid, "form_complete").status_code == 403


def test_private_organiser_is_statistik_khusus(client: TestClient, staff: dict[str, str]) -> None:
    cid = client.post(
        f"{API}/cases",
        json={"kind": "recommendation", "organiser_type": "private", "title": "Survei pasar"},
        headers=staff,
    ).json()["id"]
    r = step(client, staff, cid, "statistik_khusus", values={"synopsis_due": "2026-12-31"})
    assert r.status_code == 200
    assert {n["step"] for n in r.json()["allowed_next"]} == {"synopsis_received", "closed"}


def test_calendar_change_recomputes_open_due_dates(
    client: TestClient, staff: dict[str, str], db: Database
) -> None:
    admin = login(client)
    cid = client.post(f"{API}/cases", json={"kind": "recommendation"}, headers=staff).json()["id"]
    # pin the clock start to the worked example: form handed in 2026-03-02
    with db.write() as conn:
        conn.execute(
            sa.update(cases)
            .where(cases.c.id == cid)
            .values(clock_start=date(2026, 3, 2), due_date=date(2026, 4, 21))
        )
    r = client.put(
        f"{API}/calendar/days/2026-04-07",
        json={"change": "add", "name": "Libur kantor"},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    assert r.json()["moved"][0] == {
        "case_id": cid,
        "from": "2026-04-21",
        "to": "2026-04-22",
        "reason": "2026-04-07 day off",
    }
    detail = client.get(f"{API}/cases/{cid}", headers=staff).json()
    assert detail["due_date"] == "2026-04-22"
    change = [s for s in detail["steps"] if s["system"]]
    assert change[0]["step"] == "due_changed" and change[0]["data"]["to"] == "2026-04-22"
    # the office works on Lebaran joint leave 24 March after all
    client.put(f"{API}/calendar/days/2026-03-24", json={"change": "remove"}, headers=admin)
    assert client.get(f"{API}/cases/{cid}", headers=staff).json()["due_date"] == "2026-04-21"
    # undo the added day
    assert client.delete(f"{API}/calendar/days/2026-04-07", headers=admin).status_code == 200
    assert client.get(f"{API}/cases/{cid}", headers=staff).json()["due_date"] == "2026-04-20"
    year = client.get(f"{API}/calendar/2026", headers=staff).json()["days"]
    assert any(d["day"] == "2026-03-24" and d["removed"] for d in year)
    assert any(d["day"] == "2026-03-19" and d["source"] == "package" for d in year)
    # staff may read the calendar but not change it; bad input is 422
    assert (
        client.put(
            f"{API}/calendar/days/2026-05-05", json={"change": "add"}, headers=staff
        ).status_code
        == 403
    )
    assert (
        client.put(
            f"{API}/calendar/days/2026-05-05", json={"change": "x"}, headers=admin
        ).status_code
        == 422
    )
    assert (
        client.put(
            f"{API}/calendar/days/2026-02-30", json={"change": "add"}, headers=admin
        ).status_code
        == 422
    )
    assert client.delete(f"{API}/calendar/days/2026-05-05", headers=admin).status_code == 404
    due = client.get(f"{API}/calendar/due/2025-03-20/30", headers=staff).json()
    assert due["due"] == "2025-05-16"


def test_complaints_run_on_the_same_clock(
    client: TestClient, staff: dict[str, str], db: Database
) -> None:
    r = client.post(
        f"{API}/complaints",
        json={
            "category": "dispute",
            "channel": "lapor",
            "lapor_number": "LAPOR-12345",
            "text": "Petugas terlambat membuka layanan.",
            "contact": {"email": "warga@example.com"},
        },
        headers=staff,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["kind"] == "complaint_dispute"
    assert body["first_response_due"] < body["due_date"]
    missing_number = client.post(
        f"{API}/complaints",
        json={"category": "info", "channel": "lapor", "text": "x"},
        headers=staff,
    )
    assert missing_number.status_code == 422
    assert missing_number.json()["error"]["fields"] == {"lapor_number": "required"}
    cid = body["case_id"]
    listed = client.get(f"{API}/cases", params={"complaints": True}, headers=staff).json()
    assert listed[0]["deadline"] == body["first_response_due"]  # first response pending
    assert step(client, staff, cid, "resolved", values={"resolution": "x"}).status_code == 409
    assert (
        step(client, staff, cid, "responded", values={"response": "Kami periksa"}).status_code
        == 200
    )
    assert (
        step(
            client, staff, cid, "resolved", values={"resolution": "Jam buka ditertibkan"}
        ).status_code
        == 200
    )
    with db.read() as conn:
        stored = conn.execute(sa.text("SELECT text_ct FROM complaints")).scalar()
        templates = [
            r.template
            for r in conn.execute(sa.select(mail_outbox.c.template).order_by(mail_outbox.c.id))
        ]
    assert b"terlambat" not in bytes(stored)
    assert templates == ["complaint_received", "complaint_resolved"]
    listed = client.get(f"{API}/cases", params={"complaints": True}, headers=staff).json()
    assert [c["id"] for c in listed] == [cid]
    assert listed[0]["deadline"] == body["due_date"]  # responded: the resolution date counts


def test_attachments_checked_and_encrypted(
    client: TestClient, staff: dict[str, str], settings: Any
) -> None:
    cid = client.post(f"{API}/cases", json={"kind": "recommendation"}, headers=staff).json()["id"]
    pdf = b"%PDF-1.4\n% FS3 form\n" + b"x" * 1000
    url = f"{API}/cases/{cid}/attachments"
    ok = client.post(
        url,
        content=pdf,
        headers={**staff, "Content-Type": "application/pdf", "X-Filename": "fs3.pdf"},
    )
    assert ok.status_code == 201, ok.text
    aid = ok.json()["id"]
    stored = (settings.data_dir / "attachments").rglob("*.bin")
    files = list(stored)
    assert len(files) == 1 and b"FS3 form" not in files[0].read_bytes()
    back = client.get(f"{url}/{aid}", headers=staff)
    assert back.status_code == 200 and back.content == pdf
    wrong = client.post(
        url,
        content=b"MZ\x90\x00",
        headers={**staff, "Content-Type": "application/pdf", "X-Filename": "a.pdf"},
    )
    assert wrong.status_code == 415
    exe = client.post(
        url,
        content=b"MZ",
        headers={**staff, "Content-Type": "application/x-msdownload", "X-Filename": "a.exe"},
    )
    assert exe.status_code == 415
    big = client.post(
        url,
        content=b"%PDF-" + b"0" * (settings.attachment_max_bytes + 1),
        headers={**staff, "Content-Type": "application/pdf", "X-Filename": "big.pdf"},
    )
    assert big.status_code == 413
    noname = client.post(
        url,
        content=pdf,
        headers={**staff, "Content-Type": "application/pdf", "X-Filename": "../x.pdf"},
    )
    assert noname.status_code == 422
    assert len(client.get(f"{API}/cases/{cid}", headers=staff).json()["attachments"]) == 1
    # never public: no static route serves it, and without sign-in the API refuses
    client.cookies.clear()  # the sign-in above left a session cookie
    assert client.get(f"{url}/{aid}").status_code == 401
    assert client.get(f"/static/../attachments/1/{aid}.bin").status_code == 404


def test_request_form_is_validated_and_only_revealed_with_a_reason(
    client: TestClient, staff: dict[str, str], db: Database
) -> None:
    definition = client.get(f"{API}/cases/form", headers=staff).json()
    assert any(f["name"] == "method" and f["required"] for f in definition["fields"])
    before = count(db, cases)
    bad = client.post(
        f"{API}/cases",
        json={"kind": "recommendation", "form": {"title": "x", "year": "soon"}},
        headers=staff,
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"]["year"] == "not_a_number"
    assert count(db, cases) == before
    form = {"title": "Survei Pasar", "year": 2026, "method": "survey", "organiser_agency": "Dinas"}
    r = client.post(
        f"{API}/cases",
        json={
            "kind": "recommendation",
            "form": form,
            "contact": {"phone": "0812 3456 7890", "name": "Ani"},
        },
        headers=staff,
    )
    assert r.status_code == 201
    case = r.json()
    assert case["has_form"] is True and case["contact"]["name"] != "Ani"
    with db.read() as conn:
        raw = conn.execute(sa.select(cases.c.form_ct).where(cases.c.id == case["id"])).scalar()
    assert b"Survei Pasar" not in bytes(raw)
    assert (
        client.post(
            f"{API}/cases/{case['id']}/reveal", json={"reason": ""}, headers=staff
        ).status_code
        == 422
    )
    shown = client.post(
        f"{API}/cases/{case['id']}/reveal", json={"reason": "telepon pemohon"}, headers=staff
    ).json()
    assert shown["form"]["title"] == "Survei Pasar"
    assert shown["contact"]["name"] == "Ani"
    assert shown["whatsapp_url"].startswith("https://wa.me/6281234567890?text=")
    with db.read() as conn:
        audited = conn.execute(
            sa.text("SELECT action, reason FROM audit_log WHERE action = 'case_reveal'")
        ).all()
    assert [(a.action, a.reason) for a in audited] == [("case_reveal", "telepon pemohon")]


def test_mark_case_rated_completes_the_rating_step(
    client: TestClient, unit: Unit, staff: dict[str, str], db: Database
) -> None:
    from server.store.cases import mark_case_rated

    admin = login(client)
    ticket_id = serve_rekomendasi(client, unit, staff)
    cid = client.post(
        f"{API}/cases", json={"kind": "recommendation", "ticket_id": ticket_id}, headers=staff
    ).json()["id"]
    with db.write() as conn:
        assert mark_case_rated(conn, ticket_id=ticket_id, at=datetime.now(UTC)) is False  # not yet
    step(client, staff, cid, "form_complete")
    step(client, admin, cid, "examiner_assigned", values={"examiner": "Budi"})
    step(
        client,
        staff,
        cid,
        "letter_drafted",
        values={"letter_number": "B-1", "letter_date": "2026-04-01", "outcome": "layak"},
    )
    step(client, staff, cid, "sent_romantik", values={"romantik_ref": "R-1"})
    step(client, staff, cid, "visitor_contacted")
    with db.write() as conn:
        assert mark_case_rated(conn, ticket_id=ticket_id, at=datetime.now(UTC)) is True
    with db.write() as conn:
        assert (
            mark_case_rated(conn, ticket_id=ticket_id, at=datetime.now(UTC)) is False
        )  # never twice
        assert mark_case_rated(conn, ticket_id=ticket_id + 999, at=datetime.now(UTC)) is False
    detail = client.get(f"{API}/cases/{cid}", headers=staff).json()
    assert detail["current_step"] == "rated"
    assert [n["step"] for n in detail["allowed_next"]] == ["closed"]


def test_the_visitors_rating_completes_the_rated_step(
    client: TestClient, unit: Unit, staff: dict[str, str]
) -> None:
    admin = login(client)
    ticket_id = serve_rekomendasi(client, unit, staff)
    assert client.post(f"{API}/tickets/{ticket_id}/finish", headers=staff).status_code == 200
    token = client.get(f"{API}/tickets/{ticket_id}", headers=staff).json()["tracking_token"]
    cid = client.post(
        f"{API}/cases", json={"kind": "recommendation", "ticket_id": ticket_id}, headers=staff
    ).json()["id"]
    step(client, staff, cid, "form_complete")
    step(client, admin, cid, "examiner_assigned", values={"examiner": "Budi"})
    step(
        client,
        staff,
        cid,
        "letter_drafted",
        values={"letter_number": "B-2", "letter_date": "2026-04-01", "outcome": "layak"},
    )
    step(client, staff, cid, "sent_romantik", values={"romantik_ref": "R-2"})
    step(client, staff, cid, "visitor_contacted")
    rated = client.post(f"{API}/ratings", json={"tracking_token": token, "overall": 4})
    assert rated.status_code == 201, rated.text
    detail = client.get(f"{API}/cases/{cid}", headers=staff).json()
    assert detail["current_step"] == "rated"
    assert [n["step"] for n in detail["allowed_next"]] == ["closed"]


def test_the_services_case_kind_decides_the_default_kind_and_the_email_rule(
    client: TestClient, unit: Unit, staff: dict[str, str], db: Database
) -> None:
    from server.db.schema import services as services_table

    ticket_id = serve_rekomendasi(client, unit, staff)
    opened = client.post(f"{API}/cases", json={"ticket_id": ticket_id}, headers=staff)
    assert opened.status_code == 201, opened.text
    assert opened.json()["kind"] == "recommendation"
    no_kind = client.post(f"{API}/cases", json={"title": "x"}, headers=staff)
    assert no_kind.status_code == 422 and no_kind.json()["error"]["fields"] == {"kind": "required"}

    def flags() -> dict[str, bool]:
        listed = client.get(f"{API}/services", headers=staff).json()
        return {s["code"]: s["requires_email"] for s in listed}

    assert flags()["perpustakaan"] is False and flags()["rekomendasi"] is True
    with db.write() as conn:  # what the admin page's "case kind" choice stores
        conn.execute(
            sa.update(services_table)
            .where(services_table.c.code == "perpustakaan")
            .values(case_kind="recommendation")
        )
    assert flags()["perpustakaan"] is True


def test_clock_may_start_when_the_form_is_complete(
    client: TestClient, unit: Unit, staff: dict[str, str], db: Database
) -> None:
    from server.store import units

    with db.write() as conn:
        units.update_unit_settings(
            conn, unit_id=unit.id, changes={"cases": {"clock_start_step": "form_complete"}}
        )
    case = client.post(f"{API}/cases", json={"kind": "recommendation"}, headers=staff).json()
    assert case["due_date"] is None
    step(client, staff, case["id"], "revision_needed", values={"missing": "x"})
    step(client, staff, case["id"], "revision_received")
    done = step(client, staff, case["id"], "form_complete").json()
    assert done["due_date"] is not None


def test_bad_case_input_is_422_and_stores_nothing(
    client: TestClient, staff: dict[str, str], db: Database
) -> None:
    before = count(db, cases)
    bodies = [
        {"kind": "recommendation", "contact": {"email": "not-an-address"}},
        {"kind": "recommendation", "organiser_type": "alien"},
        {"kind": "recommendation", "at": "2026-03-02T09:00:00"},
        {"kind": "complaint_info"},
        {"kind": "recommendation", "at": "2999-01-01T00:00:00Z"},
        {"kind": "recommendation", "ticket_id": 99999},
    ]
    codes = [client.post(f"{API}/cases", json=b, headers=staff).status_code for b in bodies]
    assert codes == [422, 422, 422, 422, 422, 404]
    assert count(db, cases) == before
    cid = client.post(f"{API}/cases", json={"kind": "recommendation"}, headers=staff).json()["id"]
    naive = step(client, staff, cid, "form_complete", at="2026-03-02T09:00:00")
    assert naive.status_code == 422 and naive.json()["error"]["code"] == "date_without_timezone"
    assert client.get(f"{API}/cases/99999", headers=staff).status_code == 404
    assert step(client, staff, 99999, "form_complete").status_code == 404


def test_ticket_tracking_page_shows_its_case(
    client: TestClient, unit: Unit, staff: dict[str, str]
) -> None:
    from tests.web.html_tree import parse

    ticket_id = serve_rekomendasi(client, unit, staff)
    case = client.post(
        f"{API}/cases",
        json={
            "kind": "recommendation",
            "ticket_id": ticket_id,
            "contact": {"email": "x@dinas.go.id"},
        },
        headers=staff,
    ).json()
    client.cookies.clear()
    page = client.get(case["tracking_url"].replace("http://loket.test", ""))
    assert page.status_code == 200
    assert "x@dinas.go.id" not in page.text
    tree = parse(page.text)
    assert tree.by_id("track-number").text()  # the ticket part is still there
    assert "Formulir permohonan diterima" in tree.by_id("track-case-steps").text()
    assert client.get("/t/unknown-token").status_code == 404


def test_public_complaints_are_checked_and_limited(
    client: TestClient, staff: dict[str, str], db: Database
) -> None:
    from server.db.cases_schema import complaints

    case = client.post(f"{API}/cases", json={"kind": "recommendation"}, headers=staff).json()
    path = case["tracking_url"].replace("http://loket.test", "") + "/complaint"
    client.cookies.clear()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert client.post(path, content="text=&lang=id", headers=form).status_code == 422
    bad_mail = client.post(path, content="text=Lama&email=bukan-alamat", headers=form)
    assert bad_mail.status_code == 422
    assert (
        client.post("/t/no-such-token/complaint", content="text=x", headers=form).status_code == 404
    )
    codes = [
        client.post(path, content=f"text=Antrean+lama+{i}&lang=en", headers=form).status_code
        for i in range(4)
    ]
    assert codes == [201, 201, 201, 429]
    assert count(db, complaints) == 3
