"""Dependencies shared by the API routes: settings, database and who is calling.

A caller proves who they are with ``Authorization: Bearer <token>`` (staff
session or device token), the ``loket_session`` cookie set at sign-in (state
changes then also need the ``X-Loket-CSRF`` header), or ``?token=`` on GET
requests where a header cannot be set (EventSource, <audio>).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from server.auth.cache import PrincipalCache
from server.config import Settings
from server.db.database import Database
from server.errors import Forbidden, Unauthorized
from server.store import accounts
from server.store.accounts import Principal, Role
from server.store.common import Actor

SESSION_COOKIE = "loket_session"
CSRF_HEADER = "X-Loket-CSRF"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Database, Depends(get_db)]


def _token_from(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        if request.method not in _SAFE_METHODS and not request.headers.get(CSRF_HEADER):
            raise Forbidden(
                f"Cookie-authenticated changes need the {CSRF_HEADER} header.", code="csrf"
            )
        return cookie
    if request.method in _SAFE_METHODS:
        return request.query_params.get("token") or None
    return None


async def get_principal(request: Request, db: DbDep) -> Principal:
    """Who is calling. Dependencies here are ``async`` so that FastAPI does not send
    each one to the thread pool; only a cache miss reads the database there."""
    token = _token_from(request)
    if not token:
        raise Unauthorized("Sign in or send a device token.")
    cache: PrincipalCache = request.app.state.principal_cache
    principal = cache.get(token)
    if principal is None:
        principal = await run_in_threadpool(_lookup, db, token)
        if principal is None:
            raise Unauthorized("The token is unknown or expired; sign in again.")
        cache.put(token, principal)
    request.state.principal = principal
    return principal


def _lookup(db: Database, token: str) -> Principal | None:
    with db.read() as conn:
        return accounts.principal_for_token(conn, token=token)


AnyPrincipal = Annotated[Principal, Depends(get_principal)]


def _require_roles(*roles: Role) -> object:
    async def dependency(principal: AnyPrincipal) -> Principal:
        if principal.role not in roles:
            raise Forbidden("Your account's role may not do this.")
        return principal

    return Depends(dependency)


StaffUser = Annotated[Principal, _require_roles("admin", "supervisor", "staff")]
Supervisor = Annotated[Principal, _require_roles("admin", "supervisor")]
Admin = Annotated[Principal, _require_roles("admin")]


def _require_device_or_staff(*kinds: str) -> object:
    async def dependency(principal: AnyPrincipal) -> Principal:
        if principal.is_staff or principal.device_kind in kinds:
            return principal
        raise Forbidden("This device may not do this.")

    return Depends(dependency)


KioskOrStaff = Annotated[Principal, _require_device_or_staff("kiosk")]
BoardOrStaff = Annotated[Principal, _require_device_or_staff("board")]


def actor_of(principal: Principal) -> Actor:
    return Actor(user_id=principal.user_id, device_id=principal.device_id)
