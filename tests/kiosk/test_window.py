"""The real kiosk window, driven by real touch input, against a live HTTP server
and a printer on a virtual serial port.

Each scenario runs in its own process (one Kivy window per process) through
``tests.kiosk.kiosk_driver``. Screenshots of every screen, in portrait and in
landscape, land in ``artifacts/kiosk/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.kiosk.helpers import PAPER_OUT, SHOTS, SerialPrinter, run_driver
from tests.kiosk.standin_server import NIK_KNOWN, TOKEN, StandinServer

ANSWERS = {
    "name": "Budi Santoso",
    "institution": "Dinas Pendidikan",
    "email": "budi@gmail.com",
    "phone": "081234567890",
    "purpose": "Data kemiskinan 2025",
}


@pytest.fixture
def server():
    standin = StandinServer().start()
    yield standin
    standin.stop()


@pytest.fixture
def printer():
    device = SerialPrinter()
    yield device
    device.close()


def settings(server, printer, tmp_path: Path, orientation: str, **extra) -> dict:
    return {
        "server_url": server.url,
        "device_token": TOKEN,
        "printer_url": printer.url,
        "orientation": orientation,
        "data_dir": str(tmp_path / "kiosk"),
        "print_timeout_seconds": 8,
        **extra,
    }


def test_returning_visitor_portrait(server, printer, tmp_path):
    summary = run_driver(
        {
            "scenario": "full",
            "shot_prefix": "portrait-",
            "settings": settings(server, printer, tmp_path, "portrait"),
            "lookup_nik": NIK_KNOWN,
            "answers": ANSWERS,
            "priority_index": 2,  # lansia 60+
            "email_copy": True,
            "reprint": True,
        },
        tmp_path,
    )
    number = summary["ticket_number"]
    assert number == "B001"
    assert summary["print_state"] == "printed"
    assert summary["reprint_state"] == "printed"
    assert printer.wait_for(number.encode())
    assert printer.received.count(number.encode()) >= 2  # printed and reprinted
    # the server has exactly one registration, as typed on screen
    state = server.state
    assert len(state.registrations) == 1
    body = next(iter(state.registrations.values()))["body"]
    assert body["returning_visitor_id"] == 7
    assert body["consent"] == {
        "notice_version": "2026-11",
        "accepted": True,
        "photo_accepted": False,
    }
    assert body["service_id"] == 2
    assert body["priority"] is True and body["priority_reason"] == "elderly"
    assert body["email_copy"] is True
    visitor = body["visitor"]
    assert visitor["name"] == "Budi Santoso"
    assert visitor["email"] == "budi@gmail.com"
    assert visitor["phone"] == "081234567890"
    assert visitor["sex"] == "M" and visitor["institution_category"] == "gov"  # prefilled
    assert visitor["id_type"] == "ktp" and visitor["id_number"] == NIK_KNOWN
    # a successful print is reported as a healthy printer
    assert {"online": True, "paper": "ok", "error": None} in [
        h["printer"] for h in state.heartbeats
    ]
    # nothing typed is left in the kiosk
    assert summary["values_after"] == {}
    for name in (
        "01-welcome",
        "02-consent",
        "03-service",
        "05-returning-found",
        "07-identity",
        "08-priority",
        "09-ticket",
    ):
        assert (SHOTS / f"portrait-{name}.png").stat().st_size > 10_000


def test_first_visit_landscape_paper_out_and_idle(server, tmp_path):
    printer = SerialPrinter(PAPER_OUT)
    try:
        summary = run_driver(
            {
                "scenario": "full",
                "shot_prefix": "landscape-",
                "settings": settings(
                    server,
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
    assert (
        summary["inline_error"]
        == "Tanggal lahir dalam NIK tidak valid. Periksa angka ke-7 sampai ke-12."
    )
    # paper out: the ticket is still shown with a plain message, and staff are alerted
    assert summary["ticket_number"] == "B001"
    assert summary["print_state"] == "failed"
    assert "Tiket tidak dapat dicetak" in summary["print_text"]
    assert summary["ticket_number"].encode() not in printer.received
    printers = [h["printer"] for h in server.state.heartbeats]
    assert any(p and p["paper"] == "out" and p["error"] for p in printers)
    # declining stored nothing; the second journey registered once
    assert len(server.state.registrations) == 1
    body = next(iter(server.state.registrations.values()))["body"]
    assert body["returning_visitor_id"] is None
    assert body["visitor"]["id_number"] == "1906015203990002"
    assert body["visitor"]["email"] == "siti@bps.go.id"
    assert body["priority"] is False
    # the idle prompt appeared, then everything typed was wiped
    assert "10-idle-prompt" in summary["screens"]
    assert summary["idle_values_after"] == {}
    assert (SHOTS / "landscape-02-declined.png").exists()
