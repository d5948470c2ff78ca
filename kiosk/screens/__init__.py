"""One Kivy screen per journey step; each ``<name>.py`` sits next to ``<name>.kv``."""

from __future__ import annotations

#: screen module names, in journey order; their .kv files are loaded by the app
SCREEN_MODULES = (
    "welcome",
    "consent",
    "identity",
    "summary",
    "guestbook",
    "priority",
    "ticket",
    "notice",
)
#: the idle prompt's idle.kv is loaded by the shared shell (kiosk/shell.py) for both apps
