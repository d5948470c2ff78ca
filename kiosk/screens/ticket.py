"""Ticket: the number, queue position and wait, the printed ticket's preview
(with its QR code), the print state and a reprint button.

Shown as soon as the server answers, while the ticket prints. If printing
fails the ticket stays on screen and the visitor is told plainly what to do.
"""

from __future__ import annotations

import io

from kivy.core.image import Image as CoreImage
from kivy.properties import BooleanProperty, StringProperty

from kiosk.screens.base import KioskScreen


class TicketScreen(KioskScreen):
    number = StringProperty("")
    service = StringProperty("")
    position = StringProperty("")
    wait = StringProperty("")
    print_text = StringProperty("")
    print_failed = BooleanProperty(False)
    priority = BooleanProperty(False)
    printing = BooleanProperty(False)
    _preview_id = 0

    def refresh(self) -> None:
        core = self.core
        content = core.ticket_content
        ticket = core.journey.ticket
        if ticket is None or content is None:
            return
        self.number = ticket.number
        self.service = content.service_name
        self.priority = ticket.priority
        if ticket.people_ahead > 0:
            self.position = self.tr("ticket_people_ahead", count=ticket.people_ahead)
        else:
            self.position = self.tr("ticket_people_ahead_none")
        minutes = ticket.estimated_wait_minutes
        # never "0 menit": no wait reads as "Segera dilayani"
        self.wait = (
            self.tr("ticket_wait", minutes=minutes) if minutes > 0 else self.tr("ticket_wait_none")
        )
        state = core.print_state
        self.printing = state == "printing"
        self.print_failed = state == "failed"
        self.print_text = {
            "printing": self.tr("ticket_printing"),
            "printed": self.tr("ticket_printed"),
            "failed": self.tr("ticket_print_failed"),
        }.get(state, "")
        self._show_preview(core.preview_png)

    def _show_preview(self, png: bytes | None) -> None:
        image = self.ids.preview
        if png is None:
            image.texture = None
            self._preview_id = 0
            return
        if id(png) == self._preview_id:
            return
        self._preview_id = id(png)
        image.texture = CoreImage(io.BytesIO(png), ext="png").texture

    def reprint(self) -> None:
        self.core.reprint()

    def done(self) -> None:
        self.core.reset()
