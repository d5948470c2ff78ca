"""A polite notice: already rated, not served yet, unknown ticket, unreadable code, failure."""

from __future__ import annotations

from kiosk.rating.screens.base import RatingScreen


class NoticeScreen(RatingScreen):
    def refresh(self) -> None:
        self.ids.text.text = self.rt(f"notice_{self.core.flow.notice or 'failed'}")
