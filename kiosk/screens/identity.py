"""ID step: card type, number checked as it is typed, passport scanner, optional photo.

KTP and SIM numbers get the numeric pad; passports and other cards the text
keyboard. A passport read by the MRZ scanner fills the number by itself. The
ID photo button exists only when the camera setting is on and the visitor
agreed to a photo on the consent screen.
"""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.forms import check_id_as_typed
from kiosk.screens.base import KioskScreen
from kiosk.texts import error_text


class IdentityScreen(KioskScreen):
    feedback = StringProperty("")
    feedback_ok = BooleanProperty(False)
    number_label = StringProperty("")
    photo_allowed = BooleanProperty(False)
    photo_text = StringProperty("")
    _syncing = False

    def refresh(self) -> None:
        journey = self.core.journey
        self.number_label = self.tr(f"identity_label_{journey.id_type}")
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
        if error:
            self.feedback = error_text(error, lang)
        elif self.core.scan_state == "scanned" and feedback.complete:
            self.feedback = self.tr("identity_scanned")
        elif feedback.complete:
            self.feedback = self.tr("identity_ok")
        elif feedback.expected:
            self.feedback = self.tr(
                "identity_progress", typed=feedback.typed, expected=feedback.expected
            )
        else:
            self.feedback = ""

    def choose_type(self, id_type: str) -> None:
        self.core.set_id_type(id_type)

    def typed(self, text: str) -> None:
        if self._syncing:
            return
        self.core.journey.set_id_number(text)
        self._show_feedback()

    def take_photo(self) -> None:
        app_camera = getattr(self.core, "camera", None)
        if app_camera is not None:
            app_camera.capture(self.core.set_photo)

    def next(self) -> None:
        self.core.confirm_id()
