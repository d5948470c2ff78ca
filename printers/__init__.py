"""Queue-ticket printing for Loket on ESC/POS thermal printers.

A thin layer on python-escpos: a ticket layout for 58 mm and 80 mm paper,
transports chosen by URL (``usb://``, ``serial://``, ``network://``,
``file://``, ``preview://``), printer status from real-time status bytes, and
a PNG preview that shows the same ticket on screen.
"""

from typing import TYPE_CHECKING, Any

from printers.errors import (
    PrinterBackendMissing,
    PrinterConfigError,
    PrinterCoverOpen,
    PrinterError,
    PrinterNotConnected,
    PrinterPaperOut,
    PrinterTimeout,
)

if TYPE_CHECKING:
    from printers.layout import render_escpos
    from printers.preview import render_preview
    from printers.printer import PrintResult, TicketPrinter, open_printer
    from printers.profiles import PAPER_PRESETS
    from printers.status import PrinterStatus
    from printers.ticket import TicketContent

# The layout stack (python-escpos, its capability database, Pillow) loads on first
# use, so importing the light parts (errors, the CLI) stays fast for `loket serve`.
_LAZY = {
    "render_escpos": "printers.layout",
    "render_preview": "printers.preview",
    "PrintResult": "printers.printer",
    "TicketPrinter": "printers.printer",
    "open_printer": "printers.printer",
    "PAPER_PRESETS": "printers.profiles",
    "PrinterStatus": "printers.status",
    "TicketContent": "printers.ticket",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'printers' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


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
