"""``loket sla due YYYY-MM-DD [N]``: the due date of a request handed in that day.

For staff on the phone: N working days (default 30, the recommendation's
promise) after the date, counting Monday–Friday minus national holidays, joint
leave and the unit's own calendar changes when a database is configured.
"""

from __future__ import annotations

import argparse
from datetime import date

from server.cli.common import fail, open_database
from server.domain.workdays import MAX_DAYS, WorkCalendar, add_working_days
from server.store import calendar


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sla = sub.add_parser("sla", help="working-day clock of requests")
    sla_sub = sla.add_subparsers(dest="sla_command", required=True, metavar="SUBCOMMAND")
    due = sla_sub.add_parser("due", help="print the due date of a request handed in on DATE")
    due.add_argument("date", help="the day the form was handed in, YYYY-MM-DD")
    due.add_argument("days", nargs="?", type=int, default=30, help="working days (default 30)")
    due.add_argument("--unit", type=int, default=None, help="use this unit's calendar changes")
    due.set_defaults(func=run_due)


def _unit_calendar(unit_id: int) -> WorkCalendar:
    db = open_database()
    try:
        with db.read() as conn:
            return calendar.work_calendar(conn, unit_id=unit_id)
    finally:
        db.dispose()


def run_due(args: argparse.Namespace) -> int:
    try:
        start = date.fromisoformat(args.date)
    except ValueError:
        return fail(f"not a date: {args.date!r} (use YYYY-MM-DD)")
    if not 0 <= args.days <= MAX_DAYS:
        return fail(f"days must be between 0 and {MAX_DAYS}")
    cal = _unit_calendar(args.unit) if args.unit is not None else WorkCalendar()
    print(add_working_days(start, args.days, cal).isoformat())
    return 0
