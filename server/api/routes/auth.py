"""Staff sign-in, sign-out, and choosing a new password (required after an admin's reset)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from server.api.deps import SESSION_COOKIE, AnyPrincipal, DbDep, SettingsDep
from server.api.schemas import LoginIn, LoginOut, UserOut
from server.api.schemas.admin import PasswordChangeIn
from server.errors import Forbidden, InvalidInput, TooManyRequests, Unauthorized
from server.store import accounts, audit
from server.store.common import Actor

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=LoginOut)
def login(
    body: LoginIn, request: Request, response: Response, db: DbDep, settings: SettingsDep
) -> LoginOut:
    throttle = request.app.state.login_throttle
    address = request.client.host if request.client else "unknown"
    keys = (f"user:{body.username.lower()}", f"addr:{address}")
    if throttle.blocked(*keys):
        raise TooManyRequests("Too many failed sign-ins; wait a few minutes and try again.")
    with db.write() as conn:
        user = accounts.authenticate(conn, username=body.username, password=body.password)
        if user is None:
            throttle.fail(*keys)
            raise Unauthorized("Wrong user name or password.", code="bad_credentials")
        if accounts.password_change_required(conn, user_id=user["id"]):
            raise Forbidden(
                "Choose a new password before signing in.", code="password_change_required"
            )
        token = accounts.create_session(conn, user_id=user["id"], hours=settings.session_hours)
    throttle.succeed(keys[0])
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        max_age=settings.session_hours * 3600,
        secure=settings.public_base_url.startswith("https://"),
    )
    return LoginOut(
        token=token,
        user=UserOut(
            id=user["id"], username=user["username"], role=user["role"], unit_id=user["unit_id"]
        ),
    )


@router.post("/logout", status_code=204)
def logout(request: Request, response: Response, principal: AnyPrincipal, db: DbDep) -> Response:
    header = request.headers.get("authorization", "")
    token = (
        header[7:].strip()
        if header.lower().startswith("bearer ")
        else request.cookies.get(SESSION_COOKIE)
    )
    if token and principal.is_staff:
        with db.write() as conn:
            accounts.end_session(conn, token=token)
        request.app.state.principal_cache.evict(token)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/me", response_model=UserOut | None)
def me(principal: AnyPrincipal) -> UserOut | None:
    if not principal.is_staff:
        return None
    assert principal.user_id is not None and principal.username and principal.role
    return UserOut(
        id=principal.user_id,
        username=principal.username,
        role=principal.role,
        unit_id=principal.unit_id,
    )


@router.post("/password", status_code=204)
def change_password(body: PasswordChangeIn, request: Request, db: DbDep) -> Response:
    """Set a new password with the current (or temporary) one; ends every session."""
    throttle = request.app.state.login_throttle
    address = request.client.host if request.client else "unknown"
    keys = (f"user:{body.username.lower()}", f"addr:{address}")
    if throttle.blocked(*keys):
        raise TooManyRequests("Too many failed sign-ins; wait a few minutes and try again.")
    if body.new_password == body.current_password:
        raise InvalidInput(
            "The new password must differ from the current one.", code="same_password"
        )
    with db.write() as conn:
        user = accounts.authenticate(conn, username=body.username, password=body.current_password)
        if user is None:
            throttle.fail(*keys)
            raise Unauthorized("Wrong user name or password.", code="bad_credentials")
        accounts.set_password(conn, user_id=user["id"], password=body.new_password)
        accounts.end_all_sessions(conn, user_id=user["id"])
        audit.record(
            conn, unit_id=user["unit_id"], actor=Actor(user_id=user["id"]),
            action="staff.password_changed", detail={"user_id": user["id"]},
        )  # fmt: skip
    request.app.state.principal_cache.evict_principal(user_id=user["id"])
    throttle.succeed(keys[0])
    return Response(status_code=204)
