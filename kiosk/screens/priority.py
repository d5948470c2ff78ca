"""The last step: one tap takes the ticket — a regular one, or priority for a reason.

Reasons come from the server's form (disability, elderly 60+, pregnant,
carrying a small child, disaster victim); no proof is asked. Sex and age group
read from the ID are shown with an "Ubah" button, so a visitor can correct
them (a correction that contradicts the NIK is refused with a clear message).
The e-mail copy tick box appears only when the server sends e-mail
(``mail_enabled`` in ``GET /api/v1/unit``) and the visitor gave an address.
"""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.screens.base import KioskScreen


class PriorityScreen(KioskScreen):
    busy = BooleanProperty(False)
    email_offered = BooleanProperty(False)
    from_id = StringProperty("")

    def refresh(self) -> None:
        journey = self.core.journey
        self.busy = self.core.busy
        self.email_offered = journey.email_copy_offered
        self.ids.email_copy.state = "down" if journey.email_copy else "normal"
        told = [
            journey.label_of(field, journey.values.get(field.name, ""))
            for field in journey.fields
            if field.name in journey.told
        ]
        self.from_id = self.tr("priority_from_id", answers=", ".join(told)) if told else ""
        reasons = journey.form.priority_reasons if journey.form else ()
        box = self.ids.reasons
        wanted = [(c.value, c.label) for c in reasons]
        if [(b.reason, b.text) for b in reversed(box.children)] != wanted:
            box.clear_widgets()
            for value, label in wanted:
                button = Factory.KTileAction(text=label)
                button.reason = value
                button.bind(on_release=self._chosen)
                box.add_widget(button)
        for button in box.children:
            button.disabled = self.busy

    def _chosen(self, button: Any) -> None:
        self.core.take_ticket(button.reason)

    def take_regular(self) -> None:
        self.core.take_ticket(None)

    def email_copy(self, wanted: bool) -> None:
        self.core.journey.email_copy = wanted

    def correct(self) -> None:
        self.core.correct_from_id()
