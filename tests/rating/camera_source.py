"""A camera for the rating terminal on a machine that has none: real frames through Kivy's interface.

:class:`FrameCamera` is a Kivy camera provider (a ``kivy.core.camera.CameraBase``,
the class every real provider extends) whose "sensor" is a list of frames:
real RGBA bytes, top row first, as GStreamer hands them to Kivy's ``gi``
provider. Like that provider it flips its texture vertically, blits each
frame on the clock and dispatches ``on_texture``; the terminal reads the
pixels back out of the GL texture, so the bytes pass the same path as a
camera's. The pictures come from ``tests/rating/frames.py``.
:class:`BrokenCamera` fails to open like a provider without its device.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.core.camera import CameraBase
from kivy.graphics.texture import Texture

from tests.rating.frames import SIZE, blank_frame, qr_frame

__all__ = ["SIZE", "BrokenCamera", "FrameCamera", "blank_frame", "qr_frame"]

FPS = 30


class FrameCamera(CameraBase):
    """A Kivy camera provider showing :attr:`frame` (class-wide: the scenario sets it)."""

    frame: bytes = b""
    opened = 0

    def init_camera(self) -> None:
        width, height = self._resolution
        if not FrameCamera.frame:
            FrameCamera.frame = blank_frame((width, height))
        self._texture = Texture.create(size=(width, height), colorfmt="rgba")
        self._texture.flip_vertical()  # as camera_gi: frames arrive top row first
        self._event: Any = None
        FrameCamera.opened += 1

    def start(self) -> None:
        super().start()
        self._event = Clock.schedule_interval(self._update, 1 / FPS)

    def stop(self) -> None:
        super().stop()
        if self._event is not None:
            self._event.cancel()

    def _update(self, _dt: float) -> None:
        if self.stopped:
            return
        self._format = "rgba"
        self._buffer = FrameCamera.frame
        self._copy_to_gpu()  # blit + dispatch('on_texture'), CameraBase's own path


class BrokenCamera(CameraBase):
    """A provider whose device is missing (as Kivy's providers fail without /dev/video0)."""

    def init_camera(self) -> None:
        raise OSError("no such device: /dev/video0")
