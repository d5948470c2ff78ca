"""Printing through real channels: a socat serial pair, TCP, files, previews."""

from __future__ import annotations

import io
import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from printers import (
    PrinterBackendMissing,
    PrinterCoverOpen,
    PrinterError,
    PrinterNotConnected,
    PrinterPaperOut,
    PrinterTimeout,
    TicketContent,
    open_printer,
    render_escpos,
)
from tests.printers.conftest import TRACKING_URL, read_ticket
from tests.printers.fakes import (
    COVER_OPEN,
    PAPER_NEAR_END,
    PAPER_OUT,
    QUERIES,
    NetworkPrinter,
    SerialPeer,
    SocatPair,
    wait_until,
)

NetworkFactory = Callable[..., NetworkPrinter]


def _serial_url(pair: SocatPair, **options: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"baudrate": "19200", **options}.items())
    return f"serial://{pair.printer_side}?{query}"


# --- serial --------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["58mm", "80mm"])
def test_serial_prints_exact_bytes_between_status_checks(
    socat_pair: SocatPair, content: TicketContent, paper: str
) -> None:
    peer = SerialPeer(socat_pair)
    peer.start()
    printer = open_printer(_serial_url(socat_pair), timeout=2, paper=paper)
    result = printer.print_ticket(content)
    ticket = render_escpos(content, paper=paper)
    expected = QUERIES + ticket + QUERIES
    assert wait_until(lambda: len(peer.received) >= len(expected))
    peer.stop()
    assert peer.received == expected
    assert result.bytes_sent == len(ticket) and result.preview_path is None
    printout = read_ticket(peer.received[len(QUERIES) : -len(QUERIES)], paper=paper)
    assert printout.qr_payloads == [TRACKING_URL.encode()]
    assert "R007" in printout.lines


def test_serial_paper_out_refuses_to_print(socat_pair: SocatPair, content: TicketContent) -> None:
    peer = SerialPeer(socat_pair, answers=PAPER_OUT)
    peer.start()
    printer = open_printer(_serial_url(socat_pair), timeout=2)
    with pytest.raises(PrinterPaperOut) as caught:
        printer.print_ticket(content)
    assert "paper" in caught.value.message_for_staff
    status = printer.status()
    time.sleep(0.1)
    peer.stop()
    assert (status.online, status.paper) == (False, "out")
    assert peer.received == QUERIES + QUERIES  # only questions, never the ticket


def test_serial_cover_open(socat_pair: SocatPair, content: TicketContent) -> None:
    peer = SerialPeer(socat_pair, answers=COVER_OPEN)
    peer.start()
    with pytest.raises(PrinterCoverOpen):
        open_printer(_serial_url(socat_pair), timeout=2).print_ticket(content)
    peer.stop()


def test_serial_printer_that_never_answers_times_out(
    socat_pair: SocatPair, content: TicketContent
) -> None:
    peer = SerialPeer(socat_pair, answers=None)
    peer.start()
    printer = open_printer(_serial_url(socat_pair), timeout=0.5)
    started = time.monotonic()
    with pytest.raises(PrinterTimeout):
        printer.print_ticket(content)
    assert time.monotonic() - started < 2
    status = printer.status()
    peer.stop()
    assert not status.online and status.error is not None


def test_serial_unplugged_mid_ticket(socat_pair: SocatPair, content: TicketContent) -> None:
    # a raster ticket is ~10 KB; the "printer" goes away after the first 1 KB
    peer = SerialPeer(socat_pair, unplug_after=1024)
    peer.start()
    printer = open_printer(_serial_url(socat_pair, profile="POS-5890"), timeout=1)
    started = time.monotonic()
    with pytest.raises(PrinterNotConnected) as caught:
        printer.print_ticket(content)
    assert time.monotonic() - started < 3
    assert "Lost the connection" in caught.value.message_for_staff
    peer.stop()


def test_serial_device_missing(tmp_path: Path, content: TicketContent) -> None:
    printer = open_printer(f"serial://{tmp_path}/ttyUSB9", timeout=1)
    with pytest.raises(PrinterNotConnected):
        printer.print_ticket(content)
    assert printer.status().online is False


# --- network -------------------------------------------------------------------------


def test_network_prints_exact_bytes(
    network_printer: NetworkFactory, content: TicketContent
) -> None:
    fake = network_printer()
    result = open_printer(fake.url, timeout=2).print_ticket(content)
    ticket = render_escpos(content, paper="80mm")
    assert wait_until(lambda: len(fake.received) >= len(ticket) + 2 * len(QUERIES))
    assert fake.received == QUERIES + ticket + QUERIES
    assert result.bytes_sent == len(ticket)


