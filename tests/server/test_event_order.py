"""Live events are never skipped when two writers commit out of id order.

An event id is taken when its row is inserted, so on PostgreSQL two
transactions commit in the opposite order of their ids here: the writer with
the smaller id commits last, and nothing makes the other one wait for it (no
lock; the test checks that the later id really is committed while the smaller
one is not). A reader reads in between, and every event must still reach it,
in stream order. The same scenario runs on SQLite, where the one write lock
makes the second writer wait and gives ids in commit order.

Why the reader's bound is what makes this pass (``store/events.py``): the read
between the commits delivers only events whose transaction is older than every
running one. The first writer is running, so its ``tx`` is at or above that
bound, and the second writer's ``tx`` is larger still (it got its transaction
id later): the read returns nothing, and both arrive after the first commits.
A reader that ignored the bound (``tx < xmin`` dropped from the query) would
return the second event at once, move its cursor past it, and never return the
first: this test then fails with ``['second'] != ['first', 'second']`` (checked
by hand on PostgreSQL when the lock was replaced, issue 16).
"""

from __future__ import annotations

import random
import threading
import time
from typing import Any

import sqlalchemy as sa

from server.db.database import Database
from server.db.schema import events as events_table
from server.domain.events import Cursor
from server.store import events
from tests.server.conftest import Unit


def _start(db: Database, unit_id: int) -> Cursor:
    with db.read() as conn:
        return events.start_cursor(conn, unit_id=unit_id)


def _read(db: Database, unit_id: int, after: Cursor) -> list[dict[str, Any]]:
    with db.read() as conn:
        return events.events_after(conn, unit_id=unit_id, after=after).rows


def _all_committed(db: Database, unit_id: int) -> list[str]:
    """Every committed event of the unit, ignoring the stream's bound."""
    with db.read() as conn:
        query = (
            sa.select(events_table.c.payload)
            .where(events_table.c.unit_id == unit_id)
            .order_by(events_table.c.id)
        )
        return [p["n"] for p in conn.execute(query).scalars() if "n" in p]


def _wait_for(predicate: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())


def test_a_reader_between_out_of_order_commits_misses_nothing(db: Database, unit: Unit) -> None:
    start = _start(db, unit.id)
    first = db.engine.connect().execution_options(loket_write=True)
    first_tx = first.begin()
    events.emit(first, unit_id=unit.id, type="ticket.called", payload={"n": "first"})

    second_done = threading.Event()
    errors: list[BaseException] = []

    def second_writer() -> None:
        try:
            with db.engine.connect().execution_options(loket_write=True) as conn, conn.begin():
                events.emit(conn, unit_id=unit.id, type="ticket.called", payload={"n": "second"})
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            second_done.set()

    thread = threading.Thread(target=second_writer, daemon=True)
    thread.start()
    try:
        second_done.wait(1.0)  # the later writer commits first, if it may
        if db.is_postgres:  # it may: the commits really are out of id order
            assert second_done.is_set() and _all_committed(db, unit.id) == ["second"]
        seen = _read(db, unit.id, start)  # a stream polls while the first is in flight
        last = events.cursor_of(seen[-1]) if seen else start
        first_tx.commit()
    finally:
        first.close()
    assert second_done.wait(10.0), "the second writer never finished"
    assert not errors, errors
    assert _wait_for(lambda: len(_read(db, unit.id, start)) == 2, 10.0)
    seen += _read(db, unit.id, last)

    assert [r["payload"]["n"] for r in seen] == ["first", "second"]
    ids = [int(r["id"]) for r in seen]
    assert ids == sorted(ids) and len(set(ids)) == 2


def test_a_polling_stream_gets_every_event_of_racing_writers(db: Database, unit: Unit) -> None:
    """Six writers of one unit hold their transaction open a random while after their
    event; a reader polling like a stream (after the last cursor it saw) gets every one,
    once, in stream order."""
    start = _start(db, unit.id)
    writers, per_writer = 6, 5
    stop = threading.Event()
    seen: list[dict[str, Any]] = []

    def reader() -> None:
        last = start
        while not stop.is_set():
            for row in _read(db, unit.id, last):
                seen.append(row)
                last = events.cursor_of(row)
            time.sleep(0.003)

    def writer(w: int) -> None:
        rnd = random.Random(w)
        for i in range(per_writer):
            with db.engine.connect().execution_options(loket_write=True) as conn, conn.begin():
                events.emit(conn, unit_id=unit.id, type="ticket.called", payload={"n": f"{w}.{i}"})
                time.sleep(rnd.uniform(0.0, 0.03))

    poller = threading.Thread(target=reader, daemon=True)
    poller.start()
    threads = [threading.Thread(target=writer, args=(w,), daemon=True) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    assert len(_all_committed(db, unit.id)) == writers * per_writer
    _wait_for(lambda: len(seen) >= writers * per_writer, 10.0)
    stop.set()
    poller.join(5)

    expected = {f"{w}.{i}" for w in range(writers) for i in range(per_writer)}
    assert {r["payload"]["n"] for r in seen} == expected  # nothing skipped
    cursors = [events.cursor_of(r) for r in seen]
    key = [(c.tx or 0, c.id) for c in cursors]
    assert key == sorted(key) and len(set(key)) == len(key)  # in order, nothing twice
