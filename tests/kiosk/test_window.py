"""The real kiosk window, driven by real touch input, against the live Loket server
and a printer on a virtual serial port.

Each scenario runs in its own process (one Kivy window per process) through
``tests.kiosk.kiosk_driver``. Screenshots of every screen, in portrait and in
landscape, land in ``artifacts/kiosk/``. The server's state is checked through
its own API (visits, queue, devices) and its database, the printer's through
the bytes that arrived on the serial port. The journey: a service tile, the
privacy notice, the ID (a NIK or a passport tells sex and age group and finds
a returning visitor), the remaining questions or a one-screen summary, and one
tap for the ticket.
"""

from __future__ import annotations

import re
import subprocess
import uuid
from pathlib import Path
from typing import Any

import serial
import sqlalchemy as sa

from server.cli.common import open_database
from server.db.privacy_schema import visits
from tests.kiosk.helpers import PAPER_OUT, SHOTS, SerialPrinter, run_driver
from tests.live import LiveServer

SITI_NIK = "1906015203990002"  # a woman born 12-03-1999
BUDI_NIK = "1906011203850001"  # a man born 12-03-1985
RINA_NIK = "1906014505010003"
MRZ_L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
MRZ_L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"  # a woman born 12-08-1974
ANSWERS = {
    "name": "siti aminah",  # typed in small letters; shown and stored as "Siti Aminah"
    "education": "d4_s1",
    "occupation": "pegawai_swasta",
    "institution": "unair",
    "institution_category": "lembaga_penelitian_pendidikan",
    "purpose": "penelitian",
    "disability": "no",
    "email": "siti@gmail.com",
    "phone": "08123456789",
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


def seed_visitor(server: LiveServer, nik: str, **visitor: Any) -> int:
    """An earlier visit, registered through the API as a kiosk would."""
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
                "age_group": "35_44",
                "education": "d4_s1",
                "occupation": "asn_tni_polri",
                "institution": "Dinas Pendidikan",
                "institution_category": "pemerintah_daerah",
                "email": "budi@gmail.com",
                "phone": "081234567890",
                "id_type": "ktp",
                "id_number": nik,
                "purpose": "penelitian",
                "disability": "no",
                **visitor,
            },
        }
        r = c.post("/registrations", json=body)
        assert r.status_code == 201, r.text
        return int(r.json()["visitor_id"])


def kiosk_device(server: LiveServer) -> dict[str, Any]:
    return next(d for d in server.devices() if d["kind"] == "kiosk")


def visit_row(server: LiveServer, number: str) -> dict[str, Any]:
    """The stored visit of a ticket, read from the server's own database."""
    visit = next(v for v in server.visits_today() if v["ticket_number"] == number)
    db = open_database(server.settings)
    try:
        with db.read() as conn:
            row = conn.execute(sa.select(visits).where(visits.c.id == visit["id"])).mappings()
            return {**dict(row.one()), "api": visit}
    finally:
        db.dispose()


def reveal(server: LiveServer, visitor_id: int, field: str) -> str:
    with server.client(server.login()) as c:
        r = c.post(f"/visitors/{visitor_id}/reveal", json={"field": field, "reason": "uji kios"})
        assert r.status_code == 200, r.text
        return str(r.json()["value"])


