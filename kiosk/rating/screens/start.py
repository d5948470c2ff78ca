"""Start: scan the ticket's QR code or type the queue number."""

from __future__ import annotations

from kiosk.rating.screens.base import RatingScreen


class StartScreen(RatingScreen):
    def refresh(self) -> None:
        busy = self.core.flow.busy
        self.ids.go.disabled = busy
        self.ids.status.text = self.rt("looking_up") if busy else ""

    def on_pre_enter(self, *_args: object) -> None:
        self.ids.number.text = ""  # nothing typed by the previous visitor stays

    def go(self) -> None:
        self.core.typed(self.ids.number.text)
