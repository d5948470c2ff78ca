"""Thanks, and the office's SKD link as a QR code (a unit setting), then back to start."""

from __future__ import annotations

import io

from kivy.core.image import Image as CoreImage

from kiosk.rating.screens.base import RatingScreen


def qr_texture(url: str) -> object:
    import qrcode

    image = qrcode.make(url, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return CoreImage(buffer, ext="png").texture


class ThanksScreen(RatingScreen):
    _shown_url = ""

    def refresh(self) -> None:
        flow = self.core.flow
        self.ids.text.text = self.rt("thanks_queued" if flow.queued else "thanks_text")
        url = flow.skd_url
        self.ids.skd.shown = bool(url)
        if url and url != self._shown_url:
            self.ids.qr.texture = qr_texture(url)
            self._shown_url = url
        self.ids.url.text = url
