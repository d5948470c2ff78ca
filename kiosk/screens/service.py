"""Service choice: one big button per active service, with its one-line description."""

from __future__ import annotations

from kivy.factory import Factory

from kiosk.screens.base import KioskScreen


class ServiceScreen(KioskScreen):
    def refresh(self) -> None:
        box = self.ids.services
        box.clear_widgets()
        lang = self.core.journey.language
        for service in self.core.journey.services:
            button = Factory.KButton(
                text=f"[b]{service.name(lang)}[/b]\n[size={int(self.ids.hint.font_size)}]"
                f"{service.description(lang)}[/size]",
            )
            button.service_id = service.id
            button.bind(on_release=self._chosen)
            box.add_widget(button)

    def _chosen(self, button: object) -> None:
        self.core.choose_service(int(button.service_id))  # type: ignore[attr-defined]
