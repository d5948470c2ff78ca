"""Draw a ticket as a PNG, as the thermal printer would print it.

The preview draws the same blocks as the ESC/POS emitter, at the printer's
dot width (384 dots for 58 mm, 576 for 80 mm), with a monospaced font sized
to the printer's columns and a real QR code from the ``qrcode`` library, so
it scans like the paper ticket. Used by ``preview://`` printers, the kiosk
screen and staff pages.
"""

from __future__ import annotations

import io
from functools import cache

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M

from printers.profiles import PrinterSpec, resolve_spec
from printers.ticket import Block, Feed, QrCode, Rule, TextLine, TicketContent, build_ticket

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
_MARGIN = 8
_MAX_HEIGHT = 8000
#: font size per dot of character cell width (monospace glyphs are ~0.6 em wide)
_EM_PER_CELL = 1.0 / 0.6


@cache
def _font(size: int, bold: bool) -> Font:
    name = "DejaVuSansMono-Bold.ttf" if bold else "DejaVuSansMono.ttf"
    try:
        return ImageFont.truetype(name, size)
    except OSError:
        return ImageFont.load_default(size)


def _qr_image(data: str, module_dots: int) -> Image.Image:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=module_dots, border=1)
    code.add_data(data)
    code.make(fit=True)
    image: Image.Image = code.make_image().get_image()
    return image.convert("L")


class _Canvas:
    def __init__(self, spec: PrinterSpec) -> None:
        self.spec = spec
        self.image = Image.new("L", (spec.pixel_width, _MAX_HEIGHT), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.cell = spec.pixel_width / spec.columns
        self.line_height = round(self.cell * 2)
        self.y = _MARGIN

    def text(self, line: TextLine) -> None:
        font = _font(max(6, round(self.cell * _EM_PER_CELL * line.scale * 0.95)), line.bold)
        height = self.line_height * line.scale
        width = self.draw.textlength(line.text, font=font)
        x = (self.spec.pixel_width - width) / 2 if line.align == "center" else 0
        fill = 255 if line.invert else 0
        if line.invert:
            self.draw.rectangle((x - 4, self.y, x + width + 4, self.y + height), fill=0)
        self.draw.text((x, self.y + height / 2), line.text, font=font, fill=fill, anchor="lm")
        self.y += height

    def rule(self) -> None:
        mid = self.y + self.line_height // 2
        for x in range(0, self.spec.pixel_width, 12):
            self.draw.line((x, mid, x + 6, mid), fill=0, width=2)
        self.y += self.line_height

    def qr(self, block: QrCode) -> None:
        image = _qr_image(block.data, block.module_dots)
        self.image.paste(image, ((self.spec.pixel_width - image.width) // 2, self.y))
        self.y += image.height + self.line_height // 2

    def draw_block(self, block: Block) -> None:
        if isinstance(block, TextLine):
            self.text(block)
        elif isinstance(block, Rule):
            self.rule()
        elif isinstance(block, QrCode):
            self.qr(block)
        elif isinstance(block, Feed):
            self.y += self.line_height * block.lines

    def png(self) -> bytes:
        out = io.BytesIO()
        ticket = self.image.crop((0, 0, self.spec.pixel_width, self.y + _MARGIN))
        ticket.save(out, "PNG", compress_level=1)
        return out.getvalue()


def render_preview_for_spec(content: TicketContent, spec: PrinterSpec) -> bytes:
    """PNG bytes of ``content`` laid out for ``spec``."""
    canvas = _Canvas(spec)
    for block in build_ticket(content, spec):
        canvas.draw_block(block)
    return canvas.png()


def render_preview(
    content: TicketContent, *, paper: str = "80mm", profile: str | None = None
) -> bytes:
    """PNG bytes of the ticket as it would look on ``paper`` (or a named profile)."""
    return render_preview_for_spec(content, resolve_spec(paper, profile))
