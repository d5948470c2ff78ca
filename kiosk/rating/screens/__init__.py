"""The rating terminal's screens, one ``<name>.py`` + ``<name>.kv`` each, keyed by flow step."""

from __future__ import annotations

from collections.abc import Callable

from kivy.uix.screenmanager import Screen

from kiosk.rating.screens.followup import FollowupScreen
from kiosk.rating.screens.notice import NoticeScreen
from kiosk.rating.screens.overall import OverallScreen
from kiosk.rating.screens.question import QuestionScreen
from kiosk.rating.screens.start import StartScreen
from kiosk.rating.screens.suggestion import SuggestionScreen
from kiosk.rating.screens.thanks import ThanksScreen

SCREENS: dict[str, Callable[..., Screen]] = {
    "start": StartScreen,
    "overall": OverallScreen,
    "followup": FollowupScreen,
    "question": QuestionScreen,
    "suggestion": SuggestionScreen,
    "thanks": ThanksScreen,
    "notice": NoticeScreen,
}
