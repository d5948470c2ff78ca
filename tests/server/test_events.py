"""The live event stream over real HTTP: delivery, resume by id, no personal data."""

from __future__ import annotations

import contextlib
import json
import queue
import re
import threading
from collections.abc import Iterator

import requests
import sqlalchemy as sa

from server.api.app import create_app
from server.config import Settings
from server.db.database import Database
from server.db.schema import events as events_table
from server.store import events as store_events
from tests.live import serve_in_thread
from tests.server.conftest import Unit


def read_events(response: requests.Response, out: queue.Queue[dict[str, object]]) -> None:
    # The test closes the stream under the reader (urllib3 then has no socket left).
    with contextlib.suppress(requests.RequestException, AttributeError, ValueError):
        parse_stream(response, out)


def parse_stream(response: requests.Response, out: queue.Queue[dict[str, object]]) -> None:
    """Events into ``out``; the opening ``: connected`` block too, as ``{"connected": id}``."""
    event: dict[str, object] = {}
    for line in response.iter_lines(decode_unicode=True):
        if line == "":
            if "event" in event or "connected" in event:
                out.put(event)
            event = {}
        elif line == ": connected":
            event["connected"] = True
        elif line.startswith("id: "):
            event["id"] = line[4:]
        elif line.startswith("event: "):
            event["event"] = line[7:]
        elif line.startswith("data: "):
            event["data"] = json.loads(line[6:])


