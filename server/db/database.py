"""Engine creation and the two ways to use the database: read and write.

``Database.write()`` opens one transaction that takes the write lock up front
(``BEGIN IMMEDIATE`` on SQLite; row locks on PostgreSQL), so read-then-update
rules such as "call the next ticket" are atomic on both. SQLite runs in WAL mode
with ``synchronous=FULL``: a commit that returned is on disk.

``await Database.run_write(fn)`` is the same write transaction for async code:
on SQLite ``fn`` runs on the group-commit writer thread (no worker-thread hop),
on PostgreSQL in a worker thread; either way the result comes back only after
the commit.

Code that changes the queue calls :func:`mark_changed` on the connection; after
the commit the database wakes this process's event listeners and, on
PostgreSQL, every other server process through ``NOTIFY``. That ``NOTIFY`` is
sent after the commit, on a connection of its own, by one sender thread that
folds a burst into one notification per unit: PostgreSQL takes one
database-wide lock for every committing transaction that notified, which would
make all writers (and the row locks they hold) wait in line for each other's
disk flush. The wake-up is a hint, the event rows are the truth: a process that
dies between its commit and the notification delays other processes' streams
until their next periodic read, and loses nothing.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from server.db.group_commit import GroupCommitWriter

T = TypeVar("T")
NOTIFY_CHANNEL = "loket_events"
_CHANGED_KEY = "loket_changed_units"


def create_db_engine(url: str, *, sqlite_synchronous: str = "FULL") -> Engine:
    """An engine for ``url`` with the pragmas and transaction handling Loket needs."""
    if url.startswith("sqlite"):
        # One office on a small PC: 8 pooled connections (8 more under bursts), each
        # with a 1 MiB page cache (SQLite's default is 2 MiB), so years of history
        # cost at most 16 MiB of cache; the OS file cache holds the rest.
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=8,
            max_overflow=8,
        )
        _configure_sqlite(engine, sqlite_synchronous)
        return engine
    return sa.create_engine(url, pool_size=16, max_overflow=16, pool_pre_ping=True)


def _configure_sqlite(engine: Engine, synchronous: str) -> None:
    if synchronous.upper() not in {"FULL", "NORMAL", "EXTRA"}:
        raise ValueError("sqlite synchronous must be FULL, NORMAL or EXTRA")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous.upper()}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA secure_delete=ON")  # erased personal data is overwritten, not freed
        cur.execute("PRAGMA cache_size=-1024")  # KiB: see the pool above
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("loket_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class _NotifySender:
    """PostgreSQL: ``NOTIFY`` outside the write transactions, one per unit and burst."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._pending: queue.SimpleQueue[set[int]] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="loket-pg-notify", daemon=True)
        self._started = False
        self._lock = threading.Lock()

    def send(self, unit_ids: set[int]) -> None:
        if not self._started:
            with self._lock:
                if not self._started:
                    self._thread.start()
                    self._started = True
        self._pending.put(unit_ids)

    def _run(self) -> None:
        statement = sa.text("SELECT pg_notify(:channel, :payload)")
        while True:
            units = set(self._pending.get())
            while True:
                try:
                    units |= self._pending.get_nowait()
                except queue.Empty:
                    break
            try:
                with self.engine.connect() as raw:
                    conn = raw.execution_options(isolation_level="AUTOCOMMIT")
                    for unit_id in sorted(units):
                        conn.execute(
                            statement, {"channel": NOTIFY_CHANNEL, "payload": str(unit_id)}
                        )
            except sa.exc.SQLAlchemyError:  # other processes read again on their next tick
                continue


class Database:
    """One engine plus the post-commit hook that wakes event listeners."""

    def __init__(self, engine: Engine, *, on_change: Callable[[set[int]], None] | None = None):
        self.engine = engine
        self.on_change = on_change
        self.is_sqlite = engine.dialect.name == "sqlite"
        self.is_postgres = engine.dialect.name == "postgresql"
        self._writer = (
            GroupCommitWriter(engine, after_commit=self._notify) if self.is_sqlite else None
        )
        self._notify_sender = _NotifySender(engine) if self.is_postgres else None

    def _notify(self, conn: Connection) -> None:
        changed: set[int] = conn.info.pop(_CHANGED_KEY, set())
        if changed and self.on_change is not None:
            self.on_change(changed)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction; committed when the block ends without an error.

        On SQLite the block joins the writer thread's current batch (group commit);
        it returns only after that batch is on disk.
        """
        if self._writer is not None:
            with self._writer.transaction() as conn:
                yield conn
            return
        with self.engine.connect() as raw:
            conn = raw.execution_options(loket_write=True)
            conn.info.pop(_CHANGED_KEY, None)
            with conn.begin():
                yield conn
            changed = conn.info.get(_CHANGED_KEY)
            if changed and self._notify_sender is not None:
                self._notify_sender.send(set(changed))
            self._notify(conn)

    async def run_write(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn(conn)`` in a write transaction from async code; its result after commit.

        ``fn`` must not await or block on anything but the database: on SQLite it runs
        on the one writer thread, inside the current group-commit batch.
        """
        if self._writer is not None:
            return await self._writer.call(fn)
        from anyio import to_thread

        return await to_thread.run_sync(self._write_with, fn)

    def _write_with(self, fn: Callable[[Connection], T]) -> T:
        with self.write() as conn:
            return fn(conn)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction with a consistent snapshot."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def mark_changed(conn: Connection, unit_id: int) -> None:
    """Record that this transaction changed ``unit_id``'s queue (events to deliver)."""
    conn.info.setdefault(_CHANGED_KEY, set()).add(unit_id)