def test_first_visit_with_ktp_portrait(
    live_server: LiveServer, printer: SerialPrinter, tmp_path: Path
):
    summary = run_driver(
        {
            "scenario": "full",
            "shot_prefix": "portrait-",
            "settings": kiosk_settings(live_server, printer, tmp_path, "portrait"),
            "service_index": 2,  # Penjualan Produk Statistik: nobody waits yet
            "id_number": SITI_NIK,
            "answers": ANSWERS,
        },
        tmp_path,
    )
    number = summary["ticket_number"]
    assert number.startswith("J")
    assert summary["print_state"] == "printed"
    assert printer.wait_for(number.encode())
    assert b"Segera dilayani" in printer.received  # never "0 menit"
    assert summary["ticket_wait"] == "Segera dilayani"
    assert summary["ticket_position"] == "Tidak ada antrean di depan Anda"
    # sex and age group came from the NIK: never asked
    screens = summary["counts"]["screens"]
    assert not any("sex" in s or "age_group" in s for s in screens), screens
    assert "guestbook:institution+institution_category" in screens
    # the stored visit: categories from the NIK and the tiles, the name capitalised
    visit = visit_row(live_server, number)
    assert visit["sex"] == "female" and visit["age_group"] == "26_34"
    assert visit["education"] == "d4_s1" and visit["purpose"] == "penelitian"
    assert visit["institution_category"] == "lembaga_penelitian_pendidikan"
    assert visit["disability"] == "no" and visit["disability_kind"] is None
    assert visit["api"]["visitor"]["masked"]["name"] == "Siti A."
    assert reveal(live_server, visit["visitor_id"], "name") == "Siti Aminah"
    assert visit["api"]["visitor"]["institution"] == "unair"  # only names are capitalised
    waiting = [t for s in live_server.queue()["services"] for t in s["waiting"]]
    ticket = next(t for t in waiting if t["number"] == number)
    assert ticket["priority"] is False
    # the e-mail copy box is not offered: this server does not send e-mail
    assert summary["values_after"] == {}
    counts = summary["counts"]
    assert counts["taps"] <= 12, counts
    assert min(summary["smallest_targets"].values()) >= 64, summary["smallest_targets"]
    for name in ("01-welcome", "01-welcome-en", "02-consent", "03-identity", "06-priority"):
        assert (SHOTS / f"portrait-{name}.png").stat().st_size > 10_000


def test_returning_visitor_landscape(
    live_server: LiveServer, printer: SerialPrinter, tmp_path: Path
):
    visitor_id = seed_visitor(live_server, BUDI_NIK)
    summary = run_driver(
        {
            "scenario": "full",
            "shot_prefix": "landscape-",
            "settings": kiosk_settings(live_server, printer, tmp_path, "landscape"),
            "service_index": 1,  # Konsultasi Statistik
            "id_number": BUDI_NIK,
            "priority_index": 1,  # lanjut usia
            "answers": {"purpose": "pemerintahan"},
            "reprint": True,
        },
        tmp_path,
    )
    # one summary screen, masked, then straight to the ticket
    rows = dict(summary["summary_rows"])
    assert rows["name"] == "Budi S."  # the look-up gives only the masked name
    assert "email" not in rows and "phone" not in rows
    assert rows["sex"] == "Laki-laki"
    counts = summary["counts"]
    # only the main use of the data is asked again (it belongs to each visit)
    assert counts["screens"] == [
        "welcome", "consent", "identity", "summary", "guestbook:purpose", "priority",
    ]  # fmt: skip
    assert counts["taps"] <= 6, counts
    number = summary["ticket_number"]
    assert number.startswith("K")
    assert summary["print_state"] == "printed" and summary["reprint_state"] == "printed"
    assert printer.wait_for(number.encode())
    assert printer.received.count(number.encode()) >= 2  # printed, then reprinted
    visit = visit_row(live_server, number)
    assert visit["visitor_id"] == visitor_id
    assert visit["sex"] == "male" and visit["institution_category"] == "pemerintah_daerah"
    assert visit["age_group"] == "35_44"  # from the NIK, today
    # the record kept its name and e-mail: nothing was typed but the NIK
    assert reveal(live_server, visitor_id, "name") == "Budi Santoso"
    assert reveal(live_server, visitor_id, "email") == "budi@gmail.com"
    waiting = [t for s in live_server.queue()["services"] for t in s["waiting"]]
    ticket = next(t for t in waiting if t["number"] == number)
    assert ticket["priority"] is True and ticket["priority_reason"] == "elderly"
    assert kiosk_device(live_server)["printer"] == {"online": True, "paper": "ok", "error": None}
    assert summary["values_after"] == {}
    assert min(summary["smallest_targets"].values()) >= 64, summary["smallest_targets"]
    assert (SHOTS / "landscape-04-summary.png").stat().st_size > 10_000


