"""Camera pictures for the rating terminal's tests: real RGBA bytes, top row first.

:func:`qr_frame` renders a QR code with the ``qrcode`` package as the printed
ticket encodes it (error correction M) into a camera-sized picture;
:func:`blank_frame` is a picture with no code. No Kivy here, so the pure
tests can use them; ``camera_source.py`` shows them through Kivy's camera
interface.
"""

from __future__ import annotations

import qrcode
from PIL import Image, ImageDraw
from qrcode.constants import ERROR_CORRECT_M

SIZE = (640, 480)


def blank_frame(size: tuple[int, int] = SIZE) -> bytes:
    """A desk seen by the camera: shapes and text, no code."""
    image = Image.new("RGBA", size, (196, 190, 178, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 80, 300, 400), fill=(240, 240, 236, 255))
    draw.ellipse((380, 120, 560, 300), fill=(40, 70, 120, 255))
    draw.text((80, 100), "BPS  PST  A001", fill=(20, 20, 20, 255))
    return image.tobytes()


def qr_frame(text: str, size: tuple[int, int] = SIZE) -> bytes:
    """The QR code of ``text`` (as a printed ticket encodes it) held up in a camera picture."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=6, border=4)
    code.add_data(text)
    code.make(fit=True)
    picture = code.make_image(fill_color="black", back_color="white").get_image().convert("RGBA")
    image = Image.new("RGBA", size, (150, 146, 138, 255))
    left, top = (size[0] - picture.width) // 2, (size[1] - picture.height) // 2
    if left < 0 or top < 0:
        raise ValueError("the code does not fit the frame")
    image.paste(picture, (left, top))
    return image.tobytes()
