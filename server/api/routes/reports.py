"""Reports for supervisors and admins: today's desk, a period's figures, CSV and XLSX.

Routes translate HTTP to the store (figures) and the domain (periods, tables,
suppression); the labelled tables are shared by the JSON answer and the files.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from server.api.deps import DbDep, Supervisor
from server.api.schemas.reports import PeriodReportOut, TodayOut
from server.domain import reports as rules
from server.domain.clock import local_day
from server.errors import NotFound
from server.i18n import normalise_language, t
from server.reports import export
from server.reports.build import period_report, resolve_period
from server.reports.skm import skm_report
from server.store import reports as store
from server.store import units
from server.store.common import utcnow

router = APIRouter(prefix="/reports", tags=["reports"])

PeriodKind = Annotated[str, Query(alias="period", pattern="^(day|week|month|quarter|year|range)$")]
Lang = Annotated[str, Query(max_length=5)]
_TODAY_FIELDS = ("service_id", "prefix", "waiting", "issued", "served", "no_show")


@router.get("/period", response_model=PeriodReportOut)
def period(
    principal: Supervisor,
    db: DbDep,
    kind: PeriodKind = "month",
    anchor: Annotated[date | None, Query(alias="date")] = None,
    start: date | None = None,
    end: date | None = None,
    lang: Lang = "id",
) -> dict[str, Any]:
    """Every table of the period report, labelled in ``lang``; profile cells under 3 are "< 3"."""
    language = normalise_language(lang)
    unit, per, tables = period_report(
        db,
        unit_id=principal.unit_id,
        kind=kind,
        anchor=anchor,
        start=start,
        end=end,
        lang=language,
    )
    return {
        "unit_code": unit["code"],
        "unit_name": unit["name"],
        "period": {"kind": per.kind, "start": per.start, "end": per.end, "label": per.label},
        "tables": [{k: v for k, v in tb.__dict__.items() if k != "sheet"} for tb in tables],
    }


@router.get(
    "/period.xlsx", response_class=Response, responses={200: {"content": {export.XLSX_TYPE: {}}}}
)
def period_xlsx(
    principal: Supervisor,
    db: DbDep,
    kind: PeriodKind = "month",
    anchor: Annotated[date | None, Query(alias="date")] = None,
    start: date | None = None,
    end: date | None = None,
    lang: Lang = "id",
) -> Response:
    """The whole period report as one workbook, one sheet per table."""
    unit, per, tables = period_report(
        db,
        unit_id=principal.unit_id,
        kind=kind,
        anchor=anchor,
        start=start,
        end=end,
        lang=normalise_language(lang),
    )
    name = export.file_name(unit["code"], per.label, ".xlsx")
    return Response(
        export.workbook_bytes(tables),
        media_type=export.XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/period/{table_id}.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def period_csv(
    principal: Supervisor,
    db: DbDep,
    table_id: Annotated[str, Path(pattern="^[a-z_]{1,40}$")],
    kind: PeriodKind = "month",
    anchor: Annotated[date | None, Query(alias="date")] = None,
    start: date | None = None,
    end: date | None = None,
    lang: Lang = "id",
) -> Response:
    """One table of the period report as CSV."""
    unit, per, tables = period_report(
        db,
        unit_id=principal.unit_id,
        kind=kind,
        anchor=anchor,
        start=start,
        end=end,
        lang=normalise_language(lang),
    )
    table = next((tb for tb in tables if tb.id == table_id), None)
    if table is None:
        raise NotFound(f"The report has no table {table_id}.", code="unknown_report_table")
    name = export.file_name(unit["code"], f"{per.label}-{table_id}", ".csv")
    return Response(
        export.table_csv(table),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/skm.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def skm_pdf(
    principal: Supervisor,
    db: DbDep,
    kind: PeriodKind = "quarter",
    anchor: Annotated[date | None, Query(alias="date")] = None,
    start: date | None = None,
    end: date | None = None,
    lang: Lang = "id",
) -> Response:
    """The SKM report of the period as PDF (method, profile, NRR, IKM, weakest, plan, suggestions)."""
    language = normalise_language(lang)
    unit, per = resolve_period(
        db, unit_id=principal.unit_id, kind=kind, anchor=anchor, start=start, end=end
    )
    report = skm_report(db, unit_id=principal.unit_id, start=per.start, end=per.end, lang=language)
    name = export.file_name(unit["code"], f"skm-{per.label}", ".pdf")
    return Response(
        _render_skm_pdf(report, language),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


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
