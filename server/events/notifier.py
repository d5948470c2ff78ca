"""Wake-ups for live event streams inside one server process.

Writers call :meth:`Notifier.wake` (from any thread) after a commit; each SSE
stream awaits :meth:`Notifier.wait`. The stream then reads new rows from the
event log, so a missed wake-up costs at most one poll interval, never an event.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable


class Notifier:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiters: dict[int, set[asyncio.Event]] = {}
        self._lock = threading.Lock()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def wake(self, unit_ids: Iterable[int]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with self._lock:
            targets = [ev for uid in unit_ids for ev in self._waiters.get(uid, ())]
        for ev in targets:
            loop.call_soon_threadsafe(ev.set)

    async def wait(self, unit_id: int, timeout: float) -> None:
        """Return when ``unit_id`` changed or ``timeout`` seconds passed."""
        ev = asyncio.Event()
        with self._lock:
            self._waiters.setdefault(unit_id, set()).add(ev)
        try:
            await asyncio.wait_for(ev.wait(), timeout)
        except TimeoutError:
            pass
        finally:
            with self._lock:
                self._waiters.get(unit_id, set()).discard(ev)
