"""Consent: the personal-data notice (from the server) and the visitor's choice.

Shown before anything is typed. "Tidak setuju" stores nothing and sends the
visitor to the front desk; the optional ID-photo consent is only offered when
the kiosk has a camera enabled.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.screens.base import KioskScreen


class ConsentScreen(KioskScreen):
    notice = StringProperty("")
    version = StringProperty("")
    camera = BooleanProperty(False)

    def refresh(self) -> None:
        form = self.core.journey.form
        self.notice = form.notice_text if form else ""
        self.version = form.notice_version if form else ""
        self.camera = self.core.settings.camera

    def accept(self) -> None:
        photo = self.ids.photo.state == "down" if self.camera else False
        self.core.accept_consent(photo=photo)

    def decline(self) -> None:
        self.core.decline_consent()

    def on_leave(self, *_args: object) -> None:
        self.ids.photo.state = "normal"
