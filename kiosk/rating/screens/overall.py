"""The first, big question: four faces, one tap moves on."""

from __future__ import annotations

from kiosk.rating.screens.base import RatingScreen


class OverallScreen(RatingScreen):
    def refresh(self) -> None:
        self.ids.target.text = self.target_line()
        for score in range(1, 5):
            self.ids[f"face{score}"].label = self.rt(f"face_{score}")
