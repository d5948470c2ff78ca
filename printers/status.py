"""Printer status from ESC/POS real-time status bytes (``DLE EOT n``).

A printer answers each ``DLE EOT n`` with one byte whose bits 1 and 4 are
always set and bits 0 and 7 always clear (``0x12`` in the quiet state):

* n=1 printer status: bit 3 set = offline.
* n=2 offline cause: bit 2 cover open, bit 5 stopped because the paper
  ran out, bit 6 an error occurred (cutter jam, overheating...).
* n=4 roll paper sensor: bits 2-3 paper near its end, bits 5-6 no paper.

:func:`parse_status` is pure and turns those bytes into a
:class:`PrinterStatus`; :func:`check_printable` raises the matching typed
error when a ticket cannot be printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from printers.errors import PrinterCoverOpen, PrinterNotConnected, PrinterPaperOut

PaperState = Literal["ok", "near_end", "out", "unknown"]

STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER = 1, 2, 4
_FIXED_MASK, _FIXED_BITS = 0x93, 0x12
_OFFLINE = 0x08
_COVER_OPEN, _PAPER_STOP, _ERROR = 0x04, 0x20, 0x40
_PAPER_NEAR_END, _PAPER_END = 0x0C, 0x60


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said about itself; ``error`` is a message for staff."""

    online: bool
    paper: PaperState
    cover_open: bool | None
    error: str | None


def is_status_byte(value: int) -> bool:
    """True if ``value`` has the fixed bits every real-time status byte has."""
    return 0 <= value <= 0xFF and value & _FIXED_MASK == _FIXED_BITS


def _paper_state(offline_cause: int | None, paper_sensor: int | None) -> PaperState:
    if paper_sensor is not None:
        if paper_sensor & _PAPER_END:
            return "out"
        if paper_sensor & _PAPER_NEAR_END:
            return "near_end"
    if offline_cause is not None and offline_cause & _PAPER_STOP:
        return "out"
    return "ok" if paper_sensor is not None else "unknown"


def _error_message(
    online: bool, paper: PaperState, cover_open: bool | None, offline_cause: int | None
) -> str | None:
    if cover_open:
        return PrinterCoverOpen.default_message
    if paper == "out":
        return PrinterPaperOut.default_message
    if offline_cause is not None and offline_cause & _ERROR:
        return "The printer reports an error (e.g. paper jam or cutter); switch it off and on."
    if not online:
        return "The printer is offline."
    return None


def parse_status(
    printer: int, offline_cause: int | None = None, paper_sensor: int | None = None
) -> PrinterStatus:
    """Turn the answers to ``DLE EOT 1``, ``2`` and ``4`` into a status."""
    answers = (printer, offline_cause, paper_sensor)
    if not all(value is None or is_status_byte(value) for value in answers):
        shown = ", ".join("-" if v is None else f"0x{v:02X}" for v in answers)
        return PrinterStatus(
            online=False,
            paper="unknown",
            cover_open=None,
            error=f"The printer sent an unexpected status answer ({shown}).",
        )
    online = not printer & _OFFLINE
    cover_open = None if offline_cause is None else bool(offline_cause & _COVER_OPEN)
    paper = _paper_state(offline_cause, paper_sensor)
    error = _error_message(online, paper, cover_open, offline_cause)
    return PrinterStatus(online=online, paper=paper, cover_open=cover_open, error=error)


def unreachable(message: str) -> PrinterStatus:
    """Status of a printer that could not be asked at all."""
    return PrinterStatus(online=False, paper="unknown", cover_open=None, error=message)


def check_printable(status: PrinterStatus) -> None:
    """Raise the typed error that stops a ticket from printing, if any."""
    if status.cover_open:
        raise PrinterCoverOpen()
    if status.paper == "out":
        raise PrinterPaperOut()
    if status.error or not status.online:
        raise PrinterNotConnected(status.error or "The printer is offline.")
