"""The guestbook's one set of rules, through the API and the migration.

Services that need an e-mail, a sex that contradicts the NIK, SKD categories
and the old values a kiosk's outbox may still send, a confirmed returning
visitor who leaves the name out, and migration 0008's category mapping — on
a real SQLite file and on PostgreSQL when configured.
"""

from __future__ import annotations

import re
import uuid

import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient

from server.config import Settings
from server.db.database import Database
from server.db.migrate import MIGRATIONS_DIR, alembic_config, upgrade
from server.db.privacy_schema import visitors, visits
from tests.privacy.conftest import NIK, registration_body, visitor_payload
from tests.server.conftest import Unit

MIGRATIONS = MIGRATIONS_DIR / "versions"


def downgrade(engine: sa.Engine, revision: str) -> None:
    config = alembic_config()
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
        conn.commit()


def parent_of_0008() -> str:
    """The revision 0008 builds on (the lead re-chains migrations when merging)."""
    path = MIGRATIONS / "0008_guestbook_categories.py"
    found = re.search(r'^down_revision = "([^"]+)"$', path.read_text(), re.M)
    assert found
    return found.group(1)


def recommendation_id(client: TestClient, kiosk: dict[str, str]) -> int:
    services = client.get("/api/v1/services", headers=kiosk).json()
    flags = {s["code"]: s["requires_email"] for s in services}
    assert flags == {
        "perpustakaan": False,
        "konsultasi": False,
        "penjualan": False,
        "rekomendasi": True,
    }
    return next(s["id"] for s in services if s["code"] == "rekomendasi")


def test_a_service_that_needs_an_email_refuses_a_visit_without_one(
    client: TestClient, kiosk: dict[str, str], unit: Unit, db: Database
) -> None:
    service_id = recommendation_id(client, kiosk)
    body = registration_body(unit, service_id=service_id, visitor=visitor_payload(email=None))
    response = client.post("/api/v1/registrations", json=body, headers=kiosk)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["fields"] == {"email": "email_required_for_service"}
    assert "e-mail" in error["message"]
    with db.read() as conn:  # nothing stored
        assert conn.execute(sa.select(sa.func.count()).select_from(visits)).scalar_one() == 0
    body = registration_body(unit, service_id=service_id)
    assert client.post("/api/v1/registrations", json=body, headers=kiosk).status_code == 201


def test_sex_contradicting_the_nik_is_refused(
    client: TestClient, kiosk: dict[str, str], unit: Unit
) -> None:
    body = registration_body(unit, visitor=visitor_payload(sex="male"))  # NIK of a woman
    response = client.post("/api/v1/registrations", json=body, headers=kiosk)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"sex": "sex_contradicts_id"}


def test_skd_categories_conditions_and_old_values(
    client: TestClient, kiosk: dict[str, str], unit: Unit, db: Database
) -> None:
    visitor = visitor_payload(
        age_group="40_49",  # an old band, from an outbox written before the upgrade
        education="sma",
        occupation="lainnya",
        occupation_other="Petani",
        institution_category="tni_polri_bin_kejaksaan",
        disability="yes",
        disability_kind="sensorik",
    )
    response = client.post(
        "/api/v1/registrations", json=registration_body(unit, visitor=visitor), headers=kiosk
    )
    assert response.status_code == 201, response.text
    with db.read() as conn:
        row = conn.execute(sa.select(visits)).mappings().one()
    assert row["age_group"] == "35_44" and row["education"] == "up_to_slta"
    assert row["occupation_other"] == "Petani"
    assert (row["disability"], row["disability_kind"]) == ("yes", "sensorik")
    # a conditional answer is required only when its condition holds, dropped otherwise
    missing = visitor_payload(occupation="lainnya", disability="yes")
    response = client.post(
        "/api/v1/registrations", json=registration_body(unit, visitor=missing), headers=kiosk
    )
    assert response.json()["error"]["fields"] == {
        "occupation_other": "required",
        "disability_kind": "required",
    }
    unasked = visitor_payload(id_number=NIK[:-1] + "9", occupation_other="x", disability="no")
    response = client.post(
        "/api/v1/registrations", json=registration_body(unit, visitor=unasked), headers=kiosk
    )
    assert response.status_code == 201
    with db.read() as conn:
        rows = conn.execute(sa.select(visits).order_by(visits.c.id)).mappings().all()
    assert rows[-1]["occupation_other"] is None and rows[-1]["disability"] == "no"


