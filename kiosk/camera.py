"""Optional ID-card photo from a camera, used only with the visitor's consent.

Off by default (setting ``camera``); the screen offers the button only when the
setting is on *and* the visitor ticked the photo consent. :class:`IdCamera`
grabs one frame through Kivy's camera provider and hands JPEG bytes to a
callback (``None`` when no camera works). The photo lives in memory until the
registration is sent; the outbox deletes it once the server has it.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock

log = logging.getLogger(__name__)

WARM_UP_SECONDS = 1.0


class IdCamera:
    """Takes one still from camera ``index`` on request."""

    def __init__(self, index: int = 0, resolution: tuple[int, int] = (1280, 720)) -> None:
        self.index = index
        self.resolution = resolution

    def capture(self, on_photo: Callable[[bytes | None], Any]) -> None:
        try:
            from kivy.core.camera import Camera

            camera = Camera(index=self.index, resolution=self.resolution, stopped=True)
            camera.start()
        except Exception as error:  # no camera provider or device
            log.warning("ID camera unavailable: %s", type(error).__name__)
            on_photo(None)
            return

        def grab(_dt: float) -> None:
            try:
                on_photo(frame_to_jpeg(camera.texture))
            except Exception as error:
                log.warning("ID photo failed: %s", type(error).__name__)
                on_photo(None)
            finally:
                camera.stop()

        Clock.schedule_once(grab, WARM_UP_SECONDS)


def frame_to_jpeg(texture: Any) -> bytes:
    """Encode a Kivy RGBA texture as JPEG (flipped: textures are bottom-up)."""
    from PIL import Image

    image = Image.frombytes("RGBA", texture.size, texture.pixels).transpose(
        Image.Transpose.FLIP_TOP_BOTTOM
    )
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=85)
    return out.getvalue()
