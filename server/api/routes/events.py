"""Server-Sent Events: every queue change of the caller's unit, resumable by id.

Framing and headers (``text/event-stream``, ``Cache-Control: no-cache``,
``X-Accel-Buffering: no``) come from FastAPI's own SSE support
(:class:`fastapi.sse.EventSourceResponse`); this route only decides what to
send. The stream opens with ``retry: 2000`` and the id to resume from, then
sends one event per stored change and a ``: ping`` comment after
``sse_ping_seconds`` without changes (FastAPI adds its own 15-second ping
on top, which clients ignore like ours).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent
from starlette.concurrency import run_in_threadpool

from server.api.deps import AnyPrincipal, DbDep, SettingsDep
from server.api.schemas.events import EventTypesOut
from server.domain import events as event_names
from server.store import events

router = APIRouter(tags=["events"])
RETRY_MS = 2000


def _parse_last_id(request: Request) -> int | None:
    raw = request.headers.get("last-event-id") or request.query_params.get("last_event_id")
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw.strip())


@router.get("/events/types", response_model=EventTypesOut)
async def event_types() -> EventTypesOut:
    """Public: the names the stream sends, so the browser keeps no copy of its own."""
    return EventTypesOut(types=list(event_names.ALL))


@router.get("/events", response_class=EventSourceResponse)
async def stream(
    request: Request, principal: AnyPrincipal, db: DbDep, settings: SettingsDep
) -> AsyncIterator[ServerSentEvent]:
    notifier = request.app.state.notifier
    reader = request.app.state.event_reader
    unit_id = principal.unit_id
    after = _parse_last_id(request)

    def read_last() -> int:
        with db.read() as conn:
            return events.last_event_id(conn, unit_id=unit_id)

    last = after if after is not None else await run_in_threadpool(read_last)
    yield ServerSentEvent(retry=RETRY_MS)
    yield ServerSentEvent(id=str(last), comment="connected")
    idle = 0.0
    while not await request.is_disconnected():
        rows = await reader.after(unit_id, last)
        for row in rows:
            last = int(row["id"])
            yield ServerSentEvent(
                id=str(last),
                event=row["type"],
                raw_data=json.dumps(row["payload"], separators=(",", ":")),
            )
        if rows:
            idle = 0.0
            continue
        wait = settings.sse_poll_seconds if db.is_sqlite else settings.sse_ping_seconds
        await notifier.wait(unit_id, wait)
        idle += wait
        if idle >= settings.sse_ping_seconds:
            idle = 0.0
            yield ServerSentEvent(comment="ping")
