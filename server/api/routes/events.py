"""Server-Sent Events: every queue change of the caller's unit, resumable by id.

Framing and headers (``text/event-stream``, ``Cache-Control: no-cache``,
``X-Accel-Buffering: no``) come from FastAPI's own SSE support
(:class:`fastapi.sse.EventSourceResponse`); this route only decides what to
send. The stream opens with ``retry: 2000`` and the id to resume from, then
sends one event per stored change and a ``: ping`` comment after
``sse_ping_seconds`` without changes (FastAPI adds its own 15-second ping
on top, which clients ignore like ours).

The SSE ``id`` is the stream's cursor, opaque to clients: the event id on
SQLite, ``"<tx>-<id>"`` on PostgreSQL (``server/store/events.py`` says why).
``Last-Event-ID`` (or ``?last_event_id=``) is read by ``domain.events.parse_cursor``;
a value it cannot read, or one this database cannot have given, starts the
stream from now.
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
from server.domain.events import Cursor, parse_cursor
from server.store import events

router = APIRouter(tags=["events"])
RETRY_MS = 2000


def _last_event_id(request: Request) -> Cursor | None:
    raw = request.headers.get("last-event-id") or request.query_params.get("last_event_id")
    return parse_cursor(raw)


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
    last = _last_event_id(request)

    def start() -> Cursor:
        with db.read() as conn:
            return events.start_cursor(conn, unit_id=unit_id, last=last)

    cursor = await run_in_threadpool(start)
    yield ServerSentEvent(retry=RETRY_MS)
    yield ServerSentEvent(id=cursor.token(), comment="connected")
    idle = 0.0
    while not await request.is_disconnected():
        batch = await reader.after(unit_id, cursor)
        for row in batch.rows:
            cursor = events.cursor_of(row)
            yield ServerSentEvent(
                id=cursor.token(),
                event=row["type"],
                raw_data=json.dumps(row["payload"], separators=(",", ":")),
            )
        if batch.rows:
            idle = 0.0
            continue
        if batch.held:  # committed events wait for an older transaction, maybe another unit's
            wait = settings.sse_held_seconds
        elif db.is_sqlite:
            wait = settings.sse_poll_seconds
        else:
            wait = settings.sse_ping_seconds
        await notifier.wait(unit_id, wait, since=batch.generation)
        idle += wait
        if idle >= settings.sse_ping_seconds:
            idle = 0.0
            yield ServerSentEvent(comment="ping")
