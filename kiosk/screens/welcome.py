"""Welcome: language switch, what the visit needs, and one start tile per service.

A tap on a service tile starts the journey for that service (no separate
"start" and "which service" taps). The sentence about what to bring is true:
an ID card for everyone, an e-mail address only for the services that need
one (the recommendation service), named from the server's service list.
"""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.screens.base import KioskScreen


class WelcomeScreen(KioskScreen):
    unit_name = StringProperty("")
    status = StringProperty("")
    needs = StringProperty("")
    _tiles: tuple[tuple[int, str], ...] = ()

    def refresh(self) -> None:
        core = self.core
        lang = core.journey.language
        self.unit_name = core.unit.name
        self.status = (
            ""
            if core.load_state == "ready"
            else self.tr("loading" if core.load_state == "loading" else "not_ready")
        )
        services = core.journey.services
        needs = [self.tr("welcome_needs")]
        with_email = [s.name(lang) for s in services if s.requires_email]
        if with_email:
            needs.append(self.tr("welcome_needs_email", services=", ".join(with_email)))
        self.needs = " ".join(needs)
        size = int(App.get_running_app().fs * 0.8)
        tiles: list[tuple[int, str]] = []
        for service in services:
            extra = f"  ·  {self.tr('service_needs_email')}" if service.requires_email else ""
            tiles.append(
                (
                    service.id,
                    f"[b]{service.name(lang)}[/b]\n"
                    f"[size={size}]{service.description(lang)}{extra}[/size]",
                )
            )
        if tuple(tiles) != self._tiles:
            self._tiles = tuple(tiles)
            box = self.ids.services
            box.clear_widgets()
            for service_id, text in tiles:
                button = Factory.KTilePrimary(text=text)
                button.service_id = service_id
                button.bind(on_release=self._chosen)
                box.add_widget(button)
        for button in self.ids.services.children:
            button.disabled = core.load_state != "ready"

    def toggle_language(self) -> None:
        self.core.set_language("en" if self.core.journey.language == "id" else "id")

    def _chosen(self, button: Any) -> None:
        self.core.start(int(button.service_id))
