"""Units, their services and counters: creation, look-ups and the admin pages' edits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.schema import counter_services, counters, services, units
from server.errors import Conflict, InvalidInput, NotFound
from server.store.common import first_row, get_in_unit, inserted_id, utcnow

DEFAULT_UNIT_SETTINGS: dict[str, Any] = {
    "max_priority_in_row": 2,
    "recalls_before_no_show": 1,
    "max_recalls": 3,
    "default_service_minutes": 7,
    "running_text": "",
    "complaint_channels": [],
    "counter_area": "",
    # issue 11: {"clock_start_step": "form_received"|"form_complete", "staff_emails": {username: address}}
    "cases": {},
    "rating_ipak": False,  # exit rating: ask the IPAK yes/no block after SKM-9
    "rating_skd16": False,  # exit rating: ask the SKD-16 template (1-10) as well
    "rating_skd_url": "",  # exit rating: the office's SKD link, shown as a QR on "thanks"
    "whatsapp": "",
    "opening_hours": {},
    "logo": "",
}


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    prefix: str
    name_id: str
    name_en: str
    description_id: str = ""
    description_en: str = ""
    case_kind: str | None = None


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    timezone: str = "Asia/Jakarta"
    settings: dict[str, Any] = field(default_factory=dict)


def create_unit(conn: Connection, *, spec: UnitSpec) -> int:
    settings = {**DEFAULT_UNIT_SETTINGS, **spec.settings}
    result = conn.execute(
        sa.insert(units).values(
            code=spec.code,
            name=spec.name,
            address=spec.address,
            phone=spec.phone,
            email=spec.email,
            timezone=spec.timezone,
            settings=settings,
            created_at=utcnow(),
        )
    )
    return inserted_id(result)


def get_unit(conn: Connection, *, unit_id: int) -> RowMapping:
    row = first_row(conn, units, id=unit_id)
    if row is None:
        raise NotFound(f"Unit {unit_id} does not exist.")
    return row


def find_unit_by_code(conn: Connection, *, code: str) -> RowMapping | None:
    return first_row(conn, units, code=code)


def unit_settings(unit: Mapping[Any, Any]) -> dict[str, Any]:
    """The unit's settings with defaults filled in for keys added later."""
    return {**DEFAULT_UNIT_SETTINGS, **(unit["settings"] or {})}


