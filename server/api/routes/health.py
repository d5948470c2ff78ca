"""Liveness and database reachability, for monitors and load balancers."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from server import __version__
from server.api.deps import DbDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(db: DbDep) -> JSONResponse:
    try:
        with db.read() as conn:
            conn.execute(sa.text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        database = "unreachable"
    code = 200 if database == "ok" else 503
    return JSONResponse(
        {
            "status": "ok" if code == 200 else "degraded",
            "database": database,
            "version": __version__,
        },
        status_code=code,
    )
