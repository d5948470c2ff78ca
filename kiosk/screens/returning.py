"""Returning visitor: find me by NIK or e-mail, show masked values, confirm.

Only after "Ya, ini saya" does the journey pre-fill the non-sensitive answers;
"Belum, ini kunjungan pertama" goes straight to an empty guestbook.
"""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.screens.base import KioskScreen
from kiosk.texts import error_text

MASKED_ORDER = ("name", "email", "phone", "id_number")


class ReturningScreen(KioskScreen):
    mode = StringProperty("choose")  # choose | nik | email | found
    message = StringProperty("")
    masked = StringProperty("")

    def on_pre_enter(self, *_args: object) -> None:
        self.mode = "choose"
        self.ids.query.text = ""

    def refresh(self) -> None:
        core = self.core
        lang = core.journey.language
        state = core.lookup_state
        if state == "found" and core.journey.match is not None:
            self.mode = "found"
            values = core.journey.match.masked
            self.masked = "\n".join(
                f"{self.tr('label_' + key)}: [b]{values[key]}[/b]"
                for key in MASKED_ORDER
                if key in values
            )
        elif self.mode == "found":
            self.mode = "choose"
        if state == "error":
            self.message = error_text(core.lookup_error, lang)
        elif state in ("not_found", "failed"):
            self.message = self.tr(f"returning_{state}")
        elif state == "searching":
            self.message = self.tr("returning_searching")
        else:
            self.message = ""
        self.ids.keyboard.layout = "email" if self.mode == "email" else "numeric"

    def find_by(self, kind: str) -> None:
        self.mode = kind
        self.ids.query.text = ""
        self.core.lookup_state = ""
        self.refresh()

    def search(self) -> None:
        self.core.lookup(self.mode, self.ids.query.text)

    def first_visit(self) -> None:
        self.core.first_visit()

    def confirm(self, is_me: bool) -> None:
        self.ids.query.text = ""
        if not is_me:
            self.mode = "choose"
        self.core.confirm_match(is_me)
