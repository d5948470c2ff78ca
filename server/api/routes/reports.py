"""Reports for supervisors and admins: today's desk, a period's figures, CSV and XLSX.

Routes translate HTTP to the store (figures) and the domain (periods, tables,
suppression); the labelled tables are shared by the JSON answer and the files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from server.api.deps import DbDep, Supervisor
from server.api.schemas.reports import PeriodReportOut, TodayOut
from server.db.database import Database
from server.domain import reports as rules
from server.domain.clock import local_day
from server.errors import NotFound
from server.i18n import normalise_language, t
from server.reports import export
from server.reports.build import period_report, resolve_period
from server.reports.labels import LabelledTable
from server.reports.skm import skm_report
from server.store import reports as store
from server.store import units
from server.store.common import utcnow

router = APIRouter(prefix="/reports", tags=["reports"])

PeriodKind = Annotated[str, Query(alias="period", pattern="^(day|week|month|quarter|year|range)$")]
Lang = Annotated[str, Query(max_length=5)]
_TODAY_FIELDS = ("service_id", "prefix", "waiting", "issued", "served", "no_show")


@dataclass(frozen=True)
class PeriodQuery:
    """The period a report covers and the language of its labels (query parameters)."""

    kind: str
    anchor: date | None
    start: date | None
    end: date | None
    lang: str


def _period_query(default_kind: str) -> Callable[..., PeriodQuery]:
    def query(
        kind: PeriodKind = default_kind,
        anchor: Annotated[date | None, Query(alias="date")] = None,
        start: date | None = None,
        end: date | None = None,
        lang: Lang = "id",
    ) -> PeriodQuery:
        return PeriodQuery(kind, anchor, start, end, normalise_language(lang))

    return query


MonthQuery = Annotated[PeriodQuery, Depends(_period_query("month"))]
QuarterQuery = Annotated[PeriodQuery, Depends(_period_query("quarter"))]


def _tables(
    db: Database, unit_id: int, q: PeriodQuery
) -> tuple[dict[str, Any], rules.Period, list[LabelledTable]]:
    return period_report(
        db, unit_id=unit_id, kind=q.kind, anchor=q.anchor, start=q.start, end=q.end, lang=q.lang
    )


def _download(body: bytes | str, media_type: str, name: str) -> Response:
    """A report file, offered for download under ``name``."""
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/period", response_model=PeriodReportOut)
def period(principal: Supervisor, db: DbDep, q: MonthQuery) -> dict[str, Any]:
    """Every table of the period report, labelled in ``lang``; profile cells under 3 are "< 3"."""
    unit, per, tables = _tables(db, principal.unit_id, q)
    return {
        "unit_code": unit["code"],
        "unit_name": unit["name"],
        "period": {"kind": per.kind, "start": per.start, "end": per.end, "label": per.label},
        "tables": [{k: v for k, v in tb.__dict__.items() if k != "sheet"} for tb in tables],
    }


@router.get(
    "/period.xlsx", response_class=Response, responses={200: {"content": {export.XLSX_TYPE: {}}}}
)
def period_xlsx(principal: Supervisor, db: DbDep, q: MonthQuery) -> Response:
    """The whole period report as one workbook, one sheet per table."""
    unit, per, tables = _tables(db, principal.unit_id, q)
    name = export.file_name(unit["code"], per.label, ".xlsx")
    return _download(export.workbook_bytes(tables), export.XLSX_TYPE, name)


@router.get(
    "/period/{table_id}.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def period_csv(
    principal: Supervisor,
    db: DbDep,
    table_id: Annotated[str, Path(pattern="^[a-z_]{1,40}$")],
    q: MonthQuery,
) -> Response:
    """One table of the period report as CSV."""
    unit, per, tables = _tables(db, principal.unit_id, q)
    table = next((tb for tb in tables if tb.id == table_id), None)
    if table is None:
        raise NotFound(f"The report has no table {table_id}.", code="unknown_report_table")
    name = export.file_name(unit["code"], f"{per.label}-{table_id}", ".csv")
    return _download(export.table_csv(table), "text/csv; charset=utf-8", name)


@router.get(
    "/skm.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def skm_pdf(principal: Supervisor, db: DbDep, q: QuarterQuery) -> Response:
    """The SKM report of the period as PDF (method, profile, NRR, IKM, weakest, plan, suggestions)."""
    unit, per = resolve_period(
        db, unit_id=principal.unit_id, kind=q.kind, anchor=q.anchor, start=q.start, end=q.end
    )
    report = skm_report(db, unit_id=principal.unit_id, start=per.start, end=per.end, lang=q.lang)
    name = export.file_name(unit["code"], f"skm-{per.label}", ".pdf")
    return _download(_render_skm_pdf(report, q.lang), "application/pdf", name)


@router.get("/today", response_model=TodayOut)
def today(principal: Supervisor, db: DbDep, lang: Lang = "id") -> dict[str, Any]:
    """The desk now: waiting per service, today's served and no-shows, waits, counters, alerts."""
    language = normalise_language(lang)
    now = utcnow()
    with db.read() as conn:
        unit = units.get_unit(conn, unit_id=principal.unit_id)
        day = local_day(now, unit["timezone"])
        figures = store.today_figures(conn, unit_id=principal.unit_id, day=day, now=now)
        devices = store.device_rows(conn, unit_id=principal.unit_id)
    alerts = rules.device_alerts(devices, now)
    return {
        "day": day,
        "services": [
            {
                **{k: s[k] for k in _TODAY_FIELDS},
                "name": s["name"].get(language) or s["name"]["id"],
                "wait_median_minutes": rules.minutes(s["wait_median_seconds"]),
                "wait_longest_minutes": rules.minutes(s["wait_longest_seconds"]),
            }
            for s in figures["services"]
        ],
        "counters": figures["counters"],
        "alerts": [{**a, "message": t(f"reports.alert_{a['problem']}", language)} for a in alerts],
    }


def _render_skm_pdf(report: Any, language: str) -> bytes:
    """fpdf2 takes about 1.3 s to import: loaded on the first PDF, not at start-up."""
    from server.reports.skm_pdf import render

    return render(report, language)
