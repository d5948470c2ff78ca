"""Mail through a real SMTP server on 127.0.0.1 (aiosmtpd): content, the durable
outbox surviving an SMTP outage (each message delivered exactly once), refusals
and a hanging server recorded as failures without blocking a request."""

from __future__ import annotations

import email
import socket
import threading
import time
from collections.abc import Callable, Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from server.api.app import create_app
from server.config import Settings
from server.db.database import Database
from tests.server.conftest import Unit, login

API = "/api/v1"


class Inbox:
    def __init__(self, refuse: bool = False) -> None:
        self.messages: list[Message] = []
        self.refuse = refuse

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def mail_settings(settings: Settings, port: int) -> Settings:
    return settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_security": "none",
            "mail_from": "pst@bps.test",
            "smtp_timeout_seconds": 1.0,
            "mail_poll_seconds": 0.1,
            "mail_retry_base_seconds": 0.2,
            "mail_retry_max_seconds": 0.5,
        }
    )


@pytest.fixture
def mail_client(mail_settings: Settings, db: Database, unit: Unit) -> Iterator[TestClient]:
    with TestClient(create_app(mail_settings, db=db)) as c:
        yield c


def smtp(port: int, inbox: Inbox) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def body_text(message: Message) -> tuple[str, str]:
    parts = {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in message.walk()
        if not p.is_multipart()
    }
    return parts["text/plain"], parts["text/html"]


