"""Group commit for SQLite: many write transactions, one fsync.

SQLite has one writer at a time and, with ``synchronous=FULL``, every commit
waits for the disk (several milliseconds here). Under load, one writer thread
therefore opens a transaction, hands its connection to each waiting caller in
turn — each caller's block runs inside its own SAVEPOINT, so a failing block
rolls back alone — and commits the whole batch once. A caller returns only
after that commit: durability is unchanged, the disk waits are shared.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection, Engine

MAX_BATCH = 64


class NestedWriteError(RuntimeError):
    """A write transaction was opened inside another one on the same thread."""


class _Job:
    __slots__ = ("conn", "done", "error", "finished", "turn")

    def __init__(self) -> None:
        self.turn = threading.Event()
        self.finished = threading.Event()
        self.done = threading.Event()
        self.conn: Connection | None = None
        self.error: BaseException | None = None


class GroupCommitWriter:
    def __init__(self, engine: Engine, *, after_commit: Callable[[Connection], None]) -> None:
        self.engine = engine
        self.after_commit = after_commit
        self._jobs: queue.Queue[_Job] = queue.Queue()
        self._local = threading.local()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def _ensure_thread(self) -> None:
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="loket-sqlite-writer", daemon=True
                    )
                    self._thread.start()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        if getattr(self._local, "active", False):
            raise NestedWriteError("a write transaction is already open on this thread")
        self._ensure_thread()
        job = _Job()
        self._jobs.put(job)
        job.turn.wait()
        conn = job.conn
        assert conn is not None
        self._local.active = True
        savepoint = conn.begin_nested()
        try:
            yield conn
        except BaseException:
            savepoint.rollback()
            self._local.active = False
            job.finished.set()
            raise
        savepoint.commit()
        self._local.active = False
        job.finished.set()
        job.done.wait()
        if job.error is not None:
            raise job.error

    def _run(self) -> None:
        while True:
            first = self._jobs.get()
            batch = [first]
            try:
                with self.engine.connect() as raw:
                    conn = raw.execution_options(loket_write=True)
                    with conn.begin():
                        job: _Job | None = first
                        while job is not None:
                            job.conn = conn
                            job.turn.set()
                            job.finished.wait()
                            job = self._next(len(batch))
                            if job is not None:
                                batch.append(job)
                    self.after_commit(conn)
            except BaseException as exc:  # the commit itself failed: every caller hears it
                for j in batch:
                    j.error = exc
            for j in batch:
                j.done.set()

    def _next(self, size: int) -> _Job | None:
        if size >= MAX_BATCH:
            return None
        try:
            return self._jobs.get_nowait()
        except queue.Empty:
            return None
