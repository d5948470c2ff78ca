"""The base class of every kiosk screen: access to the core, and a refresh hook."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.uix.screenmanager import Screen

if TYPE_CHECKING:
    from kiosk.core import KioskCore


class KioskScreen(Screen):
    """A screen that redraws itself from the core's state in :meth:`refresh`."""

    @property
    def core(self) -> KioskCore:
        core: KioskCore = App.get_running_app().core
        return core

    def tr(self, name: str, **params: Any) -> str:
        text: str = App.get_running_app().tr(name, **params)
        return text

    def refresh(self) -> None:
        """Redraw from the core; called after every change while this screen shows."""
