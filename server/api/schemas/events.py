"""Response models of the live-event routes."""

from __future__ import annotations

from pydantic import BaseModel


class EventTypesOut(BaseModel):
    """Every event name the SSE stream can send (``server/domain/events.py``)."""

    types: list[str]
