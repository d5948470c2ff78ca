"""Returning visitor: one screen with what is on file (masked) and "Benar" / "Ubah".

Shown when the NIK typed on the ID step belongs to an earlier visitor. Personal
values arrive masked from the server and stay masked; the answers (education,
occupation ...) are shown by their labels, with sex and age group as the NIK
tells them today. "Benar" goes straight on (asking only what the chosen
service needs and the record lacks, such as an e-mail); "Ubah" asks the
questions again with these answers filled in.
"""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.screens.base import KioskScreen

MASKED_LABELS = {"name": "label_name", "email": "label_email", "phone": "label_phone"}


class SummaryScreen(KioskScreen):
    rows_text = StringProperty("")

    def refresh(self) -> None:
        journey = self.core.journey
        form = journey.form
        box = self.ids.rows
        box.clear_widgets()
        for name, value in journey.summary:
            if name in MASKED_LABELS:
                label = self.tr(MASKED_LABELS[name])
            else:
                field = form.field_named(name) if form else None
                label = field.label if field else name
            row = Factory.SummaryRow()
            row.ids.label.text = label
            row.ids.value.text = value
            box.add_widget(row)

    def confirm(self, correct: bool) -> None:
        self.core.confirm_match(correct)
