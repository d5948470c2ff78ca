"""A hand-counted month (November 2026, unit time Asia/Jakarta) for the report tests.

Seven visits fall in the month, two just outside it (31 October, and 1 December
00:30 local, which is still 30 November in UTC). The expected figures in the
tests are counted by hand from this list; see the comments there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from bench.seed_year import SeedVisit, prepare_unit, seed_visits
from server.config import Settings
from server.db.database import Database
from server.privacy.form import form_definition
from server.privacy.keys import key_file_for
from server.store import accounts, units

WIB = timezone(timedelta(hours=7))
SUPERVISOR_PASSWORD = "supervisor-password-1"
CODES = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB).astimezone(UTC)


def choices(name: str) -> list[str]:
    field = next(f for f in form_definition().fields if f.name == name)
    return list(field.choices)


def profile(sex: str, purpose_index: int) -> dict[str, str]:
    return {
        "sex": sex,
        "age_group": choices("age_group")[1],
        "education": choices("education")[4],
        "occupation": choices("occupation")[0],
        "institution_category": choices("institution_category")[0],
        "purpose": choices("purpose")[purpose_index],
        "institution": "Universitas Bangka Belitung",
    }


def month_visits() -> list[SeedVisit]:
    female, male = "female", "male"
    return [
        # v1..v3: Monday 2 November
        SeedVisit(local(11, 2, 8, 10), "P", 1, profile(female, 0), "done", 120, 600, 1, "petugas1"),
        SeedVisit(local(11, 2, 8, 20), "P", 2, profile(male, 0), "done", 300, 300, 1, "petugas1"),
        SeedVisit(local(11, 2, 9, 5), "K", 3, profile(female, 0), "no_show", 600, 0, 2, "petugas2"),
        # v4: visitor 1 comes back (priority); v5
        SeedVisit(
            local(11, 3, 10),
            "K",
            1,
            profile(female, 0),
            "done",
            60,
            1200,
            2,
            "petugas2",
            priority=True,
        ),
        SeedVisit(local(11, 4, 10, 30), "K", 4, profile(male, 0), "done", 900, 900, 1, "petugas1"),
        # v6: Sunday 1 November 06:00 local = 31 October 23:00 UTC (in the month); cancelled
        SeedVisit(local(11, 1, 6), "J", 5, profile(female, 1), "cancelled", 30, 0, 1, "petugas1"),
        # outside: Saturday 31 October, and Tuesday 1 December 00:30 local
        SeedVisit(local(10, 31, 10), "P", 7, profile(male, 0), "done", 100, 100, 1, "petugas1"),
        SeedVisit(local(12, 1, 0, 30), "P", 1, profile(female, 0), "done", 100, 100, 1, "petugas1"),
        # v7 (seeded last, so it stays the only waiting ticket): Monday 30 November 23:30 local
        SeedVisit(local(11, 30, 23, 30), "R", 6, profile(female, 1), "waiting"),
    ]


def seed_month(db: Database, settings: Settings) -> dict[str, Any]:
    """The unit with three counters and staff, a supervisor, and the month's visits."""
    unit_id = prepare_unit(db)
    with db.write() as conn:
        accounts.add_user(
            conn,
            unit_id=unit_id,
            username="kepala",
            password=SUPERVISOR_PASSWORD,
            role="supervisor",
            full_name="Kepala Unit",
        )
        counters = {c["number"]: c["id"] for c in units.list_counters(conn, unit_id=unit_id)}
    ring = key_file_for(settings.resolved_key_file).ring()
    seed_visits(db, ring, unit_id=unit_id, visits=month_visits())
    seed_ratings(db, unit_id)
    return {"unit_id": unit_id, "counters": counters}


# Ratings of the four served November tickets (hand-counted in test_satisfaction.py):
# v1 (P) all 4; v2 (P) all 3 but U9 = 2; v4 (K) all 3; v5 (K) all 4 but U3 = 2.
RATINGS = [
    (0, {c: 4 for c in CODES}, "Ruang tunggu nyaman."),
    (1, {**{c: 3 for c in CODES}, "U9": 2}, ""),
    (2, {c: 3 for c in CODES}, "Petugas ramah."),
    (3, {**{c: 4 for c in CODES}, "U3": 2}, ""),
]


def seed_ratings(db: Database, unit_id: int) -> None:
    """Rate the served November tickets in order of issue, through the ratings store."""
    import sqlalchemy as sa

    from server.db.schema import tickets
    from server.domain import skm
    from server.store import ratings

    version = skm.current(skm.SKM).version
    with db.write() as conn:
        tokens = list(
            conn.execute(
                sa.select(tickets.c.tracking_token)
                .where(
                    tickets.c.unit_id == unit_id,
                    tickets.c.status == "done",
                    tickets.c.day.between(date(2026, 11, 1), date(2026, 11, 30)),
                )
                .order_by(tickets.c.issued_at)
            ).scalars()
        )
        for index, scores, suggestion in RATINGS:
            target = ratings.target_by_token(conn, token=tokens[index], unit_id=unit_id)
            rating = skm.validate(
                overall=3, blocks=[(skm.SKM, version, scores)], suggestion=suggestion
            )
            ratings.record_rating(conn, target=target, rating=rating, channel="web", device_id=None)
        ratings.add_followup(
            conn,
            unit_id=unit_id,
            service_id=None,
            period_from=date(2026, 11, 1),
            period_to=date(2026, 11, 30),
            element_code="U3",
            action="Tambah petugas pada jam sibuk",
            owner="Kepala Subbagian Umum",
            due_date=date(2027, 1, 15),
            user_id=None,
        )
