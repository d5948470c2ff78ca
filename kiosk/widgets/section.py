"""A vertical block that can be hidden completely: no space, no drawing, no touches.

Kivy widgets that are only made transparent and disabled still take up space
for their children and *swallow* touches that land on them; a hidden
:class:`Section` collapses to zero height and lets every touch pass through.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty
from kivy.uix.boxlayout import BoxLayout


class Section(BoxLayout):
    shown = BooleanProperty(True)

    def on_touch_down(self, touch: Any) -> bool:
        return bool(self.shown and super().on_touch_down(touch))

    def on_touch_move(self, touch: Any) -> bool:
        return bool(self.shown and super().on_touch_move(touch))

    def on_touch_up(self, touch: Any) -> bool:
        return bool(self.shown and super().on_touch_up(touch))
