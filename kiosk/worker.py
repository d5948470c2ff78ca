"""Run slow work (network, printing) off the Kivy thread and return on it.

:class:`Worker` submits a callable to a small thread pool; when it finishes,
its callback is put on a thread-safe queue, and :meth:`Worker.drain` — called
by the app on the Kivy thread every frame — runs the waiting callbacks, so
they may touch widgets. (Scheduling Kivy ``Clock`` events straight from the
pool threads was measured to drop callbacks during the first frames of the
app; a queue the UI thread polls cannot lose one.) Tests without Kivy pass a
``schedule`` function instead, e.g. one that runs the callback at once.
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
Schedule = Callable[[Callable[[], None]], None]


class Worker:
    """A small pool of background threads whose callbacks run where ``drain`` runs."""

    def __init__(self, schedule: Schedule | None = None, threads: int = 3) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kiosk")
        self._done: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._schedule: Schedule = schedule or self._done.put

    def submit(
        self,
        job: Callable[[], T],
        on_done: Callable[[T], Any] | None = None,
        on_error: Callable[[BaseException], Any] | None = None,
    ) -> Future[T]:
        """Run ``job`` in the background; ``on_done(result)`` then runs via ``drain``."""
        future = self._pool.submit(job)

        def finished(done: Future[T]) -> None:
            if done.cancelled():
                return
            error = done.exception()
            if error is not None:
                log.error("background job failed: %s: %s", type(error).__name__, error)
                if on_error is not None:
                    self._schedule(lambda: on_error(error))
                return
            if on_done is not None:
                result = done.result()
                self._schedule(lambda: on_done(result))

        future.add_done_callback(finished)
        return future

    def drain(self, *_args: Any) -> int:
        """Run every finished job's callback now (on the calling thread)."""
        count = 0
        while True:
            try:
                callback = self._done.get_nowait()
            except queue.Empty:
                return count
            count += 1
            callback()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
