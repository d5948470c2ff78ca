"""Guestbook: the server's form, one question per page.

Text questions get an input with the keyboard that suits them (e-mail, phone,
text); choice questions get one big button per answer. Errors are shown under
the question as soon as the visitor types something wrong, in words that say
how to fix it.
"""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.screens.base import KioskScreen
from kiosk.texts import error_text


class GuestbookScreen(KioskScreen):
    question = StringProperty("")
    progress = StringProperty("")
    error = StringProperty("")
    is_choice = BooleanProperty(False)
    _field_name = ""

    def refresh(self) -> None:
        journey = self.core.journey
        field = journey.current_field
        if field is None:
            return
        lang = journey.language
        optional = (
            ""
            if field.required
            else f"  [size={int(self.ids.hint.font_size)}]({self.tr('optional')})[/size]"
        )
        self.question = field.label + optional
        self.progress = self.tr(
            "guestbook_progress", current=journey.field_index + 1, total=len(journey.fields)
        )
        self.error = error_text(journey.errors.get(field.name), lang)
        if field.name != self._field_name or self.is_choice != (field.kind == "choice"):
            self._field_name = field.name
            self.is_choice = field.kind == "choice"
            self._build_input(field.kind, journey.values.get(field.name, ""))
            if self.is_choice:
                self._build_choices([(c.value, c.label) for c in field.choices])
            self.ids.keyboard.layout = field.keyboard
        elif self.is_choice:
            self._build_choices([(c.value, c.label) for c in field.choices])

    def _build_input(self, kind: str, value: str) -> None:
        answer = self.ids.answer
        answer.text = value
        answer.input_type = {"email": "mail", "phone": "tel", "number": "number"}.get(kind, "text")

    def _build_choices(self, choices: list[tuple[str, str]]) -> None:
        box = self.ids.choices
        box.clear_widgets()
        current = self.core.journey.values.get(self._field_name, "")
        for value, label in choices:
            button = Factory.KToggle(text=label, group=f"gb-{self._field_name}")
            button.state = "down" if value == current else "normal"
            button.choice_value = value
            button.bind(on_release=self._chosen)
            box.add_widget(button)

    def _chosen(self, button: Any) -> None:
        self.core.set_value(self._field_name, button.choice_value)
        self.error = ""

    def typed(self, text: str) -> None:
        if self.is_choice or not self._field_name:
            return
        self.core.set_value(self._field_name, text)
        self.error = error_text(
            self.core.journey.errors.get(self._field_name), self.core.journey.language
        )

    def next(self) -> None:
        self._field_name = ""
        self.core.next_field()

    def back(self) -> None:
        self._field_name = ""
        self.core.back()

    def on_leave(self, *_args: object) -> None:
        self._field_name = ""
        self.ids.answer.text = ""
