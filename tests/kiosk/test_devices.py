"""The MRZ scanner on a virtual serial port, the idle rule, settings and the CLI options."""

from __future__ import annotations

import argparse
import queue
import time

import pytest
import serial

from kiosk.cli import add_kiosk_arguments, settings_from_args
from kiosk.idle import IdleState, IdleWatch
from kiosk.scanner import MrzAssembler, MrzReader, QrReader
from kiosk.settings import KioskSettings, SettingsError
from server.domain.identity import IdentityError, MrzInfo
from tests.kiosk.helpers import PtyPair

L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


@pytest.mark.parametrize("ending", [b"\r\n", b"\r", b"\n"])
def test_assembler_pairs_lines_with_any_line_ending(ending: bytes):
    assembler = MrzAssembler()
    data = L1.encode() + ending + L2.encode() + ending
    pairs = []
    for i in range(0, len(data), 7):  # arrives in small chunks
        pairs += assembler.feed(data[i : i + 7])
    assert pairs == [(L1, L2)]


def test_assembler_reports_a_stray_line():
    assert MrzAssembler().feed(b"HELLO\r\n") == [("", "HELLO")]


def test_scanner_reads_a_passport_from_a_serial_port():
    pty = PtyPair()
    try:
        results: queue.Queue = queue.Queue()
        reader = MrzReader(pty.app_end, results.put, baudrate=9600)
        reader.start()
        time.sleep(0.3)
        with serial.Serial(pty.test_end, 9600) as scanner:
            scanner.write(f"{L1}\r\n{L2}\r\n".encode())
            bad = L2[:9] + "7" + L2[10:]
            scanner.write(f"{L1}\r\n{bad}\r\n".encode())
        good = results.get(timeout=5)
        assert isinstance(good, MrzInfo) and good.document_number == "L898902C3"
        wrong = results.get(timeout=5)
        assert isinstance(wrong, IdentityError) and wrong.code == "mrz_doc_check"
        reader.stop()
    finally:
        pty.close()


def test_the_same_read_loop_reads_ticket_qr_codes_for_the_rating_terminal():
    pty = PtyPair()
    try:
        results: queue.Queue = queue.Queue()
        reader = QrReader(pty.app_end, results.put, baudrate=9600)
        reader.start()
        time.sleep(0.3)
        token = "AbCdEfGh12345678_-xy"
        with serial.Serial(pty.test_end, 9600) as scanner:
            scanner.write(f"https://pst.example/t/{token}\r".encode())
            scanner.write(b"\n4006381333931\n")  # a product barcode: not a ticket
        assert results.get(timeout=5) == token
        assert results.get(timeout=5) is None
        reader.stop()
    finally:
        pty.close()


def test_idle_watch():
    watch = IdleWatch(timeout=60, grace=15, now=0)
    assert watch.state(59, journey_active=True) == IdleState.ACTIVE
    assert watch.state(60, journey_active=True) == IdleState.WARN
    assert watch.seconds_left(62) == 13
    assert watch.state(75, journey_active=True) == IdleState.EXPIRE
    assert watch.state(500, journey_active=False) == IdleState.ACTIVE  # welcome screen
    watch.touched(70)
    assert watch.state(75, journey_active=True) == IdleState.ACTIVE


def test_settings_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LOKET_KIOSK_SERVER_URL", "http://pst.local:8000/")
    monkeypatch.setenv("LOKET_KIOSK_ORIENTATION", "landscape")
    monkeypatch.setenv("LOKET_KIOSK_CAMERA", "true")
    monkeypatch.setenv("LOKET_KIOSK_LANGUAGE", "EN")
    monkeypatch.setenv("LOKET_KIOSK_DATA_DIR", str(tmp_path))
    settings = KioskSettings()
    assert settings.server_url == "http://pst.local:8000"
    assert settings.window_size == (1920, 1080)
    assert settings.camera is True and settings.language == "en"
    assert settings.resolved_printer_url == f"preview://{tmp_path.resolve()}/tickets"
    assert settings.idle_timeout_seconds == 60


def test_cli_options_override_the_environment(monkeypatch):
    monkeypatch.setenv("LOKET_KIOSK_SERVER_URL", "http://from-env:8000")
    parser = add_kiosk_arguments(argparse.ArgumentParser())
    args = parser.parse_args(
        [
            "--server",
            "http://127.0.0.1:9000",
            "--token",
            "tok",
            "--printer",
            "network://10.0.0.5:9100",
            "--scanner-port",
            "/dev/ttyACM0",
            "--camera",
            "--orientation",
            "landscape",
            "--lang",
            "en",
        ]
    )
    settings = settings_from_args(args)
    assert settings.server_url == "http://127.0.0.1:9000"
    assert settings.device_token == "tok"
    assert settings.printer_url == "network://10.0.0.5:9100"
    assert settings.scanner_port == "/dev/ttyACM0"
    assert settings.camera is True and settings.orientation == "landscape"
    assert settings_from_args(parser.parse_args(["--no-camera"])).camera is False
    assert settings_from_args(parser.parse_args([])).server_url == "http://from-env:8000"
    help_text = parser.format_help()
    for option in (
        "--server",
        "--token",
        "--printer",
        "--scanner-port",
        "--camera",
        "--no-camera",
        "--orientation",
        "--lang",
    ):
        assert option in help_text


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ORIENTATION", "sideways"),
        ("CAMERA", "maybe"),
        ("IDLE_TIMEOUT_SECONDS", "0"),
        ("SCANNER_BAUDRATE", "fast"),
    ],
)
def test_bad_settings_are_refused(monkeypatch, name, value):
    monkeypatch.setenv(f"LOKET_KIOSK_{name}", value)
    with pytest.raises(SettingsError) as info:
        KioskSettings()
    assert name in str(info.value) and value not in str(info.value).replace(name, "")


def test_unknown_setting_and_token_not_in_repr():
    with pytest.raises(TypeError):
        KioskSettings(printer="x")
    assert "secret-token" not in repr(KioskSettings(device_token="secret-token"))
