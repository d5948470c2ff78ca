"""Print the queue ticket through ``printers`` and report the printer's state.

:class:`TicketPrinting` builds a :class:`printers.TicketContent` from the
server's ticket (no personal data), prints it with a hard time limit, and
turns the outcome into a :class:`PrintOutcome` that carries the
``{"online", "paper", "error"}`` printer state for the device heartbeat, so
staff see an alert when the paper runs out. It also renders the on-screen
preview. Blocking calls: the app runs them on a worker thread.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.forms import Unit
from kiosk.journey import TicketInfo

if TYPE_CHECKING:  # ``printers`` (python-escpos) is imported lazily: it is slow to load
    from printers import PrinterError, TicketContent, TicketPrinter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintOutcome:
    """Whether the ticket printed, a message for staff, and the state to report."""

    ok: bool
    printer_state: dict[str, Any] = field(default_factory=dict)
    staff_message: str | None = None
    seconds: float = 0.0


def ticket_content(
    ticket: TicketInfo, service_name: str, unit: Unit, language: str
) -> TicketContent:
    """What goes on the paper: number, service, queue position, tracking QR, office."""
    from printers import TicketContent

    try:
        issued = datetime.fromisoformat(ticket.issued_at)
    except ValueError:
        issued = datetime.now().astimezone()
    with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
        issued = issued.astimezone(ZoneInfo(unit.timezone))  # the office's time (WIB)
    return TicketContent(
        number=ticket.number,
        service_name=service_name,
        issued_at=issued,
        people_ahead=ticket.people_ahead,
        estimated_wait_minutes=ticket.estimated_wait_minutes,
        tracking_url=ticket.tracking_url,
        unit_name=unit.name,
        unit_address=unit.address,
        counter_area=unit.counter_area or None,
        priority=ticket.priority,
        complaint_channels=unit.complaint_channels,
        language=language,
    )


def state_after_error(error: PrinterError) -> dict[str, Any]:
    """The heartbeat printer state for a failed print."""
    from printers import PrinterCoverOpen, PrinterPaperOut

    message = error.message_for_staff
    if isinstance(error, PrinterPaperOut):
        return {"online": True, "paper": "out", "error": message}
    if isinstance(error, PrinterCoverOpen):
        return {"online": True, "paper": "unknown", "error": message}
    return {"online": False, "paper": "unknown", "error": message}


OK_STATE: dict[str, Any] = {"online": True, "paper": "ok", "error": None}


class TicketPrinting:
    """The kiosk's printer, opened lazily so a bad setting never stops the kiosk."""

    def __init__(self, url: str, *, timeout: float = 15.0) -> None:
        self.url = url
        self.timeout = timeout
        self._printer: TicketPrinter | None = None
        self._lock = threading.Lock()
        self.last_state: dict[str, Any] | None = None

    def warm_up(self) -> None:
        """Load the printing libraries and configure the printer ahead of the first ticket."""
        from printers import PrinterError

        try:
            self._open()
        except PrinterError as error:
            log.warning("printer not usable yet: %s", error.message_for_staff)

    def _open(self) -> TicketPrinter:
        from printers import open_printer

        if self._printer is None:
            self._printer = open_printer(self.url, timeout=min(self.timeout, 5.0))
        return self._printer

    def print_ticket(self, content: TicketContent) -> PrintOutcome:
        """Print once, at most ``timeout`` seconds; never raises."""
        from printers import PrinterError, PrinterTimeout

        outcome: list[PrintOutcome] = []

        def attempt() -> None:
            with self._lock:
                try:
                    result = self._open().print_ticket(content)
                    outcome.append(PrintOutcome(True, dict(OK_STATE), None, result.duration_s))
                except PrinterError as error:
                    log.warning("ticket not printed: %s", error.message_for_staff)
                    outcome.append(
                        PrintOutcome(False, state_after_error(error), error.message_for_staff)
                    )

        thread = threading.Thread(target=attempt, name="kiosk-print", daemon=True)
        thread.start()
        thread.join(self.timeout)
        if not outcome:
            error = PrinterTimeout("The printer did not finish the ticket in time.")
            log.warning("ticket not printed: %s", error.message_for_staff)
            result = PrintOutcome(False, state_after_error(error), error.message_for_staff)
        else:
            result = outcome[0]
        self.last_state = result.printer_state
        return result

    @staticmethod
    def preview(content: TicketContent) -> bytes:
        """The ticket as a PNG, the same layout as the paper (80 mm)."""
        from printers import render_preview

        return render_preview(content, paper="80mm")

    def close(self) -> None:
        if self._printer is not None:
            self._printer.close()
