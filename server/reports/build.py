"""The period report for one unit: figures from the store, tables from the domain, labels.

Includes the satisfaction index (IKM per service and per month) from the ratings and the
cases and complaints (opened, closed on time or late).

The one function the API, the pages' downloads and ``loket report period`` share.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from server.db.database import Database
from server.domain import cases as case_rules
from server.domain import reports as rules
from server.domain.clock import local_day
from server.errors import InvalidInput
from server.reports.labels import LabelledTable, label_table
from server.reports.skm import ikm_tables as skm_tables
from server.store import reports as store
from server.store import units
from server.store.common import utcnow


def period_report(
    db: Database,
    *,
    unit_id: int,
    kind: str,
    anchor: date | None,
    start: date | None,
    end: date | None,
    lang: str,
) -> tuple[dict[str, Any], rules.Period, list[LabelledTable]]:
    """The unit row, the resolved period and its labelled tables; a bad period is 422."""
    with db.read() as conn:
        unit = dict(units.get_unit(conn, unit_id=unit_id))
        today = local_day(utcnow(), unit["timezone"])
        try:
            period = rules.resolve_period(kind, anchor=anchor, start=start, end=end, today=today)
        except rules.PeriodError as exc:
            raise InvalidInput(f"Invalid period: {exc}.", code="invalid_period") from exc
        figures = store.period_figures(
            conn, unit_id=unit_id, start=period.start, end=period.end, timezone=unit["timezone"]
        )
        satisfaction = skm_tables(conn, unit_id=unit_id, period=period)
        case_rows = store.case_figures(
            conn, unit_id=unit_id, start=period.start, end=period.end, timezone=unit["timezone"]
        )
    complaint_kinds = {code for code, kind in case_rules.kinds().items() if kind.complaint}
    built = [
        *rules.build_period_tables(figures, period),
        *satisfaction,
        *rules.case_tables(case_rows, complaint_kinds),
    ]
    tables = [label_table(tb, lang) for tb in built]
    return unit, period, tables


def resolve_period(
    db: Database,
    *,
    unit_id: int,
    kind: str,
    anchor: date | None,
    start: date | None,
    end: date | None,
) -> tuple[dict[str, Any], rules.Period]:
    """The unit row and the period a request names (default around the unit's today)."""
    with db.read() as conn:
        unit = dict(units.get_unit(conn, unit_id=unit_id))
    today = local_day(utcnow(), unit["timezone"])
    try:
        return unit, rules.resolve_period(kind, anchor=anchor, start=start, end=end, today=today)
    except rules.PeriodError as exc:
        raise InvalidInput(f"Invalid period: {exc}.", code="invalid_period") from exc
