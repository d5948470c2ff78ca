"""Priority: "Butuh layanan prioritas?" — one tap, no proof — and the final "Ambil" button.

Reasons come from the server's form (disability, elderly 60+, pregnant,
carrying a small child, disaster victim). The e-mail copy tick box appears
only when the visitor gave an e-mail address.
"""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty

from kiosk.screens.base import KioskScreen


class PriorityScreen(KioskScreen):
    busy = BooleanProperty(False)
    email_given = BooleanProperty(False)

    def refresh(self) -> None:
        journey = self.core.journey
        self.busy = self.core.busy
        self.email_given = journey.email_given
        self.ids.email_copy.state = "down" if journey.email_copy else "normal"
        reasons = journey.form.priority_reasons if journey.form else ()
        box = self.ids.reasons
        wanted = [("", self.tr("priority_none"))] + [(c.value, c.label) for c in reasons]
        if [(b.reason, b.text) for b in reversed(box.children)] != wanted:
            box.clear_widgets()
            for value, label in wanted:
                button = Factory.KToggle(text=label, group="priority")
                button.reason = value
                button.bind(on_release=self._chosen)
                box.add_widget(button)
        current = journey.priority_reason or ""
        for button in box.children:
            button.state = "down" if button.reason == current else "normal"

    def _chosen(self, button: Any) -> None:
        self.core.set_priority(button.reason or None)

    def email_copy(self, wanted: bool) -> None:
        self.core.journey.email_copy = wanted

    def take_ticket(self) -> None:
        self.core.take_ticket()
