"""The ticket printer the kiosk talks to: open by URL, print, ask status.

:func:`open_printer` parses the URL and builds the transport without
connecting, so a kiosk starts even when the printer is off. Each
:meth:`TicketPrinter.print_ticket` renders the ticket once, then connects,
checks the printer's status (where the transport can answer), sends the
bytes, checks the status again to confirm the printer is still there with
paper, and closes. Any failure raises a typed :class:`PrinterError`.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from printers.errors import PrinterConfigError, PrinterError
from printers.layout import render_for_spec
from printers.preview import render_preview_for_spec
from printers.profiles import PrinterSpec, resolve_spec
from printers.status import (
    STATUS_OFFLINE_CAUSE,
    STATUS_PAPER,
    STATUS_PRINTER,
    PrinterStatus,
    check_printable,
    parse_status,
    unreachable,
)
from printers.ticket import TicketContent
from printers.transports import Link, open_link
from printers.urls import PrinterURL, parse_printer_url


@dataclass(frozen=True)
class PrintResult:
    """Outcome of one printed ticket (``preview_path`` for ``preview://``)."""

    bytes_sent: int
    duration_s: float
    preview_path: Path | None = None


class TicketPrinter:
    """One configured printer; safe to keep for the kiosk's lifetime."""

    def __init__(self, url: PrinterURL, spec: PrinterSpec, timeout: float) -> None:
        self.url = url
        self.spec = spec
        self.timeout = timeout
        self._link: Link | None = None
        if url.scheme != "preview":
            self._link = open_link(url, timeout=timeout, profile=spec.profile_name)

    def print_ticket(self, content: TicketContent) -> PrintResult:
        """Print ``content``; raise a :class:`PrinterError` if it did not print."""
        started = time.perf_counter()
        if self._link is None:
            path = self._write_preview(content)
            return PrintResult(path.stat().st_size, time.perf_counter() - started, path)
        data = render_for_spec(content, self.spec)
        link = self._link
        try:
            if link.can_answer:
                check_printable(self._ask_status(link))
            link.send(data)
            if link.can_answer:
                check_printable(self._ask_status(link))
        except BaseException:
            link.abort()
            raise
        link.close()
        return PrintResult(len(data), time.perf_counter() - started)

    def status(self) -> PrinterStatus:
        """Ask the printer how it is; never raises for printer faults."""
        if self._link is None:
            return PrinterStatus(online=True, paper="ok", cover_open=False, error=None)
        if self.url.scheme == "file":
            return self._file_status()
        link = self._link
        try:
            if not link.can_answer:
                link.connect()
                return PrinterStatus(online=True, paper="unknown", cover_open=None, error=None)
            return self._ask_status(link)
        except PrinterError as exc:
            return unreachable(exc.message_for_staff)
        finally:
            link.abort()

    def close(self) -> None:
        """Release the connection, if one is open."""
        if self._link is not None:
            self._link.abort()

    def _ask_status(self, link: Link) -> PrinterStatus:
        return parse_status(
            link.ask(STATUS_PRINTER), link.ask(STATUS_OFFLINE_CAUSE), link.ask(STATUS_PAPER)
        )

    def _file_status(self) -> PrinterStatus:
        path = Path(self.url.target)
        writable = os.access(path, os.W_OK) if path.exists() else os.access(path.parent, os.W_OK)
        if not writable:
            return unreachable(f"Cannot write to the printer device {path}.")
        return PrinterStatus(online=True, paper="unknown", cover_open=None, error=None)

    def _write_preview(self, content: TicketContent) -> Path:
        folder = Path(self.url.target)
        stamp = content.issued_at.strftime("%Y%m%d-%H%M%S")
        name = re.sub(r"[^A-Za-z0-9_-]", "_", f"ticket-{content.number}-{stamp}") + ".png"
        path = folder / name
        try:
            path.write_bytes(render_preview_for_spec(content, self.spec))
        except OSError as exc:
            raise PrinterConfigError(f"Cannot write the ticket preview to {folder}: {exc}") from exc
        return path


def open_printer(url: str, *, timeout: float = 5.0, paper: str | None = None) -> TicketPrinter:
    """Configure the printer at ``url``; raise :class:`PrinterConfigError` if unusable."""
    if not timeout > 0:
        raise PrinterConfigError("The printer timeout must be a positive number of seconds.")
    parsed = parse_printer_url(url)
    spec = resolve_spec(paper or parsed.paper, parsed.profile)
    if parsed.scheme == "preview":
        try:
            Path(parsed.target).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PrinterConfigError(
                f"Cannot create the preview folder {parsed.target}: {exc}"
            ) from exc
    return TicketPrinter(parsed, spec, timeout)
