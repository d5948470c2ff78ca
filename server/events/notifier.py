"""Wake-ups for live event streams inside one server process.

Writers call :meth:`Notifier.wake` (from any thread) after a commit; each SSE
stream awaits :meth:`Notifier.wait`. The stream then reads new rows from the
event log, so a missed wake-up costs at most one poll interval, never an event.
Each wake-up also counts up the unit's generation: a stream that read the log
after seeing generation G and then waits with ``since=G`` returns at once when
a commit came in during the read, instead of sleeping through it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable


class Notifier:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiters: dict[int, set[asyncio.Event]] = {}
        self._generations: dict[int, int] = {}
        self._lock = threading.Lock()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def wake(self, unit_ids: Iterable[int]) -> None:
        with self._lock:
            units = list(unit_ids)
            for uid in units:
                self._generations[uid] = self._generations.get(uid, 0) + 1
            targets = [ev for uid in units for ev in self._waiters.get(uid, ())]
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        for ev in targets:
            loop.call_soon_threadsafe(ev.set)

    def generation(self, unit_id: int) -> int:
        """How many wake-ups ``unit_id`` has had in this process."""
        with self._lock:
            return self._generations.get(unit_id, 0)

    async def wait(self, unit_id: int, timeout: float, *, since: int | None = None) -> None:
        """Return when ``unit_id`` changed (after generation ``since``, if given) or
        ``timeout`` seconds passed."""
        ev = asyncio.Event()
        with self._lock:
            if since is not None and self._generations.get(unit_id, 0) != since:
                return
            self._waiters.setdefault(unit_id, set()).add(ev)
        try:
            await asyncio.wait_for(ev.wait(), timeout)
        except TimeoutError:
            pass
        finally:
            with self._lock:
                self._waiters.get(unit_id, set()).discard(ev)
