"""Turn rating rows and questionnaire data into the JSON the API and pages show.

Shared by ``api/routes/ratings.py`` and ``web/pages/ratings.py`` so the
terminal, the web form and the staff page all read the same shapes. No SQL,
no rules: the numbers come from :mod:`server.store.ratings` and
:mod:`server.domain.skm`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from server.domain import skm
from server.store import ratings

SKD_URL_SETTING = "rating_skd_url"


def questionnaire_out(q: skm.Questionnaire) -> dict[str, Any]:
    return {
        "id": q.id,
        "version": q.version,
        "kind": q.kind,
        "low": q.low,
        "high": q.high,
        "title": dict(q.title),
        "items": [
            {
                "code": item.code,
                "element": dict(item.element),
                "question": dict(item.question),
                "answers": [dict(a) for a in item.answers],
            }
            for item in q.items
        ],
    }


def target_out(target: ratings.Target) -> dict[str, Any]:
    return {
        "number": target.number,
        "status": target.status,
        "ratable": target.ratable,
        "rated": target.rated,
        "service": {"id": target.service_name_id, "en": target.service_name_en},
        "counter_number": target.counter_number,
        "counter_name": target.counter_name,
        "blocks": [questionnaire_out(q) for q in skm.blocks_for(target.settings)],
        "followup_reasons": [dict(r) for r in skm.followup_reasons()],
        "low_overall": skm.LOW_OVERALL,
        "skd_url": str(target.settings.get(SKD_URL_SETTING) or ""),
    }


def _float(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)


def ikm_report(
    conn: Connection,
    *,
    unit_id: int,
    start: date,
    end: date,
    service_code: str | None,
) -> dict[str, Any]:
    """Respondents, NRR per element, IKM, grade, weakest elements and the sample check."""
    service_id = (
        ratings.service_id_by_code(conn, unit_id=unit_id, code=service_code)
        if service_code
        else None
    )
    scope: dict[str, Any] = {
        "unit_id": unit_id,
        "start": start,
        "end": end,
        "service_id": service_id,
    }
    result = skm.index(ratings.element_sums(conn, **scope))
    labels = {item.code: dict(item.element) for item in skm.current(skm.SKM).items}
    served = ratings.served(conn, **scope)
    count = ratings.respondents(conn, **scope)
    minimum = skm.minimum_respondents(served)
    ipak = ratings.block_sums(conn, questionnaire=skm.IPAK, **scope)
    return {
        "period_from": start,
        "period_to": end,
        "service": service_code,
        "respondents": count,
        "served": served,
        "minimum_respondents": minimum,
        "minimum_reached": count >= minimum,
        "elements": [
            {
                "code": e.code,
                "element": labels[e.code],
                "respondents": e.respondents,
                "total": e.total,
                "nrr": _float(e.nrr),
                "nrr_weighted": _float(e.nrr / len(skm.SKM_CODES)) if e.nrr is not None else None,
            }
            for e in result.elements
        ],
        "ikm": float(result.ikm) if result.ikm is not None else None,
        "grade": (
            {
                "letter": result.grade.letter,
                "label": {"id": result.grade.label_id, "en": result.grade.label_en},
            }
            if result.grade
            else None
        ),
        "weakest": list(result.weakest),
        "contact_requests": ratings.contact_requests(conn, **scope),
        "ipak": [
            {"code": code, "respondents": n, "yes": total}
            for code, (n, total) in sorted(ipak.items())
        ],
        "profile": ratings.profile_counts(conn, **scope),
    }
