"""Staff users, their sessions, and device tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.auth.passwords import hash_password, verify_password
from server.auth.tokens import DEVICE_PREFIX, SESSION_PREFIX, new_token, token_hash
from server.db.admin_schema import password_resets
from server.db.schema import devices, sessions, users
from server.errors import Conflict, InvalidInput, NotFound
from server.store.common import as_aware, first_row, get_in_unit, inserted_id, utcnow

Role = Literal["admin", "supervisor", "staff"]
ROLES: tuple[Role, ...] = ("admin", "supervisor", "staff")
DeviceKind = Literal["kiosk", "rating", "board"]
DEVICE_KINDS: tuple[DeviceKind, ...] = ("kiosk", "rating", "board")


@dataclass(frozen=True)
class Principal:
    """Who is calling: a signed-in staff user or a registered device."""

    unit_id: int
    user_id: int | None = None
    username: str | None = None
    role: Role | None = None
    device_id: int | None = None
    device_kind: DeviceKind | None = None

    @property
    def is_staff(self) -> bool:
        return self.user_id is not None


def add_user(
    conn: Connection, *, unit_id: int, username: str, password: str, role: Role, full_name: str = ""
) -> int:
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.")
    if (
        not username
        or len(username) > 80
        or not username.replace(".", "").replace("_", "").isalnum()
    ):
        raise InvalidInput("A user name uses letters, digits, dots and underscores.")
    exists = conn.execute(sa.select(users.c.id).where(users.c.username == username)).first()
    if exists:
        raise Conflict(f"User name {username!r} is taken.", code="username_taken")
    try:
        password_hash = hash_password(password)
    except ValueError as exc:
        raise InvalidInput(str(exc), code="weak_password") from exc
    result = conn.execute(
        sa.insert(users).values(
            unit_id=unit_id,
            username=username,
            full_name=full_name,
            password_hash=password_hash,
            role=role,
            created_at=utcnow(),
        )
    )
    return inserted_id(result)


def authenticate(conn: Connection, *, username: str, password: str) -> RowMapping | None:
    """The active user with this name and password, else None (constant-ish time)."""
    row = first_row(conn, users, username=username)
    ok = verify_password(row["password_hash"] if row else None, password)
    if row is None or not ok or not row["active"]:
        return None
    return row


def create_session(conn: Connection, *, user_id: int, hours: int) -> str:
    token = new_token(SESSION_PREFIX)
    now = utcnow()
    conn.execute(
        sa.insert(sessions).values(
            token_hash=token_hash(token),
            user_id=user_id,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    return token


def end_session(conn: Connection, *, token: str) -> None:
    conn.execute(sa.delete(sessions).where(sessions.c.token_hash == token_hash(token)))


def add_device(conn: Connection, *, unit_id: int, kind: DeviceKind, name: str) -> tuple[int, str]:
    if kind not in DEVICE_KINDS:
        raise InvalidInput(f"Device kind must be one of {', '.join(DEVICE_KINDS)}.")
    token = new_token(DEVICE_PREFIX)
    result = conn.execute(
        sa.insert(devices).values(
            unit_id=unit_id, kind=kind, name=name, token_hash=token_hash(token), created_at=utcnow()
        )
    )
    return inserted_id(result), token


def principal_for_token(
    conn: Connection, *, token: str, now: datetime | None = None
) -> Principal | None:
    """Resolve a bearer token (session or device) to a principal, or None."""
    digest = token_hash(token)
    if token.startswith(SESSION_PREFIX):
        row = (
            conn.execute(
                sa.select(
                    users.c.id,
                    users.c.unit_id,
                    users.c.username,
                    users.c.role,
                    users.c.active,
                    sessions.c.expires_at,
                )
                .join(users, users.c.id == sessions.c.user_id)
                .where(sessions.c.token_hash == digest)
            )
            .mappings()
            .first()
        )
        expires = as_aware(row["expires_at"]) if row else None
        if row is None or not row["active"] or expires is None or expires < (now or utcnow()):
            return None
        return Principal(
            unit_id=row["unit_id"], user_id=row["id"], username=row["username"], role=row["role"]
        )
    if token.startswith(DEVICE_PREFIX):
        row = (
            conn.execute(
                sa.select(devices.c.id, devices.c.unit_id, devices.c.kind, devices.c.active).where(
                    devices.c.token_hash == digest
                )
            )
            .mappings()
            .first()
        )
        if row is None or not row["active"]:
            return None
        return Principal(unit_id=row["unit_id"], device_id=row["id"], device_kind=row["kind"])
    return None


def get_user(conn: Connection, *, user_id: int) -> RowMapping:
    row = first_row(conn, users, id=user_id)
    if row is None:
        raise NotFound(f"User {user_id} does not exist.")
    return row


def record_heartbeat(
    conn: Connection, *, device_id: int, status: dict[str, Any] | None
) -> RowMapping:
    """Store a device's last-seen time and status; returns the previous row."""
    previous = conn.execute(sa.select(devices).where(devices.c.id == device_id)).mappings().one()
    conn.execute(
        sa.update(devices)
        .where(devices.c.id == device_id)
        .values(last_seen_at=utcnow(), status=status)
    )
    return previous


