"""The real kiosk window, driven by real touch input, against the live Loket server
and a printer on a virtual serial port.

Each scenario runs in its own process (one Kivy window per process) through
``tests.kiosk.kiosk_driver``. Screenshots of every screen, in portrait and in
landscape, land in ``artifacts/kiosk/``. The server's state is checked through
its own API (visits, queue, devices), the printer's through the bytes that
arrived on the serial port.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from tests.kiosk.helpers import PAPER_OUT, SHOTS, SerialPrinter, run_driver
from tests.live import LiveServer

RETURNING_NIK = "1906011203850001"
ANSWERS = {
    "name": "Budi Santoso",
    "institution": "Dinas Pendidikan",
    "email": "budi@gmail.com",
    "phone": "081234567890",
    "purpose": "penelitian",
}


def kiosk_settings(
    server: LiveServer, printer: SerialPrinter, tmp_path: Path, orientation: str, **extra: Any
) -> dict[str, Any]:
    return {
        "server_url": server.url,
        "device_token": server.kiosk_token,
        "printer_url": printer.url,
        "orientation": orientation,
        "data_dir": str(tmp_path / "kiosk"),
        "print_timeout_seconds": 8,
        **extra,
    }


def seed_returning_visitor(server: LiveServer) -> int:
    """An earlier visit by the visitor who comes back in the portrait test."""
    with server.client(server.kiosk_token) as c:
        body = {
            "client_request_id": str(uuid.uuid4()),
            "language": "id",
            "consent": {
                "notice_version": c.get("/guestbook/form").json()["notice"]["version"],
                "accepted": True,
                "photo_accepted": False,
            },
            "service_id": 1,
            "visitor": {
                "name": "Budi Santoso",
                "sex": "male",
                "age_group": "40_49",
                "education": "d4_s1",
                "occupation": "asn_tni_polri",
                "institution": "Dinas Pendidikan",
                "institution_category": "pemerintah_daerah",
                "email": "budi@gmail.com",
                "phone": "081234567890",
                "id_type": "ktp",
                "id_number": RETURNING_NIK,
                "purpose": "penelitian",
            },
        }
        r = c.post("/registrations", json=body)
        assert r.status_code == 201, r.text
        return int(r.json()["visitor_id"])


def kiosk_device(server: LiveServer) -> dict[str, Any]:
    return next(d for d in server.devices() if d["kind"] == "kiosk")


def test_returning_visitor_portrait(live_server: LiveServer, printer: SerialPrinter, tmp_path):
    visitor_id = seed_returning_visitor(live_server)
    summary = run_driver(
        {
            "scenario": "full",
            "shot_prefix": "portrait-",
            "settings": kiosk_settings(live_server, printer, tmp_path, "portrait"),
            "lookup_nik": RETURNING_NIK,
            "answers": ANSWERS,
            "priority_index": 2,  # lanjut usia
            "email_copy": True,
            "reprint": True,
            "guestbook_shots": 4,
        },
        tmp_path,
    )
    number = summary["ticket_number"]
    assert number.startswith("K")  # Konsultasi Statistik, the second service
    assert summary["print_state"] == "printed"
    assert summary["reprint_state"] == "printed"
    assert printer.wait_for(number.encode())
    assert printer.received.count(number.encode()) >= 2  # printed, then reprinted
    # the server has the visit, linked to the returning visitor, and its ticket
    visit = next(v for v in live_server.visits_today() if v["ticket_number"] == number)
    assert visit["visitor_id"] == visitor_id
    assert visit["service_id"] == 2
    assert visit["sex"] == "male" and visit["institution_category"] == "pemerintah_daerah"
    assert visit["purpose"] == "penelitian" and visit["id_type"] == "ktp"
    assert visit["consent"]["photo_accepted"] is False
    waiting = [t for s in live_server.queue()["services"] for t in s["waiting"]]
    ticket = next(t for t in waiting if t["number"] == number)
    assert ticket["priority"] is True and ticket["priority_reason"] == "elderly"
    assert kiosk_device(live_server)["printer"] == {"online": True, "paper": "ok", "error": None}
    # nothing typed is left in the kiosk
    assert summary["values_after"] == {}
    # every button on every screen is a big touch target
    assert min(summary["smallest_targets"].values()) >= 64, summary["smallest_targets"]
    for name in (
        "01-welcome",
        "01-welcome-en",
        "02-consent",
        "03-service",
        "04-returning",
        "05-returning-found",
        "07-identity",
        "08-priority",
        "09-ticket",
    ):
        assert (SHOTS / f"portrait-{name}.png").stat().st_size > 10_000


def test_first_visit_landscape_paper_out_and_idle(live_server: LiveServer, tmp_path):
    printer = SerialPrinter(PAPER_OUT)
    visits_before = len(live_server.visits_today())
    try:
        summary = run_driver(
            {
                "scenario": "full",
                "shot_prefix": "landscape-",
                "settings": kiosk_settings(
                    live_server,
                    printer,
                    tmp_path,
                    "landscape",
                    idle_timeout_seconds=5,
                    idle_grace_seconds=2,
                ),
                "skip_language": True,
                "guestbook_shots": 3,
                "decline_first": True,
                "answers": {**ANSWERS, "name": "Siti Aminah", "email": "siti@bps.go.id"},
                "id_number_wrong": "1906013203850001",  # day 32
                "id_number": "1906015203990002",  # a woman born 12-03-1999
                "idle_check": True,
            },
            tmp_path,
        )
    finally:
        printer.close()
    assert summary["inline_error"] == (
        "Tanggal lahir dalam NIK tidak valid. Periksa angka ke-7 sampai ke-12."
    )
    # paper out: the ticket is still shown with a plain message, and staff are alerted
    number = summary["ticket_number"]
    assert summary["print_state"] == "failed"
    assert "Tiket tidak dapat dicetak" in summary["print_text"]
    assert number.encode() not in printer.received
    state = kiosk_device(live_server)["printer"]
    assert state["paper"] == "out" and state["error"]
    # declining stored nothing; the completed journey made exactly one visit
    visits = live_server.visits_today()
    assert len(visits) == visits_before + 1
    visit = next(v for v in visits if v["ticket_number"] == number)
    assert visit["id_type"] == "ktp"
    # the idle prompt appeared, then everything typed was wiped
    assert "10-idle-prompt" in summary["screens"]
    assert summary["idle_values_after"] == {}
    assert (SHOTS / "landscape-02-declined.png").exists()
    assert min(summary["smallest_targets"].values()) >= 64, summary["smallest_targets"]


def test_server_down_at_the_last_tap(live_server: LiveServer, printer: SerialPrinter, tmp_path):
    visits_before = len(live_server.visits_today())
    summary = run_driver(
        {
            "scenario": "offline",
            "shot_prefix": "portrait-",
            "settings": kiosk_settings(
                live_server,
                printer,
                tmp_path,
                "portrait",
                outbox_retry_seconds=1,
                request_timeout_seconds=2,
            ),
            "answers": {**ANSWERS, "name": "Rina Wati", "email": "rina@gmail.com"},
            "id_number": "1906014505010003",
        },
        tmp_path,
        hooks={"stop_server": live_server.stop, "start_server": live_server.start},
    )
    # told plainly what to do; the data waits in the outbox, not in memory
    assert summary["message"] == (
        "Server sedang tidak terhubung. Data Anda tersimpan; silakan menuju meja layanan."
    )
    assert summary["outbox_after_tap"] == 1
    assert summary["values_after_tap"] == {}
    # once the server was back, the kiosk delivered the registration by itself, once
    assert len(live_server.visits_today()) == visits_before + 1
    assert (SHOTS / "portrait-11-offline.png").exists()
