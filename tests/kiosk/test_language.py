"""One language rule for the server and the kiosk: ``server.i18n.normalise_language``."""

from __future__ import annotations

import pytest

from kiosk.journey import Journey
from kiosk.settings import KioskSettings
from server.i18n import normalise_language


@pytest.mark.parametrize(
    ("given", "expected"),
    [("en", "en"), ("EN-us", "en"), (" en_GB ", "en"), ("id", "id"), ("fr", "id"), ("", "id")],
)
def test_kiosk_settings_journey_and_server_agree(given: str, expected: str) -> None:
    assert normalise_language(given) == expected
    assert KioskSettings(language=given).language == expected
    journey = Journey()
    journey.set_language(given)
    assert journey.language == expected
