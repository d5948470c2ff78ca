"""Seed a realistic year (about 12,000 visits) for one unit, through the store layer.

Each visit is a real guestbook registration (:func:`server.privacy.registration.register`,
personal fields encrypted) whose ticket is then called, started, finished, marked
no-show or cancelled by the real store functions (:mod:`server.store.tickets`) with
a simulated clock, so the timestamps fall on the planned working days and hours.
Working days skip Indonesian holidays and joint leave (``holidays`` package).
About a third of the visitors come back; 6 % are no-shows, 2 % cancel, 5 % are
priority. Then about 40 % of served visitors rate the service (SKM-9), and some
200 complaints and service follow-up cases are filed and mostly closed. The same :func:`seed_visits` seeds the hand-counted month of the tests.

    python -m bench.seed_year --data-dir /tmp/loket-year --year 2026
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from server.bootstrap import init_unit
from server.cli.common import open_database
from server.config import Settings
from server.db.database import Database
from server.domain.queue import Action
from server.privacy.crypto import KeyRing
from server.privacy.form import form_definition, validate_visitor
from server.privacy.keys import key_file_for
from server.privacy.registration import Registration, register
from server.store import accounts, tickets, units
from server.store.common import Actor

STAFF_PASSWORD = "staff-password-123"


@dataclass
class SeedVisit:
    """One planned visit: when (UTC), which service, who, and how it ends."""

    at: datetime
    service: str  # service prefix
    visitor: int  # the same number is the same person (returning visitor)
    profile: dict[str, str]
    outcome: str = "done"  # done | no_show | cancelled | waiting
    wait_seconds: float = 300.0
    service_seconds: float = 600.0
    counter: int = 1  # counter number
    staff: str | None = None  # username of the staff member at the counter
    priority: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def nik(visitor: int, female: bool) -> str:
    """A valid NIK for visitor number ``visitor`` (Belitung Timur, born 1970–1999)."""
    serial = visitor % 9999 + 1
    day = 1 + (visitor // 9999) % 28 + (40 if female else 0)
    month = 1 + (visitor // (9999 * 28)) % 12
    year = 70 + visitor % 30
    return f"190601{day:02d}{month:02d}{year:02d}{serial:04d}"


@contextmanager
def simulated_clock() -> Iterator[list[datetime]]:
    """Make the ticket store read its clock from the yielded one-item list."""
    moment = [datetime.now(UTC)]
    original = tickets.utcnow
    tickets.utcnow = lambda: moment[0]
    try:
        yield moment
    finally:
        tickets.utcnow = original


def seed_visits(
    db: Database, ring: KeyRing, *, unit_id: int, visits: Sequence[SeedVisit], batch: int = 200
) -> int:
    """Store ``visits`` (registration + ticket life) in write transactions of ``batch``."""
    with db.read() as conn:
        service_ids = {s["prefix"]: s["id"] for s in units.list_services(conn, unit_id=unit_id)}
        counter_ids = {c["number"]: c["id"] for c in units.list_counters(conn, unit_id=unit_id)}
        user_ids = {u["username"]: u["id"] for u in accounts_list(conn, unit_id=unit_id)}
    done = 0
    with simulated_clock() as clock:
        for first in range(0, len(visits), batch):
            with db.write() as conn:
                for v in visits[first : first + batch]:
                    _seed_one(conn, ring, unit_id, v, service_ids, counter_ids, user_ids, clock)
                    done += 1
    return done


def accounts_list(conn: Any, *, unit_id: int) -> list[Any]:
    import sqlalchemy as sa

    from server.db.schema import users

    return list(conn.execute(sa.select(users).where(users.c.unit_id == unit_id)).mappings())


def _seed_one(
    conn: Any,
    ring: KeyRing,
    unit_id: int,
    v: SeedVisit,
    service_ids: dict[str, int],
    counter_ids: dict[int, int],
    user_ids: dict[str, int],
    clock: list[datetime],
) -> None:
    female = v.profile.get("sex") == "female"
    payload = {
        "name": f"Pengunjung {v.visitor}",
        "id_type": "ktp",
        "id_number": nik(v.visitor, female),
        "email": f"pengunjung{v.visitor}@example.com",
        **v.profile,
    }
    values, errors = validate_visitor(payload)
    if errors:
        raise ValueError(f"invalid seed visitor {v.visitor}: {errors}")
    reg = Registration(
        values=values,
        service_id=service_ids[v.service],
        notice_version=form_definition().notice_version,
        priority=v.priority,
        priority_reason="elderly" if v.priority else None,
        client_request_id=uuid.uuid4().hex,
    )
    done = register(conn, ring=ring, unit_id=unit_id, actor=Actor(), reg=reg, now=v.at)
    ticket_id = done.ticket["id"]
    actor = Actor(user_id=user_ids.get(v.staff or ""))
    if v.outcome == "waiting":
        return
    clock[0] = v.at + timedelta(seconds=v.wait_seconds)
    if v.outcome == "cancelled":
        tickets.apply_action(
            conn, unit_id=unit_id, ticket_id=ticket_id, action=Action.CANCEL, actor=actor
        )
        return
    counter_id = counter_ids[v.counter]
    called = tickets.call_next(conn, unit_id=unit_id, counter_id=counter_id, actor=actor)
    if called is None or called["id"] != ticket_id:
        raise RuntimeError("seeding expects an empty queue before each visit")
    if v.outcome == "no_show":  # the unit's rule: recall before giving up
        clock[0] += timedelta(seconds=60)
        tickets.apply_action(
            conn,
            unit_id=unit_id,
            ticket_id=ticket_id,
            action=Action.RECALL,
            actor=actor,
            counter_id=counter_id,
        )
        clock[0] += timedelta(seconds=60)
        tickets.apply_action(
            conn,
            unit_id=unit_id,
            ticket_id=ticket_id,
            action=Action.NO_SHOW,
            actor=actor,
            counter_id=counter_id,
        )
        return
    clock[0] += timedelta(seconds=30)
    tickets.apply_action(
        conn,
        unit_id=unit_id,
        ticket_id=ticket_id,
        action=Action.START,
        actor=actor,
        counter_id=counter_id,
    )
    clock[0] += timedelta(seconds=v.service_seconds)
    tickets.apply_action(
        conn,
        unit_id=unit_id,
        ticket_id=ticket_id,
        action=Action.FINISH,
        actor=actor,
        counter_id=counter_id,
    )


# --- a realistic year --------------------------------------------------------------

SERVICE_WEIGHTS = {"P": 30, "K": 40, "J": 20, "R": 10}
HOUR_WEIGHTS = {7: 4, 8: 12, 9: 18, 10: 18, 11: 14, 12: 6, 13: 12, 14: 10, 15: 6}


def working_days(year: int) -> list[date]:
    """Monday–Friday of ``year`` without national holidays and joint leave."""
    off = holidays.country_holidays("ID", years=year, categories=("public", "government"))
    day, out = date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5 and day not in off:
            out.append(day)
        day += timedelta(days=1)
    return out


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def year_plan(
    year: int,
    *,
    visits: int = 12_000,
    seed: int = 13,
    tz: str = "Asia/Jakarta",
    staff: Sequence[str] = ("petugas1", "petugas2", "petugas3"),
) -> list[SeedVisit]:
    """About ``visits`` visits spread over the working days of ``year``."""
    rng = random.Random(seed)
    form = {f.name: f for f in form_definition().fields}
    choices = {
        name: list(form[name].choices)
        for name in (
            "sex",
            "age_group",
            "education",
            "occupation",
            "institution_category",
            "purpose",
        )
    }
    days = working_days(year)
    zone = ZoneInfo(tz)
    people: list[dict[str, str]] = []
    plan: list[SeedVisit] = []
    per_day = visits / len(days)
    for day in days:
        n = max(0, round(rng.gauss(per_day, per_day * 0.2)))
        for _ in range(n):
            if people and rng.random() < 0.35:
                visitor = rng.randrange(len(people))
            else:
                visitor = len(people)
                person = {k: rng.choice(v) for k, v in choices.items()}
                if person["occupation"] == "lainnya":  # "Lainnya" is asked to be named
                    person["occupation_other"] = rng.choice(("Petani", "Nelayan", "Pensiunan"))
                people.append(person)
            hour = _pick(rng, HOUR_WEIGHTS)
            local = datetime(
                day.year,
                day.month,
                day.day,
                hour,
                rng.randrange(60),
                rng.randrange(60),
                tzinfo=zone,
            )
            roll = rng.random()
            outcome = "no_show" if roll < 0.06 else "cancelled" if roll < 0.08 else "done"
            counter = rng.choice((1, 2, 3))
            plan.append(
                SeedVisit(
                    at=local.astimezone(UTC),
                    service=_pick(rng, SERVICE_WEIGHTS),
                    visitor=visitor,
                    profile=people[visitor],
                    outcome=outcome,
                    wait_seconds=rng.expovariate(1 / 420),
                    service_seconds=max(60.0, rng.lognormvariate(6.4, 0.5)),
                    counter=counter,
                    staff=staff[counter - 1],
                    priority=rng.random() < 0.05,
                )
            )
    plan.sort(key=lambda v: v.at)
    return plan


SUGGESTIONS = (
    "Ruang tunggu perlu kursi tambahan.",
    "Petugas ramah dan membantu.",
    "Mohon sediakan data dalam format Excel.",
    "Antrean pagi cukup lama.",
    "Wi-Fi di ruang PST sering putus.",
)


def seed_extras(db: Database, ring: KeyRing, *, unit_id: int, seed: int = 13) -> dict[str, int]:
    """Ratings for about 40 % of served tickets, complaints and service follow-up cases.

    Through :mod:`server.store.ratings`, :mod:`server.store.complaints` and
    :mod:`server.store.cases`, each with the simulated time of its day.
    """
    import sqlalchemy as sa

    from server.db.schema import tickets as tickets_table
    from server.domain import skm
    from server.store import cases as case_store
    from server.store import complaints, ratings

    rng = random.Random(seed + 1)
    version = skm.current(skm.SKM).version
    with db.read() as conn:
        served = conn.execute(
            sa.select(tickets_table.c.tracking_token, tickets_table.c.finished_at)
            .where(tickets_table.c.unit_id == unit_id, tickets_table.c.status == "done")
            .order_by(tickets_table.c.id)
        ).all()
    counts = {"ratings": 0, "complaints": 0, "cases": 0}
    chosen = [row for row in served if rng.random() < 0.4]
    for first in range(0, len(chosen), 300):
        with db.write() as conn:
            for token, finished in chosen[first : first + 300]:
                scores = {
                    c: rng.choices((1, 2, 3, 4), weights=(2, 8, 50, 40))[0] for c in skm.SKM_CODES
                }
                text = rng.choice(SUGGESTIONS) if rng.random() < 0.05 else ""
                rating = skm.validate(
                    overall=rng.choice((3, 3, 4)),
                    blocks=[(skm.SKM, version, scores)],
                    suggestion=text,
                )
                target = ratings.target_by_token(conn, token=token, unit_id=unit_id)
                if target.rated:  # a re-run with --extras-only
                    continue
                ratings.record_rating(
                    conn, target=target, rating=rating, channel="web", device_id=None, now=finished
                )
                counts["ratings"] += 1
    for _token, finished in served[:: max(1, len(served) // 200)]:
        opened = finished.replace(tzinfo=UTC) if finished.tzinfo is None else finished
        ctx = case_store.Context(ring=ring, base_url="http://loket.local", now=opened)
        closed = opened + timedelta(days=rng.choice((1, 2, 4, 6, 9, 20)))
        with db.write() as conn:
            if rng.random() < 0.6:
                _, case_id = complaints.file_complaint(
                    conn,
                    ctx=ctx,
                    unit_id=unit_id,
                    category=rng.choice(("info", "info", "dispute")),
                    channel=rng.choice(("box", "web", "desk", "whatsapp")),
                    text="Keluhan tentang layanan.",
                    role="staff",
                    user_id=None,
                    anonymous=True,
                )
                steps = [
                    ("responded", {"response": "Ditanggapi."}),
                    ("resolved", {"resolution": "Selesai."}),
                    ("closed", {}),
                ]
                counts["complaints"] += 1
            else:
                case_id = case_store.open_case(
                    conn,
                    ctx=ctx,
                    unit_id=unit_id,
                    kind_code="service",
                    role="staff",
                    user_id=None,
                    at=opened,
                )
                steps = [("closed", {})]
                counts["cases"] += 1
            if closed.year == opened.year and rng.random() < 0.9:
                later = case_store.Context(ring=ring, base_url="http://loket.local", now=closed)
                for step, values in steps:
                    case_store.take_step(
                        conn,
                        ctx=later,
                        unit_id=unit_id,
                        case_id=case_id,
                        step=step,
                        role="staff",
                        user_id=None,
                        values=values,
                        at=closed,
                    )
    return counts


def prepare_unit(db: Database, *, admin_password: str = "admin-password-123") -> int:
    """The unit with three counters serving every service and a staff member at each."""
    unit_id = init_unit(db, admin_password=admin_password).unit_id
    with db.write() as conn:
        service_ids = [s["id"] for s in units.list_services(conn, unit_id=unit_id)]
        numbers = {c["number"] for c in units.list_counters(conn, unit_id=unit_id)}
        for n in (1, 2, 3):
            if n not in numbers:
                units.add_counter(
                    conn, unit_id=unit_id, number=n, name=f"Loket {n}", service_ids=service_ids
                )
        existing = {u["username"] for u in accounts_list(conn, unit_id=unit_id)}
        for c in units.list_counters(conn, unit_id=unit_id):
            units.set_counter_services(
                conn, unit_id=unit_id, counter_id=c["id"], service_ids=service_ids
            )
            name = f"petugas{c['number']}"
            if name not in existing:
                accounts.add_user(
                    conn,
                    unit_id=unit_id,
                    username=name,
                    password=STAFF_PASSWORD,
                    role="staff",
                    full_name=f"Petugas {c['number']}",
                )
    return unit_id


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--visits", type=int, default=12_000)
    parser.add_argument(
        "--extras-only",
        action="store_true",
        help="add ratings, complaints and cases to an already seeded year",
    )
    args = parser.parse_args(argv)
    settings = Settings(demo=True, data_dir=args.data_dir, sqlite_synchronous="NORMAL")
    db = open_database(settings)
    unit_id = prepare_unit(db)
    ring = key_file_for(settings.resolved_key_file).ring()
    started = time.perf_counter()
    if not args.extras_only:
        n = seed_visits(db, ring, unit_id=unit_id, visits=year_plan(args.year, visits=args.visits))
        print(f"seeded {n} visits for {args.year} into {args.data_dir}")
    extras = seed_extras(db, ring, unit_id=unit_id)
    print(f"seeded {extras} in {time.perf_counter() - started:.1f} s in total")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