def list_devices(conn: Connection, *, unit_id: int) -> list[RowMapping]:
    query = sa.select(devices).where(devices.c.unit_id == unit_id).order_by(devices.c.id)
    return list(conn.execute(query).mappings())


# --- administration: staff accounts and devices on the admin pages ----------------


def list_users(conn: Connection, *, unit_id: int) -> list[RowMapping]:
    """The unit's staff, with ``must_change_password`` when a reset is pending."""
    pending = sa.exists().where(password_resets.c.user_id == users.c.id)
    query = (
        sa.select(
            users.c.id,
            users.c.username,
            users.c.full_name,
            users.c.role,
            users.c.active,
            users.c.created_at,
            pending.label("must_change_password"),
        )
        .where(users.c.unit_id == unit_id)
        .order_by(users.c.username)
    )
    return list(conn.execute(query).mappings())


def find_user(conn: Connection, *, username: str) -> RowMapping | None:
    return first_row(conn, users, username=username)


def get_user_in_unit(conn: Connection, *, unit_id: int, user_id: int) -> RowMapping:
    return get_in_unit(
        conn, users, unit_id=unit_id, row_id=user_id, what="User", code="unknown_user"
    )


def count_active_admins(conn: Connection, *, unit_id: int) -> int:
    query = sa.select(sa.func.count()).where(
        users.c.unit_id == unit_id, users.c.role == "admin", users.c.active.is_(True)
    )
    return int(conn.execute(query).scalar() or 0)


def update_user(conn: Connection, *, user_id: int, changes: dict[str, Any]) -> None:
    unknown = set(changes) - {"role", "active", "full_name"}
    if unknown:
        raise InvalidInput(f"Unknown user fields: {', '.join(sorted(unknown))}.")
    if "role" in changes and changes["role"] not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.")
    conn.execute(sa.update(users).where(users.c.id == user_id).values(**changes))


def set_password(conn: Connection, *, user_id: int, password: str) -> None:
    """Store a new password and clear any pending reset."""
    try:
        password_hash = hash_password(password)
    except ValueError as exc:
        raise InvalidInput(str(exc), code="weak_password") from exc
    conn.execute(sa.update(users).where(users.c.id == user_id).values(password_hash=password_hash))
    conn.execute(sa.delete(password_resets).where(password_resets.c.user_id == user_id))


def require_password_change(conn: Connection, *, user_id: int, by_user_id: int | None) -> None:
    """The person must choose a new password at their next sign-in."""
    conn.execute(sa.delete(password_resets).where(password_resets.c.user_id == user_id))
    conn.execute(
        sa.insert(password_resets).values(
            user_id=user_id, required_at=utcnow(), by_user_id=by_user_id
        )
    )


def password_change_required(conn: Connection, *, user_id: int) -> bool:
    return first_row(conn, password_resets, user_id=user_id) is not None


def end_all_sessions(conn: Connection, *, user_id: int) -> list[str]:
    """Sign the user out everywhere; returns the ended sessions' token hashes."""
    hashes = list(
        conn.execute(
            sa.select(sessions.c.token_hash).where(sessions.c.user_id == user_id)
        ).scalars()
    )
    conn.execute(sa.delete(sessions).where(sessions.c.user_id == user_id))
    return hashes


def get_device_in_unit(conn: Connection, *, unit_id: int, device_id: int) -> RowMapping:
    return get_in_unit(
        conn, devices, unit_id=unit_id, row_id=device_id, what="Device", code="unknown_device"
    )


def revoke_device(conn: Connection, *, unit_id: int, device_id: int) -> RowMapping:
    """Its token stops working (within the 5-second token cache)."""
    get_device_in_unit(conn, unit_id=unit_id, device_id=device_id)
    conn.execute(sa.update(devices).where(devices.c.id == device_id).values(active=False))
    return get_device_in_unit(conn, unit_id=unit_id, device_id=device_id)


def device_token_hash(conn: Connection, *, device_id: int) -> str:
    row = first_row(conn, devices, id=device_id)
    return str(row["token_hash"]) if row else ""


def find_device(conn: Connection, *, device_id: int) -> RowMapping | None:
    return first_row(conn, devices, id=device_id)
