"""A big tappable face for a 1–4 score: red frown to green smile, drawn with Kivy graphics.

No emoji font is needed (the kiosk's fonts have none): the face is a filled
circle with two eyes and a mouth whose curve follows the score; the label
below says the score in words. ``score`` is what a tap chooses.
"""

from __future__ import annotations

from typing import Any

from kivy.graphics import Color, Ellipse, Line
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget

FACE_COLOURS = {
    1: (0.80, 0.16, 0.13, 1),
    2: (0.93, 0.55, 0.10, 1),
    3: (0.55, 0.74, 0.20, 1),
    4: (0.10, 0.60, 0.30, 1),
}


class FaceDrawing(Widget):
    score = NumericProperty(3)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(pos=self._draw, size=self._draw, score=self._draw)

    def _draw(self, *_args: Any) -> None:
        self.canvas.clear()
        d = min(self.width, self.height) * 0.92
        x0 = self.center_x - d / 2
        y0 = self.center_y - d / 2
        score = int(self.score)
        with self.canvas:
            Color(*FACE_COLOURS.get(score, FACE_COLOURS[3]))
            Ellipse(pos=(x0, y0), size=(d, d))
            Color(1, 1, 1, 1)
            eye = d * 0.12
            for fx in (0.32, 0.68):
                Ellipse(pos=(x0 + d * fx - eye / 2, y0 + d * 0.6), size=(eye, eye * 1.3))
            curve = {1: -0.22, 2: -0.09, 3: 0.09, 4: 0.22}.get(score, 0.0)
            left, right = (x0 + d * 0.27, x0 + d * 0.73)
            mouth_y = y0 + d * (0.33 if curve > 0 else 0.25)
            Line(
                bezier=[left, mouth_y, self.center_x, mouth_y - curve * d * 2, right, mouth_y],
                width=max(2.0, d * 0.045),
                cap="round",
            )


class FaceButton(ButtonBehavior, BoxLayout):
    """A face and its label; dispatches ``on_release`` like a Button."""

    score = NumericProperty(3)
    label = StringProperty("")
    label_color = ListProperty([0.1, 0.12, 0.16, 1])
    font_size = NumericProperty(28)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(orientation="vertical", **kwargs)
        self.face = FaceDrawing(score=self.score)
        self.text_label = Label(
            text=self.label, color=self.label_color, font_size=self.font_size,
            size_hint_y=None, height=self.font_size * 2, bold=True,
        )  # fmt: skip
        self.add_widget(self.face)
        self.add_widget(self.text_label)
        self.bind(
            score=lambda *_: setattr(self.face, "score", self.score),
            label=lambda *_: setattr(self.text_label, "text", self.label),
            font_size=self._font,
        )
        self.bind(state=self._pressed)

    def _font(self, *_args: Any) -> None:
        self.text_label.font_size = self.font_size
        self.text_label.height = self.font_size * 2

    def _pressed(self, *_args: Any) -> None:
        self.opacity = 0.6 if self.state == "down" else 1.0
