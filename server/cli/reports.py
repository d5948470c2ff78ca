"""``loket report period`` (XLSX workbook or one table as CSV) and ``loket report skm`` (PDF).

Registered beside ``loket report personal-data`` under the same ``report`` group.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from server.cli.common import fail, open_database
from server.domain.reports import PERIOD_KINDS
from server.errors import LoketError
from server.i18n import LANGUAGES
from server.reports import export
from server.reports.build import period_report, resolve_period
from server.reports.skm import skm_report
from server.store import units


def _report_group(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """The ``report`` group's sub-commands (created if no other module made it yet)."""
    parser = sub.choices.get("report")
    if parser is None:
        parser = sub.add_parser("report", help="reports")
        return parser.add_subparsers(dest="report_command", required=True)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("the report command has no sub-commands")  # pragma: no cover


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = _report_group(sub).add_parser(
        "period", help="service report of a period as XLSX (all tables) or CSV (one table)"
    )
    p.add_argument("--period", choices=PERIOD_KINDS, default="month")
    p.add_argument("--date", type=date.fromisoformat, help="a day in the period (default today)")
    p.add_argument("--from", dest="start", type=date.fromisoformat, help="range start")
    p.add_argument("--to", dest="end", type=date.fromisoformat, help="range end")
    p.add_argument("--table", help="write only this table as CSV (e.g. services, sex)")
    p.add_argument("--lang", choices=LANGUAGES, default="id")
    p.add_argument("--unit-code", help="unit (default: the only one)")
    p.add_argument("--out", type=Path, required=True, help="FILE.xlsx, or FILE.csv with --table")
    p.set_defaults(func=cmd_report_period)

    p = _report_group(sub).add_parser(
        "skm", help="the satisfaction survey (SKM) report of a period as PDF"
    )
    p.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
    p.add_argument("--to", dest="end", type=date.fromisoformat, required=True)
    p.add_argument("--lang", choices=LANGUAGES, default="id")
    p.add_argument("--unit-code", help="unit (default: the only one)")
    p.add_argument("--out", type=Path, required=True, help="FILE.pdf")
    p.set_defaults(func=cmd_report_skm)


def cmd_report_period(args: argparse.Namespace) -> int:
    if (args.start or args.end) and args.period != "range":
        args.period = "range"
    db = open_database()
    try:
        with db.read() as conn:
            unit_id = _unit_id(conn, args.unit_code)
        unit, period, tables = period_report(
            db,
            unit_id=unit_id,
            kind=args.period,
            anchor=args.date,
            start=args.start,
            end=args.end,
            lang=args.lang,
        )
    except LoketError as exc:
        return fail(exc.message)
    finally:
        db.dispose()
    if args.table:
        table = next((t for t in tables if t.id == args.table), None)
        if table is None:
            return fail(f"no table {args.table}; tables: {', '.join(t.id for t in tables)}")
        args.out.write_text(export.table_csv(table), encoding="utf-8")
    else:
        args.out.write_bytes(export.workbook_bytes(tables))
    print(f"{unit['code']} {period.label} ({period.start} to {period.end}) -> {args.out}")
    return 0


def cmd_report_skm(args: argparse.Namespace) -> int:
    db = open_database()
    try:
        with db.read() as conn:
            unit_id = _unit_id(conn, args.unit_code)
        unit, period = resolve_period(
            db, unit_id=unit_id, kind="range", anchor=None, start=args.start, end=args.end
        )
        report = skm_report(db, unit_id=unit_id, start=period.start, end=period.end, lang=args.lang)
    except LoketError as exc:
        return fail(exc.message)
    finally:
        db.dispose()
    from server.reports.skm_pdf import render as render_skm  # fpdf2 is slow to import

    args.out.write_bytes(render_skm(report, args.lang))
    print(
        f"{unit['code']} SKM {period.start} to {period.end}: {report.respondents} respondents"
        f" -> {args.out}"
    )
    return 0


def _unit_id(conn: object, code: str | None) -> int:
    from sqlalchemy.engine import Connection

    from server.db.schema import units as units_table

    assert isinstance(conn, Connection)
    if code:
        unit = units.find_unit_by_code(conn, code=code)
        if unit is None:
            raise LoketError(f"No unit with code {code}.")
        return int(unit["id"])
    ids = list(conn.execute(units_table.select().with_only_columns(units_table.c.id)).scalars())
    if len(ids) != 1:
        raise LoketError("Give --unit-code: there is not exactly one unit.")
    return int(ids[0])