def collect(
    base: str, token: str, last_id: str | None = None, query_id: str | None = None
) -> Iterator[queue.Queue[dict[str, object]]]:
    """A stream resumed from ``last_id`` (header) or ``query_id`` (``?last_event_id=``)."""
    headers = {"Authorization": f"Bearer {token}"}
    if last_id is not None:
        headers["Last-Event-ID"] = last_id
    params = {} if query_id is None else {"last_event_id": query_id}
    response = requests.get(
        f"{base}/api/v1/events", headers=headers, params=params, stream=True, timeout=10
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    out: queue.Queue[dict[str, object]] = queue.Queue()
    threading.Thread(target=read_events, args=(response, out), daemon=True).start()
    # The stream has taken its starting point once it says so: changes after this count.
    assert "connected" in out.get(timeout=10)
    try:
        yield out
    finally:
        response.close()


def test_board_receives_calls_and_resumes(settings: Settings, db: Database, unit: Unit) -> None:
    board = unit.board_token
    kiosk = {"Authorization": f"Bearer {unit.kiosk_token}"}
    with serve_in_thread(create_app(settings, db=db)) as base:
        login = requests.post(
            f"{base}/api/v1/auth/login",
            json={"username": "siti", "password": "staff-password-1"},
            timeout=5,
        )
        staff = {"Authorization": f"Bearer {login.json()['token']}"}
        stream = collect(base, board)
        events = next(stream)
        ticket = requests.post(
            f"{base}/api/v1/tickets",
            json={"service_id": unit.service_ids[3]},
            headers=kiosk,
            timeout=5,
        ).json()
        requests.post(
            f"{base}/api/v1/counters/{unit.counter_ids[1]}/call-next", headers=staff, timeout=5
        )
        issued = events.get(timeout=10)
        called = events.get(timeout=10)
        assert issued["event"] == "ticket.issued"
        assert called["event"] == "ticket.called"
        data = called["data"]
        assert isinstance(data, dict)
        assert data["ticket"]["number"] == ticket["number"] == "R001"
        assert data["counter"]["number"] == 2
        # the id is opaque to clients: the event id on SQLite, "<tx>-<id>" on PostgreSQL
        assert re.fullmatch(r"[0-9]+-[0-9]+" if db.is_postgres else r"[0-9]+", str(called["id"]))
        assert "tracking_token" not in json.dumps(data)
        stream.close()

        # while the board is away, two more things happen; it resumes from its last id
        requests.post(f"{base}/api/v1/tickets/{ticket['id']}/recall", headers=staff, timeout=5)
        requests.post(f"{base}/api/v1/tickets/{ticket['id']}/start", headers=staff, timeout=5)
        resumed = collect(base, board, last_id=str(called["id"]))
        events = next(resumed)
        missed = [events.get(timeout=10)["event"] for _ in range(2)]
        assert missed == ["ticket.recalled", "ticket.started"]
        resumed.close()


def _emit(db: Database, unit: Unit, *names: str) -> list[int]:
    """Store one event per name (as a state change would); their ids."""
    with db.write() as conn:
        for name in names:
            store_events.emit(conn, unit_id=unit.id, type="ticket.called", payload={"n": name})
        query = sa.select(events_table.c.id, events_table.c.payload).where(
            events_table.c.unit_id == unit.id
        )
        return [row.id for row in conn.execute(query) if row.payload.get("n") in names]


def _names(events: queue.Queue[dict[str, object]], count: int) -> list[str]:
    return [events.get(timeout=15)["data"]["n"] for _ in range(count)]  # type: ignore[index]


def test_an_unreadable_last_event_id_starts_the_stream_from_now(
    settings: Settings, db: Database, unit: Unit
) -> None:
    """Ids a client cannot have been given: never a 500, the stream starts fresh
    (it gets the next change, not the log from the start, nor nothing)."""
    _emit(db, unit, "old")
    bad_headers = ["abc", "-3", "1-2-3", "5-", "9" * 30, "1e3", "99999999999999999-1"]
    bad_queries = ["\uff11\uff12", "\u0661", "0x10", " ", ""]  # fullwidth and Arabic-Indic digits
    with serve_in_thread(create_app(settings, db=db)) as base:
        streams = [collect(base, unit.board_token, last_id=v) for v in bad_headers]
        streams += [collect(base, unit.board_token, query_id=v) for v in bad_queries]
        queues = [next(s) for s in streams]  # each asserted a 200 text/event-stream
        _emit(db, unit, "new")
        assert [_names(q, 1) for q in queues] == [["new"]] * len(queues)
        closing = [threading.Thread(target=s.close) for s in streams]  # each waits for a ping
        for t in closing:
            t.start()
        for t in closing:
            t.join(10)


def test_an_old_integer_last_event_id_resumes_after_that_event(
    settings: Settings, db: Database, unit: Unit
) -> None:
    """A plain event id (all a client had before "<tx>-<id>" on PostgreSQL) resumes
    right after that event. On PostgreSQL the rows stand for rows written before
    migration 0012, which left them ``tx = 0``; the id is converted through its tx."""
    a, b, c = _emit(db, unit, "a", "b", "c")
    if db.is_postgres:
        with db.write() as conn:
            conn.execute(
                sa.update(events_table).where(events_table.c.id.in_([a, b, c])).values(tx=0)
            )
    with serve_in_thread(create_app(settings, db=db)) as base:
        resumed = collect(base, unit.board_token, last_id=str(a))
        unknown = collect(base, unit.board_token, last_id=str(c + 10**9))
        from_a, from_unknown = next(resumed), next(unknown)
        _emit(db, unit, "d")
        assert _names(from_a, 3) == ["b", "c", "d"]
        assert _names(from_unknown, 1) == ["d"]  # an id never given: from now
        resumed.close()
        unknown.close()


def test_query_token_works_for_eventsource(settings: Settings, db: Database, unit: Unit) -> None:
    with serve_in_thread(create_app(settings, db=db)) as base:
        r = requests.get(f"{base}/api/v1/events?token={unit.board_token}", stream=True, timeout=10)
        assert r.status_code == 200
        first = next(r.iter_lines(decode_unicode=True))
        assert first == "retry: 2000"
        r.close()
        assert requests.get(f"{base}/api/v1/events?token=bad", timeout=5).status_code == 401


def test_streams_woken_together_share_one_read(db: Database, unit: Unit) -> None:
    import asyncio
    import time
    from typing import Any

    from server.domain.events import Cursor
    from server.events.reader import SharedEventReader
    from server.store import events

    class CountingReader(SharedEventReader):
        reads = 0

        def _read(self, unit_id: int, after: Cursor) -> events.Batch:
            CountingReader.reads += 1
            return super()._read(unit_id, after)

    with db.write() as conn:
        events.emit(conn, unit_id=unit.id, type="ticket.issued", payload={"n": 1})
    deadline = time.monotonic() + 10  # PostgreSQL: until no older transaction holds it back
    while time.monotonic() < deadline:
        with db.read() as conn:
            if not events.events_after(conn, unit_id=unit.id, after=Cursor(None, 0)).held:
                break
        time.sleep(0.02)
    reader = CountingReader(db)
    start = Cursor(None, 0)

    async def fifty_boards() -> list[Any]:
        return await asyncio.gather(*(reader.after(unit.id, start) for _ in range(50)))

    results = asyncio.run(fifty_boards())
    assert CountingReader.reads == 1
    assert all(r == results[0] and r.rows[-1]["payload"] == {"n": 1} for r in results)
    asyncio.run(reader.after(unit.id, start))
    assert CountingReader.reads == 2  # finished reads are not cached: the next change reads anew
