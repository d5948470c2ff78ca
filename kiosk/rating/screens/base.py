"""The base of every rating screen: the core, catalog text, a refresh hook, the target line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.uix.screenmanager import Screen

if TYPE_CHECKING:
    from kiosk.rating.core import RatingCore


class RatingScreen(Screen):
    """A screen that redraws itself from the core's flow in :meth:`refresh`."""

    @property
    def core(self) -> RatingCore:
        core: RatingCore = App.get_running_app().core
        return core

    def rt(self, name: str, **params: Any) -> str:
        text: str = App.get_running_app().rt(name, **params)
        return text

    def target_line(self) -> str:
        """What is being rated: service and counter, never the visitor's name."""
        flow = self.core.flow
        target = flow.target
        if target is None:
            return self.rt("rating_offline_target", number=flow.number or "—")
        service = target["service"][flow.language]
        if target.get("counter_name"):
            return self.rt("rating_for", service=service, counter=target["counter_name"])
        return self.rt("rating_for_no_counter", service=service)

    def refresh(self) -> None:
        """Redraw from the flow; called after every change while this screen shows."""
