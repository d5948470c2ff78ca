"""The "Masih di sini?" prompt shown when nobody touched the screen for a while."""

from __future__ import annotations

from kivy.properties import NumericProperty
from kivy.uix.modalview import ModalView


class IdlePrompt(ModalView):
    seconds = NumericProperty(15)
