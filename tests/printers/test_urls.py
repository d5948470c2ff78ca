"""Printer URLs parse into typed settings; bad ones give PrinterConfigError."""

from __future__ import annotations

import pytest

from printers import PrinterConfigError, open_printer
from printers.profiles import resolve_spec
from printers.urls import baudrate, flow_control, parse_printer_url, usb_endpoints, usb_ids


def test_serial_url() -> None:
    url = parse_printer_url("serial:///dev/ttyUSB0?baudrate=19200&paper=58mm&flow=rtscts")
    assert (url.scheme, url.target, url.paper) == ("serial", "/dev/ttyUSB0", "58mm")
    assert baudrate(url) == 19200 and flow_control(url) == "rtscts"


def test_network_url_defaults_to_port_9100() -> None:
    url = parse_printer_url("network://192.168.1.50")
    assert (url.target, url.port, url.ask_status) == ("192.168.1.50", 9100, True)
    assert parse_printer_url("network://printer.local:9101?status=off").port == 9101
    assert parse_printer_url("network://printer.local:9101?status=off").ask_status is False


def test_usb_url_is_hex() -> None:
    url = parse_printer_url("usb://04b8:0e15?out_ep=0x03")
    assert usb_ids(url) == (0x04B8, 0x0E15)
    assert usb_endpoints(url) == (0x82, 0x03)


def test_file_and_preview_urls() -> None:
    assert parse_printer_url("file:///dev/usb/lp0").target == "/dev/usb/lp0"
    assert parse_printer_url("preview://tickets/out").target == "tickets/out"
    url = parse_printer_url("preview:///tmp/x?profile=TM-T88V")
    assert (url.target, url.profile) == ("/tmp/x", "TM-T88V")


@pytest.mark.parametrize(
    "bad",
    [
        "lpt://1",
        "/dev/usb/lp0",
        "usb://04b8",
        "usb://zzzz:0202",
        "network://",
        "network://host:notaport",
        "file://",
        "serial:///dev/ttyS0?flow=magic",
        "network://host?status=maybe",
    ],
)
def test_bad_urls(bad: str) -> None:
    with pytest.raises(PrinterConfigError):
        url = parse_printer_url(bad)
        flow_control(url)


def test_bad_paper_and_profile() -> None:
    with pytest.raises(PrinterConfigError):
        open_printer("preview:///tmp/loket-x", paper="110mm")
    with pytest.raises(PrinterConfigError):
        open_printer("network://127.0.0.1?profile=NoSuchPrinter")
    with pytest.raises(PrinterConfigError):
        open_printer("network://127.0.0.1", timeout=0)


def test_paper_names_are_forgiving() -> None:
    assert resolve_spec("58").paper == "58mm"
    assert resolve_spec(" 80 MM ").pixel_width == 576
    assert resolve_spec(None, "TM-T88V").pixel_width == 512
