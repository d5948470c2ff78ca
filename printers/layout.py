"""Draw ticket blocks with python-escpos commands and capture the bytes.

:func:`emit_ticket` calls only :class:`escpos.escpos.Escpos` methods (``set``,
``textln``, ``qr``, ``cut``...). :func:`render_escpos` runs it against
python-escpos's ``Dummy`` printer with the target profile and returns the
exact byte stream; the transports send that stream unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from escpos.constants import QR_ECLEVEL_M
from escpos.escpos import Escpos
from escpos.printer import Dummy

from printers.profiles import PrinterSpec, resolve_spec
from printers.ticket import Block, Feed, QrCode, Rule, TextLine, TicketContent, build_ticket


@dataclass(frozen=True)
class _Style:
    align: str = "left"
    bold: bool = False
    scale: int = 1
    invert: bool = False


class _StyledWriter:
    """Sends style commands only when the style changes, to keep tickets small."""

    def __init__(self, printer: Escpos) -> None:
        self.printer = printer
        self.style: _Style | None = None

    def apply(self, style: _Style) -> None:
        if style == self.style:
            return
        old = self.style
        kwargs: dict[str, object] = {}
        if old is None or old.align != style.align:
            kwargs["align"] = style.align
        if old is None or old.bold != style.bold:
            kwargs["bold"] = style.bold
        if old is None or old.invert != style.invert:
            kwargs["invert"] = style.invert
        if old is None or old.scale != style.scale:
            if style.scale == 1:
                kwargs["normal_textsize"] = True
            else:
                kwargs.update(custom_size=True, width=style.scale, height=style.scale)
        self.printer.set(**kwargs)
        self.style = style


def _emit_block(writer: _StyledWriter, block: Block, spec: PrinterSpec) -> None:
    printer = writer.printer
    if isinstance(block, TextLine):
        writer.apply(_Style(block.align, block.bold, block.scale, block.invert))
        printer.textln(block.text)
    elif isinstance(block, Rule):
        writer.apply(_Style())
        printer.textln("-" * spec.columns)
    elif isinstance(block, QrCode):
        writer.apply(_Style(align="center"))
        if spec.native_qr:
            printer.qr(block.data, ec=QR_ECLEVEL_M, size=block.module_dots, native=True)
            printer.ln()
        else:
            printer.qr(block.data, ec=QR_ECLEVEL_M, size=block.module_dots, center=True)
    elif isinstance(block, Feed):
        printer.ln(block.lines)


def emit_ticket(printer: Escpos, blocks: list[Block], spec: PrinterSpec) -> None:
    """Send ``blocks`` to ``printer`` through python-escpos methods, then cut."""
    printer.hw("INIT")
    printer.charcode(spec.encoding)
    writer = _StyledWriter(printer)
    for block in blocks:
        _emit_block(writer, block, spec)
    writer.apply(_Style())
    printer.cut(mode="PART")  # python-escpos skips it on printers without a cutter


def render_for_spec(content: TicketContent, spec: PrinterSpec) -> bytes:
    """The bytes a printer described by ``spec`` receives for ``content``."""
    dummy = Dummy(profile=spec.profile_name)
    emit_ticket(dummy, build_ticket(content, spec), spec)
    return dummy.output


def render_escpos(
    content: TicketContent, *, paper: str | None = None, profile: str | None = None
) -> bytes:
    """The exact ESC/POS bytes for ``content`` on a paper preset or named profile."""
    return render_for_spec(content, resolve_spec(paper, profile))