def update_unit_settings(conn: Connection, *, unit_id: int, changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(DEFAULT_UNIT_SETTINGS)
    if unknown:
        raise InvalidInput(f"Unknown unit settings: {', '.join(sorted(unknown))}.")
    merged = {**unit_settings(get_unit(conn, unit_id=unit_id)), **changes}
    conn.execute(sa.update(units).where(units.c.id == unit_id).values(settings=merged))


def add_service(conn: Connection, *, unit_id: int, spec: ServiceSpec, sort_order: int = 0) -> int:
    if not (spec.prefix.isalpha() and spec.prefix.isupper() and 1 <= len(spec.prefix) <= 2):
        raise InvalidInput("A service prefix is one or two capital letters.")
    result = conn.execute(
        sa.insert(services).values(
            unit_id=unit_id,
            code=spec.code,
            prefix=spec.prefix,
            name_id=spec.name_id,
            name_en=spec.name_en,
            description_id=spec.description_id,
            description_en=spec.description_en,
            case_kind=spec.case_kind,
            sort_order=sort_order,
        )
    )
    return inserted_id(result)


def list_services(conn: Connection, *, unit_id: int, active_only: bool = False) -> list[RowMapping]:
    query = sa.select(services).where(services.c.unit_id == unit_id)
    if active_only:
        query = query.where(services.c.active.is_(True))
    return list(conn.execute(query.order_by(services.c.sort_order, services.c.id)).mappings())


def get_service(conn: Connection, *, unit_id: int, service_id: int) -> RowMapping:
    return get_in_unit(
        conn, services, unit_id=unit_id, row_id=service_id, what="Service", code="unknown_service"
    )


def add_counter(
    conn: Connection, *, unit_id: int, number: int, name: str, service_ids: Sequence[int]
) -> int:
    result = conn.execute(sa.insert(counters).values(unit_id=unit_id, number=number, name=name))
    counter_id = inserted_id(result)
    set_counter_services(conn, unit_id=unit_id, counter_id=counter_id, service_ids=service_ids)
    return counter_id


def get_counter(
    conn: Connection, *, unit_id: int, counter_id: int, for_update: bool = False
) -> RowMapping:
    """One counter of the unit; ``for_update`` locks its row on PostgreSQL."""
    return get_in_unit(
        conn,
        counters,
        unit_id=unit_id,
        row_id=counter_id,
        what="Counter",
        code="unknown_counter",
        for_update=for_update,
    )


def list_counters(conn: Connection, *, unit_id: int) -> list[RowMapping]:
    query = sa.select(counters).where(counters.c.unit_id == unit_id).order_by(counters.c.number)
    return list(conn.execute(query).mappings())


def counter_service_ids(conn: Connection, *, counter_id: int) -> list[int]:
    query = sa.select(counter_services.c.service_id).where(
        counter_services.c.counter_id == counter_id
    )
    return sorted(conn.execute(query).scalars())


def set_counter_services(
    conn: Connection, *, unit_id: int, counter_id: int, service_ids: Sequence[int]
) -> None:
    for service_id in service_ids:
        get_service(conn, unit_id=unit_id, service_id=service_id)
    conn.execute(sa.delete(counter_services).where(counter_services.c.counter_id == counter_id))
    if service_ids:
        conn.execute(
            sa.insert(counter_services),
            [{"counter_id": counter_id, "service_id": sid} for sid in sorted(set(service_ids))],
        )


def set_counter_paused(conn: Connection, *, unit_id: int, counter_id: int, paused: bool) -> None:
    get_counter(conn, unit_id=unit_id, counter_id=counter_id)
    conn.execute(sa.update(counters).where(counters.c.id == counter_id).values(paused=paused))


def set_counter_staff(
    conn: Connection, *, unit_id: int, counter_id: int, user_id: int | None
) -> None:
    get_counter(conn, unit_id=unit_id, counter_id=counter_id)
    conn.execute(
        sa.update(counters).where(counters.c.id == counter_id).values(staff_user_id=user_id)
    )


def unit_ids(conn: Connection) -> list[int]:
    """The ids of every unit (a single-office install has exactly one)."""
    return list(conn.execute(sa.select(units.c.id).order_by(units.c.id)).scalars())


# --- administration: edits made on the admin pages --------------------------------

UNIT_COLUMNS = ("name", "address", "phone", "email", "timezone")
SERVICE_COLUMNS = (
    "prefix", "name_id", "name_en", "description_id", "description_en", "active", "sort_order",
    "case_kind",
)  # fmt: skip
COUNTER_COLUMNS = ("name", "number", "paused")


def update_unit(
    conn: Connection, *, unit_id: int, columns: dict[str, Any], settings: dict[str, Any]
) -> RowMapping:
    """Change the unit's own columns and settings; returns the updated row."""
    unknown = set(columns) - set(UNIT_COLUMNS)
    if unknown:
        raise InvalidInput(f"Unknown unit fields: {', '.join(sorted(unknown))}.")
    if columns:
        conn.execute(sa.update(units).where(units.c.id == unit_id).values(**columns))
    if settings:
        update_unit_settings(conn, unit_id=unit_id, changes=settings)
    return get_unit(conn, unit_id=unit_id)


def _taken(
    conn: Connection, table: sa.Table, *, unit_id: int, row_id: int | None, **equal: Any
) -> bool:
    query = sa.select(table.c.id).where(
        table.c.unit_id == unit_id, *(table.c[k] == v for k, v in equal.items())
    )
    if row_id is not None:
        query = query.where(table.c.id != row_id)
    return conn.execute(query).first() is not None


def check_service_unique(
    conn: Connection, *, unit_id: int, service_id: int | None, code: str | None, prefix: str | None
) -> None:
    """Refuse a code or prefix another service of the unit already uses (409)."""
    if code is not None and _taken(conn, services, unit_id=unit_id, row_id=service_id, code=code):
        raise Conflict(f"Another service already has the code {code}.", code="service_code_taken")
    if prefix is not None and _taken(
        conn, services, unit_id=unit_id, row_id=service_id, prefix=prefix
    ):
        raise Conflict(
            f"Another service already uses the prefix {prefix}.", code="service_prefix_taken"
        )


def update_service(
    conn: Connection, *, unit_id: int, service_id: int, changes: dict[str, Any]
) -> RowMapping:
    unknown = set(changes) - set(SERVICE_COLUMNS)
    if unknown:
        raise InvalidInput(f"Unknown service fields: {', '.join(sorted(unknown))}.")
    get_service(conn, unit_id=unit_id, service_id=service_id)
    check_service_unique(
        conn, unit_id=unit_id, service_id=service_id, code=None, prefix=changes.get("prefix")
    )
    if changes:
        conn.execute(sa.update(services).where(services.c.id == service_id).values(**changes))
    return get_service(conn, unit_id=unit_id, service_id=service_id)


def next_sort_order(conn: Connection, *, unit_id: int) -> int:
    query = sa.select(sa.func.max(services.c.sort_order)).where(services.c.unit_id == unit_id)
    return int(conn.execute(query).scalar() or 0) + 1


def check_counter_number_free(
    conn: Connection, *, unit_id: int, counter_id: int | None, number: int
) -> None:
    if _taken(conn, counters, unit_id=unit_id, row_id=counter_id, number=number):
        raise Conflict(f"Counter number {number} is taken.", code="counter_number_taken")


def update_counter(
    conn: Connection, *, unit_id: int, counter_id: int, changes: dict[str, Any]
) -> RowMapping:
    unknown = set(changes) - set(COUNTER_COLUMNS)
    if unknown:
        raise InvalidInput(f"Unknown counter fields: {', '.join(sorted(unknown))}.")
    get_counter(conn, unit_id=unit_id, counter_id=counter_id)
    if "number" in changes:
        check_counter_number_free(
            conn, unit_id=unit_id, counter_id=counter_id, number=changes["number"]
        )
    if changes:
        conn.execute(sa.update(counters).where(counters.c.id == counter_id).values(**changes))
    return get_counter(conn, unit_id=unit_id, counter_id=counter_id)
