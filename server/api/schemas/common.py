"""Shared pieces of the API's bodies: id types and the two model bases.

Ids are SQL integers: anything outside 1..2^31-1 cannot name a row and is
refused as invalid input before it reaches the database (where it would
overflow). Request bodies are :class:`Strict` (unknown fields are a 422).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field

MAX_ID = 2_147_483_647
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int, Query(ge=1, le=MAX_ID)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LocalText(BaseModel):
    """A text stored in both languages."""

    id: str | None
    en: str | None
