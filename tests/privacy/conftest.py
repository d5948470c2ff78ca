"""Fixtures for the privacy tests: the server fixtures plus known personal values."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.server.conftest import *  # noqa: F403
from tests.server.conftest import Unit

NIK = "1906014501900001"
NAME = "Siti Aminah Rahmawati"
EMAIL = "siti.aminah@example.com"
PHONE = "081234567877"
KNOWN_VALUES = (NIK, NAME, EMAIL, PHONE)


def visitor_payload(**overrides: Any) -> dict[str, Any]:
    visitor = {
        "name": NAME,
        "sex": "female",
        "age_group": "30_39",
        "education": "s2",
        "occupation": "peneliti_dosen",
        "institution": "Universitas Bangka Belitung",
        "institution_category": "lembaga_penelitian_pendidikan",
        "email": EMAIL,
        "phone": PHONE,
        "id_type": "ktp",
        "id_number": NIK,
        "purpose": "penelitian",
    }
    visitor.update(overrides)
    return visitor


def registration_body(
    unit: Unit, *, visitor: dict[str, Any] | None = None, **overrides: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_request_id": str(uuid.uuid4()),
        "language": "id",
        "consent": {"notice_version": "2026-11", "accepted": True, "photo_accepted": False},
        "service_id": unit.service_ids[0],
        "priority": False,
        "priority_reason": None,
        "returning_visitor_id": None,
        "visitor": visitor or visitor_payload(),
        "id_photo_jpeg_base64": None,
    }
    body.update(overrides)
    return body


@pytest.fixture
def known() -> tuple[str, ...]:
    return KNOWN_VALUES


def nik_for(serial: int) -> str:
    """A valid NIK with the given serial (women born 5 Jan 1990 in Belitung Timur)."""
    return f"190601450190{serial:04d}"


def direct_registration(
    db: Any,
    ring: Any,
    unit: Unit,
    *,
    serial: int,
    now: Any = None,
    photo: bytes | None = None,
    name: str | None = None,
) -> Any:
    """Register one visitor through the store (no HTTP), for bulk and timing tests."""
    from server.privacy.form import validate_visitor
    from server.privacy.registration import Registration, register_once
    from server.store.common import Actor

    values, errors = validate_visitor(
        visitor_payload(
            id_number=nik_for(serial),
            name=name or f"Pengunjung Nomor {serial}",
            email=f"pengunjung{serial}@example.com",
        )
    )
    assert not errors, errors
    reg = Registration(
        values=values,
        service_id=unit.service_ids[0],
        notice_version="2026-11",
        photo_consent=photo is not None,
        photo_jpeg=photo,
        client_request_id=uuid.uuid4().hex,
    )
    return register_once(db, ring=ring, unit_id=unit.id, actor=Actor(), reg=reg, now=now)


def subprocess_env(data_dir: Any, **extra: str) -> dict[str, str]:
    """Environment for a ``loket``/uvicorn subprocess on a fresh SQLite data dir.

    Bytecode is cached under the system temp dir (``PYTHONPYCACHEPREFIX``), not
    in the tree: with ``PYTHONDONTWRITEBYTECODE`` every start-up would compile
    the whole server again.
    """
    import os
    import tempfile

    env = {k: v for k, v in os.environ.items() if not k.startswith("LOKET_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "loket-test-pycache")
    env.update(LOKET_DATA_DIR=str(data_dir), LOKET_DEMO="1", **extra)
    return env
