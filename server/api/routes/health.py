"""Liveness and database reachability, for monitors and load balancers."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from server import __version__
from server.api.deps import DbDep
from server.api.schemas import HealthOut
from server.store.health import database_reachable

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthOut,
    responses={503: {"model": HealthOut, "description": "The database is unreachable"}},
)
def health(db: DbDep) -> JSONResponse:
    database = "ok" if database_reachable(db) else "unreachable"
    code = 200 if database == "ok" else 503
    return JSONResponse(
        {
            "status": "ok" if code == 200 else "degraded",
            "database": database,
            "version": __version__,
        },
        status_code=code,
    )
