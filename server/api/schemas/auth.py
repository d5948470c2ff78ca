"""Bodies of staff sign-in (``/auth``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from server.api.schemas.common import Strict


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class UserOut(BaseModel):
    id: int
    username: str
    role: str
    unit_id: int


class LoginOut(BaseModel):
    token: str
    user: UserOut
