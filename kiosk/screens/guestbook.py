"""Guestbook: the questions the ID and the records do not answer, one page each.

Text questions get an input (with a visible caret) and the keyboard that
suits them; names are capitalised as typed. Choice questions get one big tile
per answer, aligned in a grid even when a label wraps; a tap shows the answer
as chosen and moves on by itself after a short moment, so "Lanjut" appears
only where the visitor types. The institution's name and its category share
one page. Errors are shown under the question in words that say how to fix it.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.screens.base import KioskScreen
from kiosk.texts import error_text
from server.domain.guestbook import capitalise_name

#: how long a chosen answer shows before the next question (seconds)
AUTO_NEXT_SECONDS = 0.6


class GuestbookScreen(KioskScreen):
    question = StringProperty("")
    choice_question = StringProperty("")
    progress = StringProperty("")
    error = StringProperty("")
    chosen = StringProperty("")
    has_text = BooleanProperty(False)
    has_choice = BooleanProperty(False)
    moving = BooleanProperty(False)
    _text_name = ""
    _choice_name = ""
    _page_key: tuple[str, ...] = ()
    _syncing = False
    _auto: Any = None

    def refresh(self) -> None:
        journey = self.core.journey
        page = journey.page
        if not page:
            return
        text_field = page[0] if page[0].kind != "choice" else None
        choice_field = page[-1] if page[-1].kind == "choice" else None
        key = tuple(f.name for f in page)
        self.progress = self.tr(
            "guestbook_progress", current=journey.page_index + 1, total=len(journey.pages)
        )
        self.question = self._label(page[0])
        self.choice_question = (
            self._label(choice_field) if choice_field and text_field is not None else ""
        )
        self.error = next(
            (
                error_text(journey.errors[f.name], journey.language)
                for f in page
                if f.name in journey.errors
            ),
            "",
        )
        if key != self._page_key:
            self._cancel_auto()
            self._page_key = key
            self.chosen = ""
            self.has_text = text_field is not None
            self.has_choice = choice_field is not None
            self._text_name = text_field.name if text_field else ""
            self._choice_name = choice_field.name if choice_field else ""
            answer = self.ids.answer
            self._syncing = True
            answer.text = journey.values.get(self._text_name, "") if text_field else ""
            self._syncing = False
            if text_field is not None:
                answer.input_type = {"email": "mail", "phone": "tel", "number": "number"}.get(
                    text_field.kind, "text"
                )
                self.ids.keyboard.layout = text_field.keyboard
                answer.cursor = answer.get_cursor_from_index(len(answer.text))
                answer.focus = True
            if choice_field is not None:
                self._build_choices([(c.value, c.label) for c in choice_field.choices])
        elif choice_field is not None:
            self._mark_choice()

    def _label(self, field: Any) -> str:
        journey = self.core.journey
        if journey.required(field):
            return str(field.label)
        size = int(self.ids.hint.font_size)
        return f"{field.label}  [size={size}]({self.tr('optional')})[/size]"

    def _build_choices(self, choices: list[tuple[str, str]]) -> None:
        box = self.ids.choices
        box.clear_widgets()
        for value, label in choices:
            button = Factory.KTile(text=label, group=f"gb-{self._choice_name}")
            button.choice_value = value
            button.bind(on_release=self._tapped)
            box.add_widget(button)
        self._mark_choice()

    def _mark_choice(self) -> None:
        current = self.core.journey.values.get(self._choice_name, "")
        for button in self.ids.choices.children:
            button.state = "down" if button.choice_value == current else "normal"

    def _tapped(self, button: Any) -> None:
        if self.moving:
            return
        if self.has_text:
            self.core.set_value(self._text_name, self.ids.answer.text)
        complete = self.core.choose(self._choice_name, button.choice_value)
        journey = self.core.journey
        self._mark_choice()
        self.error = error_text(journey.errors.get(self._choice_name), journey.language)
        if complete:
            self.chosen = self.tr("chosen", answer=button.text)
            self.moving = True
            self._auto = Clock.schedule_once(lambda _dt: self._advance(), AUTO_NEXT_SECONDS)
        else:
            self.chosen = ""
            if self.has_text and self._text_name in journey.errors:
                self.error = error_text(journey.errors[self._text_name], journey.language)

    def _advance(self) -> None:
        self._auto = None
        self.moving = False
        self.next()

    def _cancel_auto(self) -> None:
        if self._auto is not None:
            self._auto.cancel()
            self._auto = None
        self.moving = False

    def typed(self, text: str) -> None:
        if self._syncing or not self._text_name:
            return
        journey = self.core.journey
        field = journey.form.field_named(self._text_name) if journey.form else None
        if field is not None and field.capitalise:
            shown = capitalise_name(text)
            if shown != text:  # "siti aminah" shows as "Siti Aminah" while typing
                self.ids.answer.text = shown
                return
        self.core.set_value(self._text_name, text)
        self.error = error_text(journey.errors.get(self._text_name), journey.language)

    def next(self) -> None:
        self._cancel_auto()
        self._page_key = ()
        self.core.next_field()

    def back(self) -> None:
        self._cancel_auto()
        self._page_key = ()
        self.core.back()

    def on_leave(self, *_args: object) -> None:
        self._cancel_auto()
        self._page_key = ()
        self._syncing = True
        self.ids.answer.text = ""
        self._syncing = False
