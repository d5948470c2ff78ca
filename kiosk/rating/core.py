"""Side effects of the rating terminal: look up the ticket, send the rating, keep the outbox.

:class:`RatingCore` owns the pure :class:`~kiosk.rating.flow.Flow`, the
client, the durable outbox (the kiosk's :class:`~kiosk.outbox.Outbox`, in its
own file) and the worker. Network calls run on the worker; their results
come back on the UI thread and change the flow, then ``on_change`` asks the
app to redraw. Offline, a rating waits in the outbox and is delivered
exactly once: the server keeps one rating per ticket, so a resend after a
lost answer gets 409 and is dropped, never stored twice.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from kiosk.client import ApiResult, Outcome
from kiosk.outbox import FlushReport, Outbox
from kiosk.rating.flow import Flow, Step, offline_blocks
from kiosk.scanner import token_from_scan
from kiosk.worker import Worker

log = logging.getLogger(__name__)

NOTICES = {"already_rated", "not_served", "unknown_ticket"}


class RatingCore:
    def __init__(
        self,
        *,
        client: Any,
        outbox: Outbox,
        worker: Worker,
        language: str = "id",
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.client = client
        self.outbox = outbox
        self.worker = worker
        self.default_language = language
        self.on_change = on_change
        self.flow = Flow(language=language)
        self.skd_url = ""  # the unit's SKD link, remembered for offline thanks screens
        self.last_flush: FlushReport | None = None
        self.delivered: list[str] = []  # request ids the outbox delivered since start

    def _changed(self) -> None:
        self.on_change()

    def reset(self) -> None:
        self.flow = Flow(language=self.default_language, skd_url=self.skd_url)
        self._changed()

    def set_language(self, language: str) -> None:
        self.flow.language = language
        self._changed()

    # --- which ticket -------------------------------------------------------------------------

    def scanned(self, token: str | None) -> None:
        """A QR code was read (on the UI thread). Only the start screen reacts to it."""
        if self.flow.step != Step.START or self.flow.busy:
            return
        if token is None:
            self.flow.refuse("unreadable")
            self._changed()
            return
        self.flow.token, self.flow.number = token, None
        self._look_up()

    def typed(self, text: str) -> None:
        """The visitor typed a queue number (or pasted a tracking link)."""
        text = text.strip()
        if not text or self.flow.busy:
            return
        token = token_from_scan(text) if "/" in text else None
        if token:
            self.flow.token, self.flow.number = token, None
        else:
            self.flow.token, self.flow.number = None, text.upper()
        self._look_up()

    def _look_up(self) -> None:
        flow = self.flow
        flow.busy = True
        self._changed()
        token, number = flow.token, flow.number
        self.worker.submit(lambda: self.client.target(token=token, number=number), self._looked_up)

    def _looked_up(self, result: ApiResult) -> None:
        flow = self.flow
        if result.ok:
            target = dict(result.data)
            self.skd_url = str(target.get("skd_url") or "")
            if target.get("rated"):
                flow.refuse("already_rated")
            elif not target.get("ratable"):
                flow.refuse("not_served")
            else:
                flow.begin(target, list(target["blocks"]))
        elif result.transient:
            log.warning("server unreachable; rating offline with SKM-9 from local data")
            flow.skd_url = self.skd_url
            flow.begin(None, offline_blocks())
        elif result.outcome == Outcome.NOT_FOUND:
            flow.refuse("unknown_ticket")
        else:
            flow.refuse("failed")
        self._changed()

    # --- answers (thin pass-throughs so screens never touch the flow's internals) ------------

    def choose_overall(self, score: int) -> None:
        self.flow.choose_overall(score)
        self._changed()

    def toggle_reason(self, code: str) -> None:
        self.flow.toggle_reason(code)
        self._changed()

    def followup_done(self, text: str) -> None:
        self.flow.followup_text = text
        self.flow.followup_done()
        self._changed()

    def answer(self, index: int | None) -> None:
        self.flow.answer(index)
        self._changed()

    def back(self) -> None:
        self.flow.back()
        self._changed()

    def set_contact_me(self, value: bool) -> None:
        self.flow.contact_me = value

    # --- sending ------------------------------------------------------------------------------

    def send(self, suggestion: str) -> None:
        flow = self.flow
        if flow.busy or flow.step != Step.SUGGESTION:
            return
        flow.suggestion = suggestion
        payload = flow.payload()
        payload["client_request_id"] = uuid.uuid4().hex
        flow.busy = True
        self._changed()
        self.worker.submit(lambda: self.client.rate(payload), lambda r: self._sent(r, payload))

    def _sent(self, result: ApiResult, payload: dict[str, Any]) -> None:
        flow = self.flow
        if result.ok:
            flow.sent(queued=False)
        elif result.transient:
            self.outbox.add(payload)
            flow.sent(queued=True)
        elif result.error_code in NOTICES:
            flow.refuse(result.error_code)
        else:
            flow.refuse("failed")
        self._changed()

    def flush_outbox(self) -> None:
        """Deliver waiting ratings (on the worker; one flush at a time)."""
        if self.outbox.count() == 0:
            return
        self.worker.submit(lambda: self.outbox.flush(self.client.rate), self._flushed)

    def _flushed(self, report: FlushReport) -> None:
        self.last_flush = report
        self.delivered.extend(report.delivered)
