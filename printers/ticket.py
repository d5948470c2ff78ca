"""Ticket content and its layout as printer-neutral blocks (pure, no I/O).

:class:`TicketContent` is what the kiosk knows about one visitor's ticket;
it has no field for personal data on purpose. :func:`build_ticket` turns it
into a list of blocks (text lines already wrapped to the printer's columns,
rules, a QR code, feeds). The ESC/POS emitter (:mod:`printers.layout`) and
the on-screen preview (:mod:`printers.preview`) both draw these same blocks,
so the preview shows what the paper will show.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Literal

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from printers.profiles import PrinterSpec
from printers.text import printable
from server.i18n import t

Align = Literal["left", "center"]

#: share of the paper width the QR code should take
_QR_WIDTH_SHARE = 0.5
_QR_MIN_MODULE, _QR_MAX_MODULE = 3, 8
#: a raster QR costs bytes with the square of the module size: keep it at 0.5 mm
_RASTER_QR_MAX_MODULE = 4
_NUMBER_MAX_SCALE = 4


@dataclass(frozen=True)
class TicketContent:
    """Everything printed on one queue ticket. No visitor name, phone or ID."""

    number: str
    service_name: str
    issued_at: datetime
    people_ahead: int
    estimated_wait_minutes: int | None
    tracking_url: str
    unit_name: str
    unit_address: str = ""
    counter_area: str | None = None
    priority: bool = False
    complaint_channels: tuple[str, ...] = ()
    language: str = "id"


@dataclass(frozen=True)
class TextLine:
    """One printed line; ``scale`` multiplies character width and height."""

    text: str
    align: Align = "center"
    bold: bool = False
    scale: int = 1
    invert: bool = False


@dataclass(frozen=True)
class Rule:
    """A separator across the full paper width."""


@dataclass(frozen=True)
class QrCode:
    """A QR code; ``module_dots`` is the printed size of one module in dots."""

    data: str
    module_dots: int


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1


Block = TextLine | Rule | QrCode | Feed


@cache
def qr_modules(data: str) -> int:
    """Modules per side of the QR code (error correction M) holding ``data``."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return int(code.modules_count)


def qr_module_dots(data: str, pixel_width: int, *, native: bool = True) -> int:
    """Module size so the QR code takes about half the paper width.

    A raster QR is sent dot by dot (about 1 KB per module size step and
    more), so it is kept smaller than a native one.
    """
    quiet_zone = 2  # one module each side, as the printers and python-escpos draw it
    dots = int(pixel_width * _QR_WIDTH_SHARE) // (qr_modules(data) + quiet_zone)
    largest = _QR_MAX_MODULE if native else _RASTER_QR_MAX_MODULE
    return max(_QR_MIN_MODULE, min(largest, dots))


def _wrapped(
    text: str,
    spec: PrinterSpec,
    *,
    align: Align = "center",
    bold: bool = False,
    scale: int = 1,
    invert: bool = False,
) -> list[Block]:
    """Wrap ``text`` (made printable in the spec's code page) to the paper width."""
    width = max(1, spec.columns // scale)
    safe = printable(text, spec.encoding)
    lines = textwrap.wrap(safe, width, break_long_words=True, break_on_hyphens=False)
    return [TextLine(line, align=align, bold=bold, scale=scale, invert=invert) for line in lines]


def _issued_line(issued_at: datetime, lang: str) -> str:
    return t(
        "ticket.issued",
        lang,
        date=issued_at.strftime(t("ticket.date_format", lang)),
        time=issued_at.strftime(t("ticket.time_format", lang)),
        tz=issued_at.tzname() or "",
    ).strip()


def _header(content: TicketContent, spec: PrinterSpec) -> list[Block]:
    blocks = _wrapped(content.unit_name, spec, bold=True)
    if content.unit_address:
        blocks += _wrapped(content.unit_address, spec)
    return [*blocks, Rule()]


def _number(content: TicketContent, spec: PrinterSpec) -> list[Block]:
    lang = content.language
    blocks: list[Block] = []
    if content.priority:
        blocks += _wrapped(t("ticket.priority", lang), spec, bold=True, invert=True)
    blocks += _wrapped(t("ticket.queue_number", lang), spec)
    scale = max(1, min(_NUMBER_MAX_SCALE, spec.columns // max(1, len(content.number))))
    blocks += _wrapped(content.number, spec, bold=True, scale=scale)
    blocks += _wrapped(content.service_name, spec, bold=True, scale=2)
    return [*blocks, Rule()]


def _details(content: TicketContent, spec: PrinterSpec) -> list[Block]:
    lang = content.language
    lines = [_issued_line(content.issued_at, lang)]
    if content.people_ahead > 0:
        lines.append(t("ticket.people_ahead", lang, count=content.people_ahead))
    else:
        lines.append(t("ticket.people_ahead_none", lang))
    if content.estimated_wait_minutes == 0:
        lines.append(t("ticket.served_soon", lang))  # never "0 minutes"
    elif content.estimated_wait_minutes is not None:
        lines.append(t("ticket.estimated_wait", lang, minutes=content.estimated_wait_minutes))
    if content.counter_area:
        lines.append(t("ticket.counter_area", lang, area=content.counter_area))
    blocks: list[Block] = []
    for line in lines:
        blocks += _wrapped(line, spec, align="left")
    return [*blocks, Rule()]


def _tracking(content: TicketContent, spec: PrinterSpec) -> list[Block]:
    module = qr_module_dots(content.tracking_url, spec.pixel_width, native=spec.native_qr)
    blocks: list[Block] = [QrCode(content.tracking_url, module)]
    blocks += _wrapped(t("ticket.scan_to_track", content.language), spec)
    blocks += _wrapped(content.tracking_url, spec)
    return [*blocks, Rule()]


def _footer(content: TicketContent, spec: PrinterSpec) -> list[Block]:
    lang = content.language
    blocks = _wrapped(t("ticket.free_service", lang), spec, bold=True)
    if content.complaint_channels:
        blocks += _wrapped(t("ticket.complaints", lang), spec)
        for channel in content.complaint_channels:
            blocks += _wrapped(channel, spec)
    blocks += _wrapped(t("ticket.privacy", lang), spec)
    blocks += _wrapped(t("ticket.thanks", lang), spec)
    return blocks


def build_ticket(content: TicketContent, spec: PrinterSpec) -> list[Block]:
    """Lay the ticket out for the paper width and columns of ``spec``."""
    return [
        *_header(content, spec),
        *_number(content, spec),
        *_details(content, spec),
        *_tracking(content, spec),
        *_footer(content, spec),
        Feed(1),
    ]
