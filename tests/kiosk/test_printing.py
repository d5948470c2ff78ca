"""Printing through ``printers`` on a virtual serial port, and the printer state reported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.forms import Unit
from kiosk.journey import TicketInfo
from kiosk.printing import TicketPrinting, ticket_content
from tests.kiosk.helpers import PAPER_OUT, SerialPrinter
from tests.kiosk.test_outbox import make_core, register, wait_until

TICKET = TicketInfo(
    ticket_id=1,
    number="K007",
    service_id=2,
    people_ahead=2,
    estimated_wait_minutes=14,
    tracking_url="http://127.0.0.1:8000/t/abc",
    priority=True,
    issued_at=dt.datetime(
        2026, 11, 23, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))
    ).isoformat(),
)
UNIT = Unit(
    name="BPS Kabupaten Belitung Timur",
    address="Jl. Raya Manggarawan",
    complaint_channels=("lapor.go.id",),
)


def test_ticket_content_has_no_personal_data():
    content = ticket_content(TICKET, "Konsultasi Statistik", UNIT, "id")
    assert content.number == "K007" and content.priority is True
    assert content.issued_at.utcoffset() == dt.timedelta(hours=7)
    assert content.issued_at.tzname() == "WIB"
    utc = TicketInfo(**{**vars(TICKET), "issued_at": "2026-11-23T02:30:00+00:00"})
    local = ticket_content(utc, "K", UNIT, "id").issued_at
    assert (local.hour, local.tzname()) == (9, "WIB")
    assert not {"name", "email", "phone", "id_number"} & set(vars(content))


def test_prints_on_a_serial_printer():
    printer = SerialPrinter()
    try:
        printing = TicketPrinting(printer.url, timeout=5)
        outcome = printing.print_ticket(ticket_content(TICKET, "Konsultasi", UNIT, "id"))
        assert outcome.ok, outcome.staff_message
        assert printer.wait_for(b"K007")
        assert outcome.printer_state == {"online": True, "paper": "ok", "error": None}
        assert printing.last_state == outcome.printer_state
    finally:
        printer.close()


def test_paper_out_is_reported_not_printed():
    printer = SerialPrinter(PAPER_OUT)
    try:
        outcome = TicketPrinting(printer.url, timeout=5).print_ticket(
            ticket_content(TICKET, "Konsultasi", UNIT, "id")
        )
    finally:
        printer.close()
    assert not outcome.ok
    assert outcome.printer_state["paper"] == "out"
    assert "paper" in (outcome.staff_message or "").lower()
    assert b"K007" not in printer.received


def test_unreachable_printer_and_bad_url_never_raise(tmp_path: Path):
    gone = TicketPrinting(f"serial://{tmp_path}/no-such-tty", timeout=2)
    outcome = gone.print_ticket(ticket_content(TICKET, "K", UNIT, "id"))
    assert not outcome.ok and outcome.printer_state["online"] is False
    bad = TicketPrinting("carrier-pigeon://", timeout=2)
    assert not bad.print_ticket(ticket_content(TICKET, "K", UNIT, "id")).ok


def test_preview_png():
    png = TicketPrinting.preview(ticket_content(TICKET, "Konsultasi", UNIT, "en"))
    assert png.startswith(b"\x89PNG")


def test_paper_out_heartbeat_reaches_the_server(live_server, tmp_path: Path):
    printer = SerialPrinter(PAPER_OUT)
    try:
        core, worker = make_core(live_server, tmp_path)
        core.printing = TicketPrinting(printer.url, timeout=5)
        register(core, worker, 21)
        wait_until(worker, lambda: core.print_state == "failed")
        assert core.journey.ticket is not None  # the ticket is still there to show
        core.worker._pool.shutdown(wait=True)  # let the heartbeat finish
    finally:
        printer.close()
    kiosk = next(d for d in live_server.devices() if d["kind"] == "kiosk")
    assert kiosk["printer"]["paper"] == "out"
