"""Typed printer errors, each carrying a short English message for staff.

Every failure of the printing layer (bad URL, missing backend, printer
unreachable, paper out, cover open, timeout) is raised as a subclass of
:class:`PrinterError`, so the kiosk catches one type and shows
``message_for_staff`` on its staff panel or in the log.
"""

from __future__ import annotations


class PrinterError(Exception):
    """Base class: something stopped a ticket from printing."""

    default_message = "The ticket printer failed."

    def __init__(self, message_for_staff: str | None = None) -> None:
        self.message_for_staff = message_for_staff or self.default_message
        super().__init__(self.message_for_staff)


class PrinterConfigError(PrinterError):
    """The printer URL or its settings are invalid."""

    default_message = "The printer setting is invalid; check the printer URL."


class PrinterBackendMissing(PrinterError):
    """An optional library needed by the transport is not installed."""

    default_message = "A library needed for this printer connection is not installed."


class PrinterNotConnected(PrinterError):
    """The printer cannot be reached, or went away while printing."""

    default_message = "The printer is not connected or switched off."


class PrinterTimeout(PrinterError):
    """The printer did not accept data or answer within the time limit."""

    default_message = "The printer did not respond in time."


class PrinterPaperOut(PrinterError):
    """The printer reports that the paper roll is empty."""

    default_message = "The printer is out of paper; load a new roll."


class PrinterCoverOpen(PrinterError):
    """The printer reports that its cover is open."""

    default_message = "The printer cover is open; close it and try again."
