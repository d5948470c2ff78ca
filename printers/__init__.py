"""Queue-ticket printing for Loket on ESC/POS thermal printers.

A thin layer on python-escpos: a ticket layout for 58 mm and 80 mm paper,
transports chosen by URL (``usb://``, ``serial://``, ``network://``,
``file://``, ``preview://``), printer status from real-time status bytes, and
a PNG preview that shows the same ticket on screen.
"""

from printers.errors import (
    PrinterBackendMissing,
    PrinterConfigError,
    PrinterCoverOpen,
    PrinterError,
    PrinterNotConnected,
    PrinterPaperOut,
    PrinterTimeout,
)
from printers.layout import render_escpos
from printers.preview import render_preview
from printers.printer import PrintResult, TicketPrinter, open_printer
from printers.profiles import PAPER_PRESETS
from printers.status import PrinterStatus
from printers.ticket import TicketContent

__all__ = [
    "PAPER_PRESETS",
    "PrintResult",
    "PrinterBackendMissing",
    "PrinterConfigError",
    "PrinterCoverOpen",
    "PrinterError",
    "PrinterNotConnected",
    "PrinterPaperOut",
    "PrinterStatus",
    "PrinterTimeout",
    "TicketContent",
    "TicketPrinter",
    "open_printer",
    "render_escpos",
    "render_preview",
]
