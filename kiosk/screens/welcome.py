"""Welcome: language switch, what the visit needs, and the big start button."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.screens.base import KioskScreen


class WelcomeScreen(KioskScreen):
    unit_name = StringProperty("")
    status = StringProperty("")

    def refresh(self) -> None:
        core = self.core
        self.unit_name = core.unit.name
        self.status = (
            ""
            if core.load_state == "ready"
            else self.tr("loading" if core.load_state == "loading" else "not_ready")
        )

    def toggle_language(self) -> None:
        self.core.set_language("en" if self.core.journey.language == "id" else "id")

    def start(self) -> None:
        self.core.start()
