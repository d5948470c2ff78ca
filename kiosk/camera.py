"""Cameras through Kivy's camera provider: the kiosk's ID photo, the rating terminal's QR reader.

Both are off by default (settings ``camera``). :func:`open_camera` is the one
place a camera is opened (Kivy's ``kivy.core.camera.Camera``, or
:data:`PROVIDER` when set: a provider class with the same interface, which
the tests use because no camera exists on the test machine).

- :class:`IdCamera` grabs one frame and hands JPEG bytes to a callback
  (``None`` when no camera works); used only with the visitor's consent.
- :class:`QrCamera` watches the frames for a ticket QR code: at most one
  frame every ``interval`` seconds is copied out of the texture (on the UI
  thread, where the GL context is) and decoded with pyzbar on the app's
  worker thread, one decode at a time, so the screen never waits for zbar.
  A decoded code goes through :func:`kiosk.scanner.token_from_scan`, the
  serial scanner's rule, and reaches ``on_scan`` on the UI thread; a code
  held up is reported once (again only after ``repeat_seconds`` out of
  sight). Frames are decoded only while ``wanted()`` (the start screen).
  ``opened`` turns true at the first frame, not before: the start screen
  mentions the camera only then.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable
from typing import Any

from kiosk.scanner import Scan, token_from_scan
from kiosk.worker import Worker

log = logging.getLogger(__name__)

WARM_UP_SECONDS = 1.0
#: a camera provider class (Kivy's interface) used instead of Kivy's own; for tests
PROVIDER: Any = None


class CameraUnavailable(RuntimeError):
    """No camera provider, or the device would not open."""


def open_camera(index: int, resolution: tuple[int, int]) -> Any:
    """A started camera (a ``kivy.core.camera.CameraBase``), or :class:`CameraUnavailable`."""
    provider = PROVIDER
    if provider is None:
        from kivy.core.camera import Camera

        provider = Camera
    if provider is None:
        raise CameraUnavailable("no Kivy camera provider is installed")
    try:
        camera = provider(index=index, resolution=resolution, stopped=True)
        camera.start()
    except Exception as error:  # providers raise anything when the device is missing
        raise CameraUnavailable(type(error).__name__) from error
    return camera


def texture_image(size: tuple[int, int], pixels: bytes) -> Any:
    """A Kivy texture's RGBA bytes as an upright PIL image (textures are bottom-up)."""
    from PIL import Image

    return Image.frombytes("RGBA", size, pixels).transpose(Image.Transpose.FLIP_TOP_BOTTOM)


class IdCamera:
    """Takes one still from camera ``index`` on request."""

    def __init__(self, index: int = 0, resolution: tuple[int, int] = (1280, 720)) -> None:
        self.index = index
        self.resolution = resolution

    def capture(self, on_photo: Callable[[bytes | None], Any]) -> None:
        from kivy.clock import Clock

        try:
            camera = open_camera(self.index, self.resolution)
        except CameraUnavailable as error:
            log.warning("ID camera unavailable: %s", error)
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
    """Encode a Kivy RGBA texture as JPEG."""
    image = texture_image(texture.size, texture.pixels)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=85)
    return out.getvalue()


def decode_qr(size: tuple[int, int], pixels: bytes) -> list[str]:
    """The text of every QR code in one RGBA frame (blocking: run it on a worker)."""
    from pyzbar.pyzbar import ZBarSymbol, decode

    image = texture_image(size, pixels).convert("L")
    return [found.data.decode("utf-8", errors="replace") for found in
            decode(image, symbols=[ZBarSymbol.QRCODE])]  # fmt: skip


class QrCamera:
    """Reads ticket QR codes from camera ``index`` until stopped (create and use on the UI thread)."""

    def __init__(
        self,
        index: int,
        on_scan: Callable[[Scan], None],
        *,
        worker: Worker,
        on_open: Callable[[], None] = lambda: None,
        wanted: Callable[[], bool] = lambda: True,
        resolution: tuple[int, int] = (640, 480),
        interval: float = 0.25,
        repeat_seconds: float = 3.0,
    ) -> None:
        self.index = index
        self.on_scan = on_scan
        self.on_open = on_open
        self.wanted = wanted
        self.worker = worker
        self.resolution = resolution
        self.interval = interval
        self.repeat_seconds = repeat_seconds
        self.camera: Any = None
        self.opened = False
        self.failed = False
        self.frames_decoded = 0
        self._decoding = False
        self._last_frame = float("-inf")
        self._last_text = ""
        self._last_text_at = float("-inf")

    @property
    def texture(self) -> Any:
        """The live picture (for a preview), once the camera delivers frames."""
        return self.camera.texture if self.opened else None

    def start(self) -> bool:
        """Open the camera; False (and logged) when there is none or it would not open."""
        try:
            import pyzbar.pyzbar  # noqa: F401 - needs the system's libzbar0

            self.camera = open_camera(self.index, self.resolution)
        except (ImportError, CameraUnavailable) as error:
            log.warning("QR camera unavailable: %s", error or type(error).__name__)
            self.failed = True
            return False
        self.camera.bind(on_texture=self._frame)
        return True

    def stop(self) -> None:
        if self.camera is not None:
            self.camera.unbind(on_texture=self._frame)
            self.camera.stop()

    def _frame(self, camera: Any) -> None:
        if not self.opened:
            self.opened = True
            self.on_open()
        now = time.monotonic()
        if self._decoding or now - self._last_frame < self.interval or not self.wanted():
            return
        texture = camera.texture
        if texture is None:
            return
        self._last_frame = now
        self._decoding = True
        size, pixels = tuple(texture.size), bytes(texture.pixels)
        self.worker.submit(
            lambda: decode_qr(size, pixels), self._decoded, lambda _error: self._decoded([])
        )

    def _decoded(self, texts: list[str]) -> None:
        self._decoding = False
        self.frames_decoded += 1
        now = time.monotonic()
        for text in texts:
            seen_again = text == self._last_text and now - self._last_text_at < self.repeat_seconds
            self._last_text, self._last_text_at = text, now  # a code held up is reported once
            if not seen_again:
                self.on_scan(token_from_scan(text))
