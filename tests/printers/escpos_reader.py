"""A small, strict ESC/POS interpreter for tests, written from the Epson spec.

It walks a captured byte stream command by command, decodes text with the
code page selected by ``ESC t n`` (using Python's own codecs), collects QR
payloads stored with ``GS ( k`` (cn=49, fn=80), rebuilds ``GS v 0`` raster
images as PIL images, and records real-time status queries (``DLE EOT n``).
Any byte sequence it does not know fails the test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

ESC, GS, DLE, LF = 0x1B, 0x1D, 0x10, 0x0A
#: commands with a fixed number of parameter bytes: (prefix, second byte) -> count
_FIXED = {
    (ESC, ord("@")): 0,
    (ESC, ord("t")): 1,
    (ESC, ord("!")): 1,
    (ESC, ord("E")): 1,
    (ESC, ord("a")): 1,
    (ESC, ord("-")): 1,
    (ESC, ord("M")): 1,
    (ESC, ord("d")): 1,
    (GS, ord("B")): 1,
    (GS, ord("!")): 1,
    (DLE, 0x04): 1,
}


@dataclass
class Printout:
    """What a printer would do with the stream."""

    lines: list[str] = field(default_factory=list)
    qr_payloads: list[bytes] = field(default_factory=list)
    qr_settings: dict[str, int] = field(default_factory=dict)
    images: list[Image.Image] = field(default_factory=list)
    code_pages: list[int] = field(default_factory=list)
    status_queries: list[int] = field(default_factory=list)
    cuts: int = 0
    scaled_lines: list[tuple[str, int]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _raster(data: bytes, pos: int, out: Printout) -> int:
    # GS v 0 m xL xH yL yH d1...dk ; width in bytes, height in dots, 1 = black
    width_bytes = data[pos + 4] + 256 * data[pos + 5]
    height = data[pos + 6] + 256 * data[pos + 7]
    start = pos + 8
    end = start + width_bytes * height
    assert end <= len(data), "raster image runs past the end of the stream"
    bitmap = Image.frombytes("1", (width_bytes * 8, height), data[start:end])
    # PIL mode "1" from raw bytes: 1 bits are white; ESC/POS 1 bits are black
    out.images.append(Image.eval(bitmap.convert("L"), lambda v: 255 - v))
    return end


def _two_d_code(data: bytes, pos: int, out: Printout) -> int:
    # GS ( k pL pH cn fn [parameters]
    length = data[pos + 3] + 256 * data[pos + 4]
    body = data[pos + 5 : pos + 5 + length]
    cn, fn = body[0], body[1]
    assert cn == 49, f"2D code type {cn} is not QR"
    if fn == 80:  # store data: m=48 then the payload
        assert body[2] == 48
        out.qr_payloads.append(bytes(body[3:]))
    elif fn == 65:
        out.qr_settings["model"] = body[2]
    elif fn == 67:
        out.qr_settings["module"] = body[2]
    elif fn == 69:
        out.qr_settings["ec"] = body[2]
    elif fn == 81:
        out.qr_settings["printed"] = out.qr_settings.get("printed", 0) + 1
    else:
        raise AssertionError(f"unexpected QR function {fn}")
    return pos + 5 + length


def read_escpos(data: bytes, code_page_names: dict[int, str]) -> Printout:
    """Interpret ``data``; ``code_page_names`` maps ESC t numbers to codec names."""
    out = Printout()
    encoding = "cp437"
    text = bytearray()
    scale = 1
    pos = 0
    while pos < len(data):
        byte = data[pos]
        if byte == LF:
            line = text.decode(encoding)
            out.lines.append(line)
            out.scaled_lines.append((line, scale))
            text.clear()
            pos += 1
            continue
        if byte >= 0x20:
            text.append(byte)
            pos += 1
            continue
        key = (byte, data[pos + 1])
        if key in _FIXED:
            params = data[pos + 2 : pos + 2 + _FIXED[key]]
            if key == (ESC, ord("t")):
                out.code_pages.append(params[0])
                encoding = code_page_names[params[0]]
            elif key == (GS, ord("!")):
                scale = (params[0] >> 4) + 1
            elif key == (ESC, ord("!")):
                scale = 1
            elif key == (DLE, 0x04):
                out.status_queries.append(params[0])
            pos += 2 + _FIXED[key]
        elif key == (GS, ord("V")):
            out.cuts += 1
            pos += 3 if data[pos + 2] in (0, 1, 48, 49) else 4
        elif data[pos : pos + 3] == b"\x1dv0":
            pos = _raster(data, pos, out)
        elif data[pos : pos + 3] == b"\x1d(k":
            pos = _two_d_code(data, pos, out)
        else:
            raise AssertionError(f"unknown command {data[pos : pos + 4]!r} at offset {pos}")
    assert not text, f"text left unprinted at the end: {bytes(text)!r}"
    return out
