"""A message screen with one button back to the start.

Used for three steps: consent declined (go to the front desk, nothing
stored), server unreachable (data kept in the outbox, go to the front desk)
and a registration the kiosk cannot complete.
"""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.screens.base import KioskScreen


class NoticeScreen(KioskScreen):
    title_key = StringProperty("")
    text_key = StringProperty("")

    def done(self) -> None:
        self.core.reset()
