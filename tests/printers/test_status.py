"""Status bytes from the ESC/POS spec (DLE EOT 1, 2, 4) become PrinterStatus."""

from __future__ import annotations

import pytest
from escpos.printer import Dummy

from printers import PrinterCoverOpen, PrinterNotConnected, PrinterPaperOut
from printers.status import check_printable, parse_status


def test_quiet_printer_is_online_with_paper() -> None:
    status = parse_status(0x12, 0x12, 0x12)
    assert (status.online, status.paper, status.cover_open, status.error) == (
        True,
        "ok",
        False,
        None,
    )
    check_printable(status)


def test_paper_near_end_still_prints() -> None:
    status = parse_status(0x12, 0x12, 0x1E)  # bits 2-3 of DLE EOT 4
    assert status.paper == "near_end" and status.error is None
    check_printable(status)


def test_paper_out() -> None:
    # offline (bit 3), stopped by paper end (bit 5 of n=2), no paper (bits 5-6 of n=4)
    status = parse_status(0x1A, 0x32, 0x72)
    assert not status.online and status.paper == "out"
    assert status.error is not None and "paper" in status.error
    with pytest.raises(PrinterPaperOut):
        check_printable(status)


def test_paper_out_seen_from_offline_cause_alone() -> None:
    assert parse_status(0x1A, 0x32).paper == "out"
    assert parse_status(0x12).paper == "unknown"


def test_cover_open() -> None:
    status = parse_status(0x1A, 0x16, 0x12)
    assert status.cover_open is True and not status.online
    with pytest.raises(PrinterCoverOpen):
        check_printable(status)


def test_error_bit_and_offline() -> None:
    status = parse_status(0x1A, 0x52, 0x12)
    assert status.error is not None and "error" in status.error
    with pytest.raises(PrinterNotConnected):
        check_printable(status)


@pytest.mark.parametrize("answer", [0x00, 0xFF, 0x13, 0x92])
def test_bytes_without_the_fixed_bits_are_rejected(answer: int) -> None:
    status = parse_status(answer, 0x12, 0x12)
    assert not status.online and status.error is not None and "unexpected" in status.error


class _AnsweringDummy(Dummy):
    """python-escpos's own Dummy that answers every query with one byte."""

    def __init__(self, answer: int) -> None:
        super().__init__()
        self.answer = answer

    def _read(self) -> bytes:
        return bytes([self.answer])


@pytest.mark.parametrize("paper_byte", [0x12, 0x1E, 0x72])
def test_paper_reading_agrees_with_python_escpos(paper_byte: int) -> None:
    library = _AnsweringDummy(paper_byte).paper_status()  # 2 ok, 1 near end, 0 none
    ours = parse_status(0x12, 0x12, paper_byte).paper
    assert {2: "ok", 1: "near_end", 0: "out"}[library] == ours


@pytest.mark.parametrize("printer_byte", [0x12, 0x1A])
def test_online_reading_agrees_with_python_escpos(printer_byte: int) -> None:
    assert _AnsweringDummy(printer_byte).is_online() == parse_status(printer_byte).online
