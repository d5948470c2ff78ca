"""ID step: card type, number checked as it is typed, passport scanner, optional photo.

The ID comes first: a NIK tells sex and age group (not asked afterwards) and
finds a returning visitor. KTP and SIM numbers get the numeric pad; passports
and other cards the text keyboard. A complete, valid NIK moves on by itself
after a short visible confirmation; other cards use "Lanjut". A passport read
by the MRZ scanner fills the number (and sex and birth date) by itself; the
scanner hint shows only when a passport is chosen. The ID photo button exists
only when the camera setting is on and the visitor agreed to a photo.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.forms import check_id_as_typed
from kiosk.screens.base import KioskScreen
from kiosk.texts import error_text

#: how long "NIK benar" shows before the step moves on by itself (seconds)
AUTO_NEXT_SECONDS = 0.7


class IdentityScreen(KioskScreen):
    feedback = StringProperty("")
    feedback_ok = BooleanProperty(False)
    number_label = StringProperty("")
    photo_allowed = BooleanProperty(False)
    photo_text = StringProperty("")
    passport = BooleanProperty(False)
    searching = BooleanProperty(False)
    _syncing = False
    _auto: Any = None

    def refresh(self) -> None:
        journey = self.core.journey
        self.number_label = self.tr(f"identity_label_{journey.id_type}")
        self.passport = journey.id_type == "passport"
        self.searching = self.core.lookup_state == "searching"
        self._build_types()
        if self.ids.number.text != journey.id_number:
            self._syncing = True
            self.ids.number.text = journey.id_number
            self._syncing = False
        self.ids.keyboard.layout = "numeric" if journey.id_type in ("ktp", "sim") else "text"
        self.photo_allowed = journey.photo_allowed
        self.photo_text = self.tr(
            "identity_photo_taken" if journey.photo_jpeg else "identity_photo"
        )
        self._show_feedback()

    def on_enter(self, *_args: object) -> None:
        self.ids.number.focus = True  # a visible caret where the digits go

    def _build_types(self) -> None:
        """One button per ID type the server's form lists, in its language."""
        journey = self.core.journey
        choices = journey.form.id_types if journey.form else ()
        box = self.ids.types
        if [b.id_type for b in reversed(box.children)] != [c.value for c in choices] or [
            b.text for b in reversed(box.children)
        ] != [c.label for c in choices]:
            box.clear_widgets()
            for choice in choices:
                button = Factory.IdTypeButton(text=choice.label)
                button.id_type = choice.value
                button.bind(on_release=lambda b: self.choose_type(b.id_type))
                box.add_widget(button)
        for button in box.children:
            button.state = "down" if button.id_type == journey.id_type else "normal"

    def _show_feedback(self) -> None:
        journey = self.core.journey
        lang = journey.language
        error = journey.errors.get("id_number")
        feedback = check_id_as_typed(journey.id_type, journey.id_number)
        self.feedback_ok = error is None and feedback.complete
        if self.searching:
            self.feedback = self.tr("identity_searching")
        elif error:
            self.feedback = error_text(error, lang)
        elif self.core.scan_state == "scanned" and feedback.complete:
            self.feedback = self.tr("identity_scanned")
        elif feedback.complete and journey.nik_complete:
            self.feedback = self.tr("identity_next_auto")
        elif feedback.complete:
            self.feedback = self.tr("identity_ok")
        elif feedback.expected:
            self.feedback = self.tr(
                "identity_progress", typed=feedback.typed, expected=feedback.expected
            )
        else:
            self.feedback = ""

    def choose_type(self, id_type: str) -> None:
        self._cancel_auto()
        self.core.set_id_type(id_type)

    def typed(self, text: str) -> None:
        if self._syncing:
            return
        self._cancel_auto()
        journey = self.core.journey
        journey.set_id_number(text)
        self._show_feedback()
        if journey.nik_complete and "id_number" not in journey.errors:
            self._auto = Clock.schedule_once(lambda _dt: self.next(), AUTO_NEXT_SECONDS)

    def _cancel_auto(self) -> None:
        if self._auto is not None:
            self._auto.cancel()
            self._auto = None

    def take_photo(self) -> None:
        app_camera = getattr(self.core, "camera", None)
        if app_camera is not None:
            app_camera.capture(self.core.set_photo)

    def next(self) -> None:
        self._cancel_auto()
        if self.manager is not None and self.manager.current == self.name:
            self.core.confirm_id()

    def back(self) -> None:
        self._cancel_auto()
        self.core.back()

    def on_leave(self, *_args: object) -> None:
        self._cancel_auto()
