"""Start: scan the ticket's QR code (scanner or camera) or type the queue number.

The hint promises only what works: "scan" when a serial scanner is set up,
the camera (with its live picture) only once it delivers frames, and typing
the number always.
"""

from __future__ import annotations

from kivy.app import App

from kiosk.rating.screens.base import RatingScreen


class StartScreen(RatingScreen):
    def refresh(self) -> None:
        app = App.get_running_app()
        busy = self.core.flow.busy
        self.ids.go.disabled = busy
        self.ids.status.text = self.rt("looking_up") if busy else ""
        self.ids.hint.text = self.rt("start_hint" if app.scanner_ready else "start_hint_type")
        camera = app.camera.texture if app.camera_ready else None
        self.ids.camera_hint.text = self.rt("start_camera") if camera is not None else ""
        self.ids.preview.texture = camera
        self.ids.preview.shown = camera is not None

    def on_pre_enter(self, *_args: object) -> None:
        self.ids.number.text = ""  # nothing typed by the previous visitor stays

    def go(self) -> None:
        self.core.typed(self.ids.number.text)
