"""Gathers the satisfaction survey of a period: IKM tables for the report and the SKM PDF.

Sums come from :mod:`server.store.ratings` (SQL aggregates), the index, grade,
weakest elements and Krejcie–Morgan minimum from :mod:`server.domain.skm`, the
suggestions from :mod:`server.store.reports`; nothing is recomputed here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from server.db.database import Database
from server.domain import reports as rules
from server.domain import skm
from server.reports.labels import category_label
from server.reports.skm_data import SkmElement, SkmFollowup, SkmReport, SkmService
from server.store import ratings, units
from server.store import reports as store


def ikm_tables(conn: Connection, *, unit_id: int, period: rules.Period) -> list[rules.Table]:
    """IKM per service over the period and per service per month (the trend)."""
    scope: dict[str, Any] = {"unit_id": unit_id, "start": period.start, "end": period.end}
    services = units.list_services(conn, unit_id=unit_id)
    per_service = []
    for s in services:
        name = {"id": s["name_id"], "en": s["name_en"]}
        n = ratings.respondents(conn, service_id=s["id"], **scope)
        per_service.append(
            (name, n, skm.index(ratings.element_sums(conn, service_id=s["id"], **scope)))
        )
    overall = (ratings.respondents(conn, **scope), skm.index(ratings.element_sums(conn, **scope)))
    trend = []
    for label, first, last in rules.months_of(period):
        month: dict[str, Any] = {"unit_id": unit_id, "start": first, "end": last}
        trend.append(
            (
                label,
                [
                    skm.index(ratings.element_sums(conn, service_id=s["id"], **month))
                    for s in services
                ],
            )
        )
    return rules.ikm_tables(per_service, overall, trend)


def skm_report(db: Database, *, unit_id: int, start: date, end: date, lang: str) -> SkmReport:
    """Every figure of the SKM PDF for the unit and the local days ``start``..``end``."""
    scope: dict[str, Any] = {"unit_id": unit_id, "start": start, "end": end}
    with db.read() as conn:
        unit = units.get_unit(conn, unit_id=unit_id)
        result = skm.index(ratings.element_sums(conn, **scope))
        names = {item.code: item.element for item in skm.current(skm.SKM).items}
        served = ratings.served(conn, **scope)
        respondents = ratings.respondents(conn, **scope)
        profile = ratings.profile_counts(conn, **scope)
        followups = ratings.list_followups(conn, **scope)
        suggestions = store.suggestions(conn, **scope)
        services = []
        for s in units.list_services(conn, unit_id=unit_id):
            n = ratings.respondents(conn, service_id=s["id"], **scope)
            if not n:
                continue
            r = skm.index(ratings.element_sums(conn, service_id=s["id"], **scope))
            services.append(
                SkmService(
                    s["name_en"] if lang == "en" else s["name_id"],
                    n,
                    float(r.ikm) if r.ikm is not None else None,
                    r.grade.letter if r.grade else "–",
                )
            )
    elements = [
        SkmElement(
            e.code,
            names[e.code].get(lang) or names[e.code]["id"],
            e.respondents,
            float(e.nrr) if e.nrr is not None else 0.0,
        )
        for e in result.elements
    ]
    by_code = {e.code: e for e in elements}

    return SkmReport(
        unit_name=unit["name"],
        unit_code=unit["code"],
        start=start,
        end=end,
        respondents=respondents,
        population=served,
        minimum=skm.minimum_respondents(served),
        elements=elements,
        ikm=float(result.ikm) if result.ikm is not None else None,
        grade_letter=result.grade.letter if result.grade else "–",
        grade_label=(result.grade.label_en if lang == "en" else result.grade.label_id)
        if result.grade
        else "–",
        weakest=[by_code[c] for c in result.weakest],
        services=services,
        profile={
            name: [
                (str(category_label(name, value, lang)), n)
                for value, n in sorted(counts.items(), key=lambda kv: -kv[1])
            ]
            for name, counts in profile.items()
        },
        followups=[
            SkmFollowup(f["element_code"], f["action"], f["owner"], f["due_date"], bool(f["done"]))
            for f in followups
        ],
        suggestions=suggestions,
    )
