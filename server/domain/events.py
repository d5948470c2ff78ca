"""The names of live events: one list for the server and, through the API, the browser.

Every change to the queue writes one event row whose ``type`` is one of these
names; the SSE stream (``GET /api/v1/events``) sends it as the event name, and
``GET /api/v1/events/types`` hands the same list to the console and the board,
so neither side keeps its own copy.
"""

from __future__ import annotations

from typing import Final

TICKET_ISSUED: Final = "ticket.issued"
TICKET_CALLED: Final = "ticket.called"
TICKET_RECALLED: Final = "ticket.recalled"
TICKET_STARTED: Final = "ticket.started"
TICKET_FINISHED: Final = "ticket.finished"
TICKET_NO_SHOW: Final = "ticket.no_show"
TICKET_REQUEUED: Final = "ticket.requeued"
TICKET_TRANSFERRED: Final = "ticket.transferred"
TICKET_CANCELLED: Final = "ticket.cancelled"
COUNTER_UPDATED: Final = "counter.updated"
DEVICE_ALERT: Final = "device.alert"
CASE_STEP: Final = "case.step"  # a request or complaint took a step (issue 11)
UNIT_UPDATED: Final = "unit.updated"  # an admin changed the office (admin pages)
SERVICES_UPDATED: Final = "services.updated"  # an admin added or changed a service

ALL: Final[tuple[str, ...]] = (
    TICKET_ISSUED,
    TICKET_CALLED,
    TICKET_RECALLED,
    TICKET_STARTED,
    TICKET_FINISHED,
    TICKET_NO_SHOW,
    TICKET_REQUEUED,
    TICKET_TRANSFERRED,
    TICKET_CANCELLED,
    COUNTER_UPDATED,
    DEVICE_ALERT,
    CASE_STEP,
    UNIT_UPDATED,
    SERVICES_UPDATED,
)