def open_case(client: TestClient, headers: dict[str, str], lang: str = "id") -> dict[str, Any]:
    r = client.post(
        f"{API}/cases",
        json={
            "kind": "recommendation",
            "title": "Survei Dinas",
            "language": lang,
            "contact": {"email": "pemohon@example.go.id"},
        },
        headers=headers,
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_messages_arrive_with_the_right_content(mail_client: TestClient, port: int) -> None:
    inbox = Inbox()
    controller = smtp(port, inbox)
    try:
        staff = login(mail_client)
        case = open_case(mail_client, staff)
        wait_for(lambda: len(inbox.messages) == 1)
        received = inbox.messages[0]
        assert received["To"] == "pemohon@example.go.id"
        assert received["From"] == "pst@bps.test"
        assert received["Subject"].startswith("Permohonan Anda telah diterima")
        text, html = body_text(received)
        assert f"paling lambat {case['due_date']}" in text
        assert "30 hari kerja" in text
        assert case["tracking_url"] in text
        assert f'href="{case["tracking_url"]}"' in html
        r = mail_client.post(
            f"{API}/cases/{case['id']}/steps",
            json={"step": "revision_needed", "values": {"missing": "desain sampel & kerangka"}},
            headers=staff,
        )
        assert r.status_code == 200
        wait_for(lambda: len(inbox.messages) == 2)
        text, html = body_text(inbox.messages[1])
        assert "putaran 1" in text and "desain sampel & kerangka" in text
        assert "desain sampel &amp; kerangka" in html
        # English when the visitor chose English
        open_case(mail_client, staff, lang="en")
        wait_for(lambda: len(inbox.messages) == 3)
        assert inbox.messages[2]["Subject"].startswith("Your request has been received")
        wait_for(
            lambda: (
                {m["status"] for m in mail_client.get(f"{API}/mail", headers=staff).json()}
                == {"sent"}
            )
        )
        listed = mail_client.get(f"{API}/mail", headers=staff).json()
        assert all("pemohon" not in str(m) for m in listed)  # no address in the admin list
    finally:
        controller.stop()


def test_smtp_down_during_three_changes_then_each_delivered_once(
    mail_client: TestClient, port: int
) -> None:
    staff = login(mail_client)
    started = time.monotonic()
    first = open_case(mail_client, staff)
    mail_client.post(
        f"{API}/cases/{first['id']}/steps",
        json={"step": "revision_needed", "values": {"missing": "jadwal"}},
        headers=staff,
    )
    r = mail_client.post(
        f"{API}/complaints",
        json={
            "category": "info",
            "channel": "email",
            "text": "Tanya data",
            "contact": {"email": "warga@example.com"},
        },
        headers=staff,
    )
    assert r.status_code == 201
    assert time.monotonic() - started < 5  # requests never wait for SMTP

    def retried() -> bool:
        rows = mail_client.get(f"{API}/mail", headers=staff).json()
        return len(rows) == 3 and all(m["attempts"] >= 2 and m["status"] == "queued" for m in rows)

    wait_for(retried)
    rows = mail_client.get(f"{API}/mail", headers=staff).json()
    assert all(m["last_error"] for m in rows)
    inbox = Inbox()
    controller = smtp(port, inbox)
    try:
        wait_for(lambda: len(inbox.messages) == 3)
        time.sleep(1.5)  # several more polls: nothing is sent twice
        assert len(inbox.messages) == 3
        ids = {m["Message-ID"] for m in inbox.messages}
        assert len(ids) == 3
        subjects = sorted(m["Subject"] for m in inbox.messages)
        assert any("perlu perbaikan" in s for s in subjects)
        assert any("Pengaduan" in s for s in subjects)
        wait_for(
            lambda: (
                {m["status"] for m in mail_client.get(f"{API}/mail", headers=staff).json()}
                == {"sent"}
            )
        )
    finally:
        controller.stop()


def test_refusal_is_failed_with_reason_and_admin_can_retry(
    mail_client: TestClient, port: int
) -> None:
    inbox = Inbox(refuse=True)
    controller = smtp(port, inbox)
    try:
        admin = login(mail_client)
        open_case(mail_client, admin)

        def failed() -> bool:
            rows = mail_client.get(f"{API}/mail", params={"status": "failed"}, headers=admin).json()
            return len(rows) == 1

        wait_for(failed)
        row = mail_client.get(f"{API}/mail", params={"status": "failed"}, headers=admin).json()[0]
        assert "550" in row["last_error"]
        assert "pemohon" not in row["last_error"]
        inbox.refuse = False
        assert mail_client.post(f"{API}/mail/{row['id']}/retry", headers=admin).status_code == 200
        wait_for(lambda: len(inbox.messages) == 1)
        assert mail_client.post(f"{API}/mail/{row['id']}/retry", headers=admin).status_code == 409
        staff = login(mail_client, "siti", "staff-password-1")
        assert mail_client.get(f"{API}/mail", headers=staff).status_code == 403
    finally:
        controller.stop()


def test_hanging_server_times_out_without_blocking(
    mail_settings: Settings, db: Database, unit: Unit, port: int
) -> None:
    slow = mail_settings.model_copy(update={"smtp_timeout_seconds": 4.0})
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                held.append(conn)  # never answers
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        mail_client = TestClient(create_app(slow, db=db)).__enter__()
        admin = login(mail_client)
        open_case(mail_client, admin)  # the worker now hangs on the first message for 4 s
        time.sleep(0.5)
        started = time.monotonic()
        open_case(mail_client, admin)
        assert time.monotonic() - started < 3.0  # a request never waits for the hanging server

        def timed_out() -> bool:
            rows = mail_client.get(f"{API}/mail", headers=admin).json()
            return bool(rows) and rows[-1]["attempts"] >= 1 and bool(rows[-1]["last_error"])

        wait_for(timed_out)
        row = mail_client.get(f"{API}/mail", headers=admin).json()[-1]
        assert row["status"] in ("queued", "sending")
        assert "timed out" in row["last_error"].lower() or "timeout" in row["last_error"].lower()
        mail_client.__exit__(None, None, None)
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


def test_kiosk_ticket_copy_and_case_mail_reach_the_visitor(
    mail_client: TestClient, unit: Unit, port: int
) -> None:
    from tests.privacy.conftest import EMAIL, registration_body

    inbox = Inbox()
    controller = smtp(port, inbox)
    try:
        kiosk = {"Authorization": f"Bearer {unit.kiosk_token}"}
        assert mail_client.get(f"{API}/unit", headers=kiosk).json()["mail_enabled"] is True
        services = mail_client.get(f"{API}/services", headers=kiosk).json()
        rec = next(s for s in services if s["code"] == "rekomendasi")
        assert rec["requires_email"] is True
        assert not any(s["requires_email"] for s in services if s["code"] != "rekomendasi")
        body = registration_body(unit, service_id=rec["id"], email_copy=True)
        first = mail_client.post(f"{API}/registrations", json=body, headers=kiosk)
        assert first.status_code == 201, first.text
        again = mail_client.post(f"{API}/registrations", json=body, headers=kiosk)
        assert again.status_code == 200  # a retry: no second copy
        no_copy = registration_body(unit, service_id=rec["id"], email_copy=False)
        assert (
            mail_client.post(f"{API}/registrations", json=no_copy, headers=kiosk).status_code == 201
        )
        ticket = first.json()["ticket"]
        wait_for(lambda: len(inbox.messages) == 1)
        time.sleep(0.6)
        assert len(inbox.messages) == 1
        copy = inbox.messages[0]
        assert copy["To"] == EMAIL
        text, _ = body_text(copy)
        assert ticket["number"] in copy["Subject"] and "Rekomendasi Kegiatan Statistik" in text
        assert f"/t/{ticket['tracking_token']}" in text
        # serving the ticket and opening its case reaches the address given at the kiosk
        staff = login(mail_client, "siti", "staff-password-1")
        counter = unit.counter_ids[0]
        mail_client.put(
            f"{API}/counters/{counter}/services", json={"service_ids": [rec["id"]]}, headers=staff
        )
        called = mail_client.post(f"{API}/counters/{counter}/call-next", headers=staff).json()
        mail_client.post(f"{API}/tickets/{called['id']}/start", headers=staff)
        r = mail_client.post(
            f"{API}/cases",
            json={"kind": "recommendation", "ticket_id": called["id"]},
            headers=staff,
        )
        assert r.status_code == 201, r.text
        wait_for(lambda: len(inbox.messages) == 2)
        assert inbox.messages[1]["To"] == EMAIL
        assert inbox.messages[1]["Subject"].startswith("Permohonan Anda telah diterima")
        # the standard's step 11 -> 12: contacting the visitor invites them to rate,
        # with a link straight to the rating form behind their ticket
        assert called["id"] == ticket["id"]
        case_id = r.json()["id"]
        admin = login(mail_client)
        letter = {"letter_number": "B-9", "letter_date": "2026-04-01", "outcome": "layak"}
        for name, who, values in [
            ("form_complete", staff, {}),
            ("examiner_assigned", admin, {"examiner": "Budi"}),
            ("letter_drafted", staff, letter),
            ("sent_romantik", staff, {"romantik_ref": "R-9"}),
            ("visitor_contacted", staff, {}),
        ]:
            took = mail_client.post(
                f"{API}/cases/{case_id}/steps", json={"step": name, "values": values}, headers=who
            )
            assert took.status_code == 200, took.text
        wait_for(lambda: len(inbox.messages) == 4)  # the letter sent, then the invitation
        invitation_text, _ = body_text(inbox.messages[3])
        assert f"/t/{ticket['tracking_token']}/rate" in invitation_text
    finally:
        controller.stop()


def test_unit_says_mail_is_off_without_smtp(client: TestClient, unit: Unit) -> None:
    kiosk = {"Authorization": f"Bearer {unit.kiosk_token}"}
    assert client.get(f"{API}/unit", headers=kiosk).json()["mail_enabled"] is False


def test_daily_reminder_once_per_staff_member(
    mail_client: TestClient, unit: Unit, db: Database, port: int
) -> None:
    from datetime import date

    import sqlalchemy as sa

    from server.db.cases_schema import cases
    from server.store import units

    with db.write() as conn:
        units.update_unit_settings(
            conn, unit_id=unit.id, changes={"cases": {"staff_emails": {"siti": "siti@bps.test"}}}
        )
    inbox = Inbox()
    controller = smtp(port, inbox)
    try:
        staff = login(mail_client, "siti", "staff-password-1")
        admin = login(mail_client)
        late = mail_client.post(
            f"{API}/cases", json={"kind": "recommendation", "title": "Lama"}, headers=staff
        ).json()
        mail_client.post(
            f"{API}/cases", json={"kind": "recommendation", "title": "Baru"}, headers=staff
        )
        with db.write() as conn:
            conn.execute(
                sa.update(cases)
                .where(cases.c.id == late["id"])
                .values(clock_start=date(2025, 1, 6), due_date=date(2025, 2, 19))
            )
        first = mail_client.post(f"{API}/mail/reminders", headers=admin)
        assert first.json() == {"queued": 1}
        assert mail_client.post(f"{API}/mail/reminders", headers=admin).json() == {"queued": 0}
        wait_for(lambda: any(m["To"] == "siti@bps.test" for m in inbox.messages))
        reminder = next(m for m in inbox.messages if m["To"] == "siti@bps.test")
        text, _ = body_text(reminder)
        assert f"#{late['id']}" in text and "2025-02-19" in text
        assert "Baru" not in text  # only cases near or past due
        assert mail_client.post(f"{API}/mail/reminders", headers=staff).status_code == 403
    finally:
        controller.stop()


def test_a_message_interrupted_mid_send_is_never_sent_again(
    mail_settings: Settings, db: Database, unit: Unit, port: int
) -> None:
    from server.mail.messages import Office, compose
    from server.mail.worker import MailWorker
    from server.privacy.keys import key_file_for
    from server.store import mail_outbox
    from server.store.common import utcnow

    ring = key_file_for(mail_settings.resolved_key_file).ring()
    message = compose("ticket_copy", "id", office=Office("BPS"), number="R001", service="x")
    with db.write() as conn:
        mail_id = mail_outbox.enqueue(
            conn, ring=ring, unit_id=unit.id, to="a@example.com", language="id",
            template="ticket_copy", message=message,
        )  # fmt: skip
        claimed = mail_outbox.claim_due(conn, ring=ring, now=utcnow())
    assert [c.id for c in claimed] == [mail_id] and claimed[0].to == "a@example.com"
    # the process stops here, between claiming and recording the result
    inbox = Inbox()
    controller = smtp(port, inbox)
    worker = MailWorker(db, mail_settings, lambda: ring)
    try:
        worker.start()
        time.sleep(1.0)
        assert inbox.messages == []
        with db.read() as conn:
            row = mail_outbox.list_mail(conn, unit_id=unit.id)[0]
        assert row["status"] == "failed" and "interrupted" in row["last_error"]
    finally:
        worker.stop()
        controller.stop()
