"""Server-Sent Events: every queue change of the caller's unit, resumable by id."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from server.api.deps import AnyPrincipal, DbDep, SettingsDep
from server.api.schemas.events import EventTypesOut
from server.domain import events as event_names
from server.store import events

router = APIRouter(tags=["events"])


def _parse_last_id(request: Request) -> int | None:
    raw = request.headers.get("last-event-id") or request.query_params.get("last_event_id")
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw.strip())


@router.get("/events/types", response_model=EventTypesOut)
async def event_types() -> EventTypesOut:
    """Public: the names the stream sends, so the browser keeps no copy of its own."""
    return EventTypesOut(types=list(event_names.ALL))


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def stream(
    request: Request, principal: AnyPrincipal, db: DbDep, settings: SettingsDep
) -> StreamingResponse:
    notifier = request.app.state.notifier
    reader = request.app.state.event_reader
    unit_id = principal.unit_id
    after = _parse_last_id(request)

    def read_last() -> int:
        with db.read() as conn:
            return events.last_event_id(conn, unit_id=unit_id)

    async def body() -> AsyncIterator[bytes]:
        last = after if after is not None else await run_in_threadpool(read_last)
        yield f"retry: 2000\nid: {last}\n: connected\n\n".encode()
        idle = 0.0
        while not await request.is_disconnected():
            rows = await reader.after(unit_id, last)
            for row in rows:
                last = int(row["id"])
                data = json.dumps(row["payload"], separators=(",", ":"))
                yield f"id: {last}\nevent: {row['type']}\ndata: {data}\n\n".encode()
            if rows:
                idle = 0.0
                continue
            wait = settings.sse_poll_seconds if db.is_sqlite else settings.sse_ping_seconds
            await notifier.wait(unit_id, wait)
            idle += wait
            if idle >= settings.sse_ping_seconds:
                idle = 0.0
                yield b": ping\n\n"

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(body(), media_type="text/event-stream", headers=headers)
