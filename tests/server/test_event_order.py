"""Live events are never skipped when two writers commit out of id order.

An event id is taken when its row is inserted, so on PostgreSQL two
transactions could commit in the opposite order of their ids: a stream that
read the larger id first would never read the smaller one (a call missing
from the TV board). The writer with the smaller id commits last here, a reader
reads in between, and every event must still reach it, in id order. The same
scenario runs on SQLite, where the one write lock already gives this order.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from server.db.database import Database
from server.store import events
from tests.server.conftest import Unit


def _read(db: Database, unit_id: int, after: int) -> list[dict[str, Any]]:
    with db.read() as conn:
        return [dict(r) for r in events.events_after(conn, unit_id=unit_id, after_id=after)]


def _wait_for(predicate: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())


def test_a_reader_between_out_of_order_commits_misses_nothing(db: Database, unit: Unit) -> None:
    with db.read() as conn:
        start = events.last_event_id(conn, unit_id=unit.id)
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
        seen = _read(db, unit.id, start)  # a stream polls while the first is in flight
        last = max([start] + [int(r["id"]) for r in seen])
        first_tx.commit()
    finally:
        first.close()
    assert second_done.wait(10.0), "the second writer never finished"
    assert not errors, errors
    assert _wait_for(lambda: len(_read(db, unit.id, start)) == 2, 5.0)
    seen += _read(db, unit.id, last)

    assert [r["payload"]["n"] for r in seen] == ["first", "second"]
    ids = [int(r["id"]) for r in seen]
    assert ids == sorted(ids) and len(set(ids)) == 2


def test_a_polling_stream_gets_every_event_of_racing_writers(db: Database, unit: Unit) -> None:
    """Six writers of one unit hold their transaction open a random while after their
    event; a reader polling like a stream (after the last id it saw) gets every one."""
    import random

    with db.read() as conn:
        start = events.last_event_id(conn, unit_id=unit.id)
    writers, per_writer = 6, 5
    stop = threading.Event()
    seen: list[dict[str, Any]] = []

    def reader() -> None:
        last = start
        while not stop.is_set():
            for row in _read(db, unit.id, last):
                seen.append(row)
                last = int(row["id"])
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
    with db.read() as conn:
        total = len(events.events_after(conn, unit_id=unit.id, after_id=start))
    assert total == writers * per_writer
    _wait_for(lambda: len(seen) >= total, 5.0)
    stop.set()
    poller.join(5)

    expected = {f"{w}.{i}" for w in range(writers) for i in range(per_writer)}
    assert {r["payload"]["n"] for r in seen} == expected  # nothing skipped
    ids = [int(r["id"]) for r in seen]
    assert ids == sorted(ids) and len(ids) == len(set(ids))  # in order, nothing twice
