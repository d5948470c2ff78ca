"""Group commit for SQLite: many write transactions, one fsync.

SQLite has one writer at a time and, with ``synchronous=FULL``, every commit
waits for the disk (several milliseconds here). One writer thread therefore
opens a transaction, runs every waiting piece of work in it — each in its own
SAVEPOINT, so a failing piece rolls back alone — and commits the whole batch
once. Nobody hears "done" before that commit: durability is unchanged, the disk
waits are shared.

Work arrives in two shapes and joins the same batch:

* :meth:`GroupCommitWriter.call` (async): the writer thread runs a function on
  its connection and the awaiting coroutine gets the result after the commit.
  No worker-thread hop and no per-request hand-over: the hot API paths use it.
* :meth:`GroupCommitWriter.transaction` (blocking context manager): the writer
  lends its connection to the calling thread for the ``with`` block, then
  commits. For code that is not async (CLI, admin routes, tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy.engine import Connection, Engine

MAX_BATCH = 64
T = TypeVar("T")


class _Savepoint:
    """Each job's SAVEPOINT, sent straight to the sqlite3 connection.

    SQLAlchemy's ``begin_nested`` costs more Python than SQLite takes to run the
    statement, and it runs for every request; the savepoint is private to the
    batch (SQLAlchemy's root transaction around it is unaffected, and code
    inside a job may still open its own ``begin_nested``)."""

    __slots__ = ("raw",)

    def __init__(self, conn: Connection) -> None:
        raw = conn.connection.dbapi_connection
        assert raw is not None  # the writer's connection is open for the whole batch
        self.raw: Any = raw
        raw.execute("SAVEPOINT loket_job")

    def release(self) -> None:
        self.raw.execute("RELEASE loket_job")

    def rollback(self) -> None:
        self.raw.execute("ROLLBACK TO loket_job")
        self.raw.execute("RELEASE loket_job")


class NestedWriteError(RuntimeError):
    """A write transaction was opened inside another one on the same thread."""


class _Job:
    """A blocking caller: it runs its own block on the lent connection."""

    __slots__ = ("conn", "done", "error", "finished", "turn")

    def __init__(self) -> None:
        self.turn = threading.Event()
        self.finished = threading.Event()
        self.done = threading.Event()
        self.conn: Connection | None = None
        self.error: BaseException | None = None


class _Call:
    """An awaiting coroutine: the writer runs ``fn`` and settles ``future`` after commit."""

    __slots__ = ("error", "fn", "future", "loop", "result")

    def __init__(self, fn: Callable[[Connection], Any], loop: asyncio.AbstractEventLoop) -> None:
        self.fn = fn
        self.loop = loop
        self.future: asyncio.Future[Any] = loop.create_future()
        self.result: Any = None
        self.error: BaseException | None = None


def _settle(calls: list[_Call]) -> None:
    for call in calls:
        if call.future.cancelled():
            continue
        if call.error is not None:
            call.future.set_exception(call.error)
        else:
            call.future.set_result(call.result)


class GroupCommitWriter:
    def __init__(self, engine: Engine, *, after_commit: Callable[[Connection], None]) -> None:
        self.engine = engine
        self.after_commit = after_commit
        self._jobs: queue.SimpleQueue[_Job | _Call] = queue.SimpleQueue()
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

    async def call(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn(conn)`` in the next batch; its result once the batch is on disk."""
        if getattr(self._local, "active", False):
            raise NestedWriteError("a write transaction is already open on this thread")
        self._ensure_thread()
        job = _Call(fn, asyncio.get_running_loop())
        self._jobs.put(job)
        result: T = await job.future
        return result

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
        savepoint = _Savepoint(conn)
        try:
            yield conn
        except BaseException:
            savepoint.rollback()
            self._local.active = False
            job.finished.set()
            raise
        savepoint.release()
        self._local.active = False
        job.finished.set()
        job.done.wait()
        if job.error is not None:
            raise job.error

    def _run_call(self, conn: Connection, job: _Call) -> None:
        savepoint = _Savepoint(conn)
        self._local.active = True  # a nested write from inside fn fails instead of hanging
        try:
            job.result = job.fn(conn)
        except BaseException as exc:
            savepoint.rollback()
            job.error = exc
        else:
            savepoint.release()
        finally:
            self._local.active = False

    def _run(self) -> None:
        while True:
            first = self._jobs.get()
            batch: list[_Job | _Call] = [first]
            try:
                with self.engine.connect() as raw:
                    conn = raw.execution_options(loket_write=True)
                    with conn.begin():
                        job: _Job | _Call | None = first
                        while job is not None:
                            if isinstance(job, _Call):
                                self._run_call(conn, job)
                            else:
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
            self._finish(batch)

    @staticmethod
    def _finish(batch: list[_Job | _Call]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[_Call]] = {}
        for j in batch:
            if isinstance(j, _Call):
                by_loop.setdefault(j.loop, []).append(j)
            else:
                j.done.set()
        for loop, calls in by_loop.items():  # one wake-up per event loop and batch
            with contextlib.suppress(RuntimeError):  # that loop was closed meanwhile
                loop.call_soon_threadsafe(_settle, calls)

    def _next(self, size: int) -> _Job | _Call | None:
        if size >= MAX_BATCH:
            return None
        try:
            return self._jobs.get_nowait()
        except queue.Empty:
            return None
