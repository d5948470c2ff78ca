"""Optional suggestion text, the "contact me" choice, and send."""

from __future__ import annotations

from kiosk.rating.screens.base import RatingScreen


class SuggestionScreen(RatingScreen):
    def refresh(self) -> None:
        flow = self.core.flow
        self.ids.send.disabled = flow.busy
        self.ids.send.text = self.rt("sending") if flow.busy else self.rt("send")
        self.ids.contact.state = "down" if flow.contact_me else "normal"

    def on_pre_enter(self, *_args: object) -> None:
        self.ids.text.text = self.core.flow.suggestion

    def toggled(self) -> None:
        self.core.set_contact_me(self.ids.contact.state == "down")

    def send(self) -> None:
        self.core.send(self.ids.text.text)