def test_a_confirmed_returning_visitor_may_leave_the_name_out(
    client: TestClient, kiosk: dict[str, str], staff: dict[str, str], unit: Unit, db: Database
) -> None:
    first = client.post("/api/v1/registrations", json=registration_body(unit), headers=kiosk)
    visitor_id = first.json()["visitor_id"]
    again = visitor_payload(name=None, email=None, phone=None)
    body = registration_body(unit, visitor=again, returning_visitor_id=visitor_id)
    response = client.post("/api/v1/registrations", json=body, headers=kiosk)
    assert response.status_code == 201, response.text
    assert response.json()["visitor_id"] == visitor_id
    # without the confirmation, the name is required as always
    body = registration_body(unit, visitor=visitor_payload(name=None))
    response = client.post("/api/v1/registrations", json=body, headers=kiosk)
    assert response.json()["error"]["fields"] == {"name": "required"}
    # the name and e-mail on file were kept, not wiped
    reveal = client.post(
        f"/api/v1/visitors/{visitor_id}/reveal",
        json={"field": "name", "reason": "uji kunjungan ulang"},
        headers=staff,
    )
    assert reveal.json()["value"] == visitor_payload()["name"]
    with db.read() as conn:
        row = conn.execute(sa.select(visitors).where(visitors.c.id == visitor_id)).mappings().one()
    assert row["email_ct"] is not None


def test_priority_reasons_have_one_list(client: TestClient, kiosk: dict[str, str]) -> None:
    form = client.get("/api/v1/guestbook/form", headers=kiosk).json()
    schema = client.get("/openapi.json").json()["components"]["schemas"]["TicketIn"]
    reason = schema["properties"]["priority_reason"]
    listed = [r["value"] for r in form["priority_reasons"]]
    assert [v for v in reason["enum"] if v] == listed


def test_migration_0008_maps_old_categories(settings: Settings) -> None:
    engine = sa.create_engine(settings.sqlalchemy_url)
    try:
        upgrade(engine, "head")
        downgrade(engine, parent_of_0008())  # 0008's downgrade runs too
        now = "2026-11-30 09:00:00"
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO units (id, code, name, settings, created_at) "
                    "VALUES (1, 'u', 'Unit', '{}', :now)"
                ),
                {"now": now},
            )
            for sid, code in ((1, "konsultasi"), (2, "rekomendasi")):
                conn.execute(
                    sa.text(
                        "INSERT INTO services (id, unit_id, code, prefix, name_id, name_en) "
                        "VALUES (:id, 1, :code, :prefix, 'x', 'x')"
                    ),
                    {"id": sid, "code": code, "prefix": "KR"[sid - 1]},
                )
            old = [("under_20", "sd", "umum_perorangan"), ("60_plus", "d4_s1", "swasta")]
            for i, (age, education, category) in enumerate(old, start=1):
                conn.execute(
                    sa.text(
                        "INSERT INTO visits (id, unit_id, service_id, day, created_at, "
                        "client_request_id, language, notice_version, consent_at, "
                        "photo_consent, age_group, education, institution_category) VALUES "
                        "(:id, 1, 1, '2026-11-30', :now, :rid, 'id', '2026-11', :now, "
                        ":no, :age, :edu, :cat)"
                    ),
                    {
                        "id": i,
                        "now": now,
                        "rid": uuid.uuid4().hex,
                        "no": False,
                        "age": age,
                        "edu": education,
                        "cat": category,
                    },
                )
        upgrade(engine, "head")
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT age_group, education, institution_category, disability "
                    "FROM visits ORDER BY id"
                )
            ).all()
        assert [tuple(r) for r in rows] == [
            ("17_25", "up_to_slta", "lainnya", None),
            ("55_65", "d4_s1", "swasta", None),
        ]
    finally:
        engine.dispose()
