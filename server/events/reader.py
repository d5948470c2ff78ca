"""One database read per change, however many streams are open.

When a change wakes the event streams of a unit, they all ask for "events
after id N" at the same moment. :class:`SharedEventReader` runs that read once
and hands the same rows to every stream waiting for it (single flight), so
fifty display boards cost one query per call, not fifty.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.concurrency import run_in_threadpool

from server.db.database import Database
from server.store import events

Rows = list[dict[str, Any]]


class SharedEventReader:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._in_flight: dict[tuple[int, int], asyncio.Future[Rows]] = {}

    def _read(self, unit_id: int, last_id: int) -> Rows:
        with self._db.read() as conn:
            return [dict(r) for r in events.events_after(conn, unit_id=unit_id, after_id=last_id)]

    async def after(self, unit_id: int, last_id: int) -> Rows:
        key = (unit_id, last_id)
        pending = self._in_flight.get(key)
        if pending is None:
            pending = asyncio.ensure_future(run_in_threadpool(self._read, unit_id, last_id))
            self._in_flight[key] = pending
            pending.add_done_callback(lambda _f: self._in_flight.pop(key, None))
        return await asyncio.shield(pending)
