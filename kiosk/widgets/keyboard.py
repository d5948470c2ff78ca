"""An on-screen keyboard whose layout suits the field being typed.

Layouts: ``numeric`` (NIK, SIM), ``phone`` (digits and ``+``), ``text``
(letters, digits, common punctuation) and ``email`` (no space; ``@`` and
one-tap domains such as ``gmail.com`` and ``bps.go.id``). Keys are big
buttons; a key press edits the ``target`` TextInput directly, so the keyboard
works whether or not the field still has focus; keys always type at the
end of the text (a kiosk visitor never moves a cursor). Styling lives in kiosk.kv.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import ObjectProperty, OptionProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button

BACKSPACE, CLEAR, SHIFT, SPACE = "<bs>", "<clear>", "<shift>", " "

EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "bps.go.id", "yahoo.co.id", "outlook.com")

LAYOUTS: dict[str, list[list[str]]] = {
    "numeric": [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"], [CLEAR, "0", BACKSPACE]],
    "phone": [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"], ["+", "0", BACKSPACE]],
    "text": [
        list("1234567890"),
        list("qwertyuiop"),
        [*list("asdfghjkl"), "'"],
        [SHIFT, *list("zxcvbnm"), ",", "."],
        ["-", "/", SPACE, BACKSPACE],
    ],
    "email": [
        list("1234567890"),
        list("qwertyuiop"),
        [*list("asdfghjkl"), "_"],
        [*list("zxcvbnm"), "-", ".", BACKSPACE],
        ["@", *[f"@{domain}" for domain in EMAIL_DOMAINS[:3]]],
    ],
}


class KeyButton(Button):
    """One key; ``key`` is what it types (or a control name like ``<bs>``)."""

    key = StringProperty("")


class KioskKeyboard(BoxLayout):
    """Rows of keys for the current ``layout``, typing into ``target``."""

    layout = OptionProperty("text", options=list(LAYOUTS))
    target = ObjectProperty(None, allownone=True)
    shift = ObjectProperty(False)
    labels = ObjectProperty({})  # control key -> visible label (from the catalog)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(layout=self._build, labels=self._build)
        self._build()

    def _build(self, *_args: Any) -> None:
        self.clear_widgets()
        for keys in LAYOUTS[self.layout]:
            row = BoxLayout(spacing=self.spacing)
            for key in keys:
                button = KeyButton(key=key, text=self._label(key))
                if key in (SPACE,) or (key.startswith("@") and len(key) > 1):
                    button.size_hint_x = 2.5 if key == SPACE else 2
                button.bind(on_release=self._pressed)
                row.add_widget(button)
            self.add_widget(row)

    def _label(self, key: str) -> str:
        names = {BACKSPACE: "kb_backspace", CLEAR: "kb_clear", SHIFT: "kb_shift", SPACE: "kb_space"}
        if key in names:
            return str(self.labels.get(names[key], key))
        return key.upper() if self.shift and key.isalpha() else key

    def _pressed(self, button: KeyButton) -> None:
        self.type_key(button.key)

    def type_key(self, key: str) -> None:
        """Apply one key to the target field."""
        field = self.target
        if field is None:
            return
        if key == BACKSPACE:
            field.text = field.text[:-1]
        elif key == CLEAR:
            field.text = ""
        elif key == SHIFT:
            self.shift = not self.shift
            self._relabel()
        elif key.startswith("@") and len(key) > 1:
            text = field.text
            field.text = (text.split("@")[0] if "@" in text else text) + key
        else:
            char = key.upper() if self.shift and key.isalpha() else key
            field.text += char
            if self.shift and key.isalpha():
                self.shift = False
                self._relabel()
        # the caret follows the text, where the next key types
        field.cursor = field.get_cursor_from_index(len(field.text))

    def _relabel(self) -> None:
        for row in self.children:
            for button in row.children:
                if isinstance(button, KeyButton):
                    button.text = self._label(button.key)
