"""After a low overall score: what went wrong (choices from the questionnaire data + text)."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory

from kiosk.rating.screens.base import RatingScreen
from server.domain import skm


class FollowupScreen(RatingScreen):
    def refresh(self) -> None:
        flow = self.core.flow
        box = self.ids.reasons
        box.clear_widgets()
        for reason in skm.followup_reasons():
            code = str(reason["code"])
            label = reason["label"][flow.language]  # type: ignore[index]
            check = Factory.KCheck(label=label)
            check.state = "down" if code in flow.reasons else "normal"
            check.reason = code
            check.bind(on_release=self._toggled)
            box.add_widget(check)

    def _toggled(self, check: Any) -> None:
        self.core.toggle_reason(str(check.reason))

    def done(self) -> None:
        self.core.followup_done(self.ids.text.text)