def test_passport_from_the_mrz_scanner_landscape(
    live_server: LiveServer, printer: SerialPrinter, tmp_path: Path
):
    socat = subprocess.Popen(
        ["socat", "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"], stderr=subprocess.PIPE, text=True
    )
    try:
        paths: list[str] = []
        assert socat.stderr is not None
        while len(paths) < 2:
            found = re.search(r"PTY is (\S+)", socat.stderr.readline())
            if found:
                paths.append(found.group(1))

        def scan() -> None:
            with serial.Serial(paths[1], 9600) as scanner:
                scanner.write(f"{MRZ_L1}\r\n{MRZ_L2}\r\n".encode())

        summary = run_driver(
            {
                "scenario": "full",
                "shot_prefix": "landscape-passport-",
                "settings": kiosk_settings(
                    live_server, printer, tmp_path, "landscape", scanner_port=paths[0]
                ),
                "skip_language": True,
                "service_index": 3,  # recommendation: the e-mail is asked as required
                "id_type": "passport",
                "scan_mrz": True,
                "answers": {**ANSWERS, "name": "anna maria eriksson", "email": "anna@yahoo.com"},
            },
            tmp_path,
            hooks={"scan_mrz": scan},
        )
    finally:
        socat.terminate()
        socat.wait(5)
    assert summary["scan_feedback"] == "Paspor berhasil dibaca"
    screens = summary["counts"]["screens"]
    assert not any("sex" in s or "age_group" in s for s in screens), screens
    number = summary["ticket_number"]
    assert number.startswith("R") and printer.wait_for(number.encode())
    visit = visit_row(live_server, number)
    assert visit["id_type"] == "passport"
    assert visit["sex"] == "female" and visit["age_group"] == "45_54"
    assert reveal(live_server, visit["visitor_id"], "id_number") == "L898902C3"
    assert reveal(live_server, visit["visitor_id"], "name") == "Anna Maria Eriksson"
    assert (SHOTS / "landscape-passport-03-identity-passport.png").exists()


def test_nik_contradicting_a_corrected_sex_portrait(
    live_server: LiveServer, printer: SerialPrinter, tmp_path: Path
):
    nik = "1906011506800004"  # a man born 15-06-1980
    seed_visitor(live_server, nik, name="Andi Wijaya", email=None, age_group="45_54")
    summary = run_driver(
        {
            "scenario": "full",
            "shot_prefix": "portrait-returning-",
            "settings": kiosk_settings(live_server, printer, tmp_path, "portrait"),
            "skip_language": True,
            "service_index": 0,
            "id_number": nik,
            "correct_sex": "female",
        },
        tmp_path,
    )
    assert summary["contradiction_error"] == (
        "Jenis kelamin ini tidak sesuai dengan NIK Anda. "
        "Periksa pilihan Anda, atau kembali dan periksa NIK."
    )
    assert summary["step_after_contradiction"] == "guestbook"  # it did not move on
    number = summary["ticket_number"]
    assert printer.wait_for(number.encode())
    visit = visit_row(live_server, number)
    assert visit["sex"] == "male" and visit["age_group"] == "45_54"
    assert (SHOTS / "portrait-returning-04-summary.png").exists()
    assert (SHOTS / "portrait-returning-07-contradiction.png").exists()


def test_first_visit_landscape_paper_out_and_idle(live_server: LiveServer, tmp_path: Path):
    printer = SerialPrinter(PAPER_OUT)
    visits_before = len(live_server.visits_today())
    try:
        summary = run_driver(
            {
                "scenario": "full",
                "shot_prefix": "landscape-",
                "settings": kiosk_settings(live_server, printer, tmp_path, "landscape"),
                "skip_language": True,
                "decline_first": True,
                "service_index": 1,
                "answers": {**ANSWERS, "name": "rina wati", "email": "rina@bps.go.id"},
                "id_number_wrong": "1906013203850001",  # day 32
                "id_number": RINA_NIK,
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
    visits_now = live_server.visits_today()
    assert len(visits_now) == visits_before + 1
    visit = next(v for v in visits_now if v["ticket_number"] == number)
    assert visit["id_type"] == "ktp" and visit["sex"] == "female"
    # idle timeout (a run of its own): the prompt appeared, then everything typed was wiped
    idle_printer = SerialPrinter()
    try:
        idle = run_driver(
            {
                "scenario": "idle",
                "shot_prefix": "landscape-idle-",
                "settings": kiosk_settings(
                    live_server,
                    idle_printer,
                    tmp_path,
                    "landscape",
                    idle_timeout_seconds=5,
                    idle_grace_seconds=2,
                ),
                "id_number": "1906014505010004",
            },
            tmp_path,
        )
    finally:
        idle_printer.close()
    assert "10-idle-prompt" in idle["screens"]
    assert idle["idle_values_after"] == {}
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
            "id_number": "1906014505010005",
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
