"""One database read per change, however many streams are open.

When a change wakes the event streams of a unit, they all ask for "events
after cursor C" at the same moment. :class:`SharedEventReader` runs that read
once and hands the same batch to every stream waiting for it (single flight,
keyed by unit and cursor), so fifty display boards cost one query per call,
not fifty.

Each batch carries the unit's wake-up generation taken when its read started
(:meth:`Notifier.generation`): a stream that then waits with it returns at once
if a commit woke the unit meanwhile, so a wake-up that lands during the read
is not lost.
"""

from __future__ import annotations

import asyncio
from typing import Any, NamedTuple

from starlette.concurrency import run_in_threadpool

from server.db.database import Database
from server.domain.events import Cursor
from server.events.notifier import Notifier
from server.store import events

Rows = list[dict[str, Any]]


class SharedBatch(NamedTuple):
    rows: Rows
    held: bool  # see store.events.Batch
    generation: int  # the unit's wake-up count when the read started


class SharedEventReader:
    def __init__(self, db: Database, notifier: Notifier | None = None) -> None:
        self._db = db
        self._notifier = notifier or Notifier()
        self._in_flight: dict[tuple[int, Cursor], asyncio.Future[SharedBatch]] = {}

    def _read(self, unit_id: int, after: Cursor) -> events.Batch:
        with self._db.read() as conn:
            return events.events_after(conn, unit_id=unit_id, after=after)

    async def _shared_read(self, unit_id: int, after: Cursor) -> SharedBatch:
        generation = self._notifier.generation(unit_id)
        batch = await run_in_threadpool(self._read, unit_id, after)
        return SharedBatch(batch.rows, batch.held, generation)

    async def after(self, unit_id: int, after: Cursor) -> SharedBatch:
        key = (unit_id, after)
        pending = self._in_flight.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._shared_read(unit_id, after))
            self._in_flight[key] = pending
            pending.add_done_callback(lambda _f: self._in_flight.pop(key, None))
        return await asyncio.shield(pending)
