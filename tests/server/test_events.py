"""The live event stream over real HTTP: delivery, resume by id, no personal data."""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from collections.abc import Iterator

import requests

from server.api.app import create_app
from server.config import Settings
from server.db.database import Database
from tests.live import serve_in_thread
from tests.server.conftest import Unit


def read_events(response: requests.Response, out: queue.Queue[dict[str, object]]) -> None:
    # The test closes the stream under the reader (urllib3 then has no socket left).
    with contextlib.suppress(requests.RequestException, AttributeError, ValueError):
        parse_stream(response, out)


def parse_stream(response: requests.Response, out: queue.Queue[dict[str, object]]) -> None:
    event: dict[str, object] = {}
    for line in response.iter_lines(decode_unicode=True):
        if line == "":
            if "event" in event:
                out.put(event)
            event = {}
        elif line.startswith("id: "):
            event["id"] = int(line[4:])
        elif line.startswith("event: "):
            event["event"] = line[7:]
        elif line.startswith("data: "):
            event["data"] = json.loads(line[6:])


def collect(
    base: str, token: str, last_id: int | None = None
) -> Iterator[queue.Queue[dict[str, object]]]:
    headers = {"Authorization": f"Bearer {token}"}
    if last_id is not None:
        headers["Last-Event-ID"] = str(last_id)
    response = requests.get(f"{base}/api/v1/events", headers=headers, stream=True, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    out: queue.Queue[dict[str, object]] = queue.Queue()
    threading.Thread(target=read_events, args=(response, out), daemon=True).start()
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
        assert "tracking_token" not in json.dumps(data)
        stream.close()

        # while the board is away, two more things happen; it resumes from its last id
        requests.post(f"{base}/api/v1/tickets/{ticket['id']}/recall", headers=staff, timeout=5)
        requests.post(f"{base}/api/v1/tickets/{ticket['id']}/start", headers=staff, timeout=5)
        resumed = collect(base, board, last_id=int(called["id"]))  # type: ignore[arg-type]
        events = next(resumed)
        missed = [events.get(timeout=10)["event"] for _ in range(2)]
        assert missed == ["ticket.recalled", "ticket.started"]
        resumed.close()


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
    from typing import Any

    from server.events.reader import SharedEventReader
    from server.store import events

    class CountingReader(SharedEventReader):
        reads = 0

        def _read(self, unit_id: int, last_id: int) -> list[dict[str, Any]]:
            CountingReader.reads += 1
            return super()._read(unit_id, last_id)

    with db.write() as conn:
        events.emit(conn, unit_id=unit.id, type="ticket.issued", payload={"n": 1})
    reader = CountingReader(db)

    async def fifty_boards() -> list[list[dict[str, Any]]]:
        return await asyncio.gather(*(reader.after(unit.id, 0) for _ in range(50)))

    results = asyncio.run(fifty_boards())
    assert CountingReader.reads == 1
    assert all(r == results[0] and r[-1]["payload"] == {"n": 1} for r in results)
    asyncio.run(reader.after(unit.id, 0))
    assert CountingReader.reads == 2  # finished reads are not cached: the next change reads anew