def test_network_status_off_sends_only_the_ticket(
    network_printer: NetworkFactory, content: TicketContent
) -> None:
    fake = network_printer(answers=None)
    open_printer(fake.url + "?status=off&paper=58mm", timeout=1).print_ticket(content)
    ticket = render_escpos(content, paper="58mm")
    assert wait_until(lambda: len(fake.received) >= len(ticket))
    assert fake.received == ticket


def test_network_paper_out_and_near_end(
    network_printer: NetworkFactory, content: TicketContent
) -> None:
    empty = network_printer(answers=PAPER_OUT)
    with pytest.raises(PrinterPaperOut):
        open_printer(empty.url, timeout=2).print_ticket(content)
    assert empty.received == QUERIES
    low = network_printer(answers=PAPER_NEAR_END)
    printer = open_printer(low.url, timeout=2)
    printer.print_ticket(content)
    assert printer.status().paper == "near_end"


def test_network_listener_that_never_answers_times_out(
    network_printer: NetworkFactory, content: TicketContent
) -> None:
    fake = network_printer(mode="silent")
    printer = open_printer(fake.url, timeout=1)
    started = time.monotonic()
    with pytest.raises(PrinterTimeout) as caught:
        printer.print_ticket(content)
    assert time.monotonic() - started < 3
    assert "respond" in caught.value.message_for_staff or "answer" in caught.value.message_for_staff
    assert fake.connections == 1


def test_network_connection_refused(content: TicketContent) -> None:
    probe = NetworkPrinter()
    url = probe.url
    probe.stop()  # nothing listens on this port any more
    printer = open_printer(url, timeout=1)
    with pytest.raises(PrinterNotConnected) as caught:
        printer.print_ticket(content)
    assert "127.0.0.1" in caught.value.message_for_staff
    status = printer.status()
    assert not status.online and status.error == caught.value.message_for_staff


def test_network_peer_hangs_up_mid_ticket(
    network_printer: NetworkFactory, content: TicketContent
) -> None:
    fake = network_printer(mode="hang_up", hang_up_after=len(QUERIES) + 100)
    with pytest.raises(PrinterNotConnected) as caught:
        open_printer(fake.url, timeout=1).print_ticket(content)
    assert "Lost the connection" in caught.value.message_for_staff
    assert len(QUERIES) < len(fake.received) < len(render_escpos(content)) + len(QUERIES)


# --- file, preview, usb --------------------------------------------------------------


def test_file_printer_writes_exact_bytes(tmp_path: Path, content: TicketContent) -> None:
    target = tmp_path / "lp0"
    printer = open_printer(f"file://{target}?paper=58mm")
    assert printer.status().online
    result = printer.print_ticket(content)
    assert target.read_bytes() == render_escpos(content, paper="58mm")
    assert result.bytes_sent == target.stat().st_size


def test_file_printer_missing_folder(tmp_path: Path, content: TicketContent) -> None:
    printer = open_printer(f"file://{tmp_path}/missing/lp0")
    assert printer.status().online is False
    with pytest.raises(PrinterNotConnected):
        printer.print_ticket(content)


def test_file_printer_that_blocks_times_out(tmp_path: Path, content: TicketContent) -> None:
    fifo = tmp_path / "stuck"
    os.mkfifo(fifo)  # opening it for writing blocks until a reader comes: a hung device
    printer = open_printer(f"file://{fifo}", timeout=0.5)
    started = time.monotonic()
    with pytest.raises(PrinterTimeout):
        printer.print_ticket(content)
    assert time.monotonic() - started < 2
    # release the worker thread
    reader = threading.Thread(target=lambda: fifo.read_bytes(), daemon=True)
    reader.start()
    reader.join(2)


def test_preview_printer_writes_a_scannable_png(tmp_path: Path, content: TicketContent) -> None:
    printer = open_printer(f"preview://{tmp_path}/out", paper="58mm")
    result = printer.print_ticket(content)
    assert result.preview_path is not None and result.preview_path.parent == tmp_path / "out"
    image = Image.open(io.BytesIO(result.preview_path.read_bytes()))
    assert image.width == 384
    assert [s.data.decode() for s in decode(image)] == [TRACKING_URL]
    zbar = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(result.preview_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert zbar.stdout.strip() == TRACKING_URL
    assert printer.status().online


def test_usb_without_pyusb_or_device_is_a_typed_error(content: TicketContent) -> None:
    try:
        import usb.core  # noqa: F401
    except ImportError:
        with pytest.raises(PrinterBackendMissing) as caught:
            open_printer("usb://04b8:0202")
        assert "pyusb" in caught.value.message_for_staff
        return
    # pyusb present: no such device on this machine (or no libusb backend)
    with pytest.raises(PrinterError):
        open_printer("usb://04b8:0202", timeout=1).print_ticket(content)
