"""Create a ready-to-use unit: its services, counters and an admin.

A real office passes its own description (checked by
:func:`server.domain.admin.office_config`); only the demo falls back to the
example office in ``server/seed/pst_unit.json`` (BPS Kabupaten Belitung Timur).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from server.db.database import Database
from server.errors import Conflict
from server.store import accounts, units

SEED_FILE = Path(__file__).parent / "seed" / "pst_unit.json"
STANDARD_SERVICES_FILE = Path(__file__).parent / "domain" / "data" / "pst_services.json"


@dataclass(frozen=True)
class InitResult:
    unit_id: int
    admin_username: str
    admin_password: str | None  # None when it was supplied by the caller
    created: bool
    unit_name: str = ""
    services: int = 0
    counters: int = 0


def load_seed() -> dict[str, Any]:
    seed: dict[str, Any] = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    return seed


def load_standard_services() -> list[dict[str, str]]:
    """The national PST services every office may start from."""
    from server.domain.admin import standard_services

    return standard_services(json.loads(STANDARD_SERVICES_FILE.read_text(encoding="utf-8")))


def _add_admin(conn: Connection, *, unit_id: int, username: str, password: str) -> None:
    accounts.add_user(
        conn,
        unit_id=unit_id,
        username=username,
        password=password,
        role="admin",
        full_name="Administrator",
    )


def init_unit(
    db: Database,
    *,
    admin_username: str = "admin",
    admin_password: str | None = None,
    office: dict[str, Any] | None = None,
) -> InitResult:
    """Create the unit unless it exists; the admin password is generated when not given.

    ``office`` is a checked office description (``{"unit", "services", "counters"}``);
    without it the demo's example office is used.
    """
    seed = office or load_seed()
    unit_seed = dict(seed["unit"])
    with db.write() as conn:
        existing = units.find_unit_by_code(conn, code=unit_seed["code"])
        if existing is not None:
            return InitResult(existing["id"], admin_username, None, created=False)
        unit_id = units.create_unit(conn, spec=units.UnitSpec(**unit_seed))
        service_ids = [
            units.add_service(conn, unit_id=unit_id, spec=units.ServiceSpec(**spec), sort_order=i)
            for i, spec in enumerate(seed["services"])
        ]
        for counter in seed["counters"]:
            units.add_counter(
                conn,
                unit_id=unit_id,
                number=counter["number"],
                name=counter["name"],
                service_ids=service_ids,
            )
        generated = admin_password is None
        password = admin_password or secrets.token_urlsafe(12)
        try:
            _add_admin(conn, unit_id=unit_id, username=admin_username, password=password)
        except Conflict:  # the name is taken by another unit's admin
            admin_username = f"admin{unit_seed['code']}"
            _add_admin(conn, unit_id=unit_id, username=admin_username, password=password)
    return InitResult(
        unit_id,
        admin_username,
        password if generated else None,
        created=True,
        unit_name=unit_seed["name"],
        services=len(service_ids),
        counters=len(seed["counters"]),
    )
