"""The names of live events: one list for the server and, through the API, the browser.

Every change to the queue writes one event row whose ``type`` is one of these
names; the SSE stream (``GET /api/v1/events``) sends it as the event name, and
``GET /api/v1/events/types`` hands the same list to the console and the board,
so neither side keeps its own copy.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

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


class Cursor(NamedTuple):
    """Where a stream stands in its unit's event log; sent to clients as the SSE ``id``.

    SQLite: ``tx`` is None and events follow ``id`` (its one write lock commits in
    id order). PostgreSQL: events follow ``(tx, id)``, ``tx`` being the writing
    transaction's id (see ``server/store/events.py`` for why that order is safe).
    """

    tx: int | None
    id: int

    def token(self) -> str:
        """The opaque SSE id: ``"<id>"`` on SQLite, ``"<tx>-<id>"`` on PostgreSQL."""
        return str(self.id) if self.tx is None else f"{self.tx}-{self.id}"


# Plain ASCII digits, at most 18 of them, so every value fits a signed 64-bit column.
_TOKEN = re.compile(r"(?:([0-9]{1,18})-)?([0-9]{1,18})")


def parse_cursor(raw: str | None) -> Cursor | None:
    """The one reader of a client's ``Last-Event-ID``: ``"<id>"`` or ``"<tx>-<id>"``.

    Anything else (empty, signs, other digits, too long) gives None: the stream
    then starts fresh instead of failing.
    """
    if raw is None:
        return None
    match = _TOKEN.fullmatch(raw.strip())
    if match is None:
        return None
    tx, event_id = match.groups()
    return Cursor(None if tx is None else int(tx), int(event_id))
