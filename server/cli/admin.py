"""Administration commands: init, migrate, user add, device add, backup."""

from __future__ import annotations

import argparse
import getpass
import os
import sqlite3
import sys
from pathlib import Path

from server.bootstrap import init_unit
from server.cli.common import fail, open_database
from server.config import get_settings
from server.errors import LoketError
from server.store import accounts, units


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "init", help="create the database, a unit with the PST services and an admin"
    )
    p.add_argument("--unit-code", help="BPS code of the office, e.g. 1906 (default from the seed)")
    p.add_argument("--unit-name", help="e.g. 'BPS Kabupaten Belitung Timur'")
    p.add_argument("--admin", default="admin", help="admin user name (default: admin)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("migrate", help="bring the database schema up to date")
    p.set_defaults(func=cmd_migrate)

    user = sub.add_parser("user", help="manage staff accounts").add_subparsers(
        dest="user_command", required=True
    )
    p = user.add_parser("add", help="add a staff account; the password is read from stdin")
    p.add_argument("username")
    p.add_argument("--role", choices=accounts.ROLES, default="staff")
    p.add_argument("--full-name", default="")
    p.add_argument("--unit-code", help="unit (default: the only one)")
    p.set_defaults(func=cmd_user_add)

    device = sub.add_parser(
        "device", help="manage kiosks, rating tablets and boards"
    ).add_subparsers(dest="device_command", required=True)
    p = device.add_parser("add", help="register a device and print its token once")
    p.add_argument("--kind", choices=accounts.DEVICE_KINDS, required=True)
    p.add_argument("--name", help="e.g. 'Kiosk lobby'")
    p.add_argument("--unit-code", help="unit (default: the only one)")
    p.set_defaults(func=cmd_device_add)

    p = sub.add_parser("backup", help="consistent copy of the SQLite database while it runs")
    p.add_argument("destination", type=Path)
    p.set_defaults(func=cmd_backup)


def _unit_id(conn: object, code: str | None) -> int:
    from sqlalchemy.engine import Connection

    assert isinstance(conn, Connection)
    if code:
        unit = units.find_unit_by_code(conn, code=code)
        if unit is None:
            raise LoketError(f"No unit with code {code}; run `loket init` first.")
        return int(unit["id"])
    ids = units.unit_ids(conn)
    if len(ids) != 1:
        raise LoketError(
            "Give --unit-code: there is not exactly one unit."
            if ids
            else "No unit yet; run `loket init` first."
        )
    return int(ids[0])


def cmd_init(args: argparse.Namespace) -> int:
    db = open_database()
    password = os.environ.get("LOKET_ADMIN_PASSWORD")
    if password is None and sys.stdin.isatty():
        typed = getpass.getpass("Admin password (empty: generate one): ")
        password = typed or None
    try:
        result = init_unit(
            db,
            code=args.unit_code,
            name=args.unit_name,
            admin_username=args.admin,
            admin_password=password,
        )
    except LoketError as exc:
        return fail(exc.message)
    if not result.created:
        print(f"Unit already exists (id {result.unit_id}); nothing changed.")
        return 0
    print(f"Created unit id {result.unit_id} with 4 PST services and 2 counters.")
    print(f"Admin user: {result.admin_username}")
    if result.admin_password:
        print(f"Admin password (shown once, write it down): {result.admin_password}")
    return 0


def cmd_migrate(_args: argparse.Namespace) -> int:
    open_database()
    print("Database schema is up to date.")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.username}: ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    db = open_database()
    try:
        with db.write() as conn:
            unit_id = _unit_id(conn, args.unit_code)
            user_id = accounts.add_user(
                conn,
                unit_id=unit_id,
                username=args.username,
                password=password,
                role=args.role,
                full_name=args.full_name,
            )
    except LoketError as exc:
        return fail(exc.message)
    print(f"Added {args.role} {args.username} (id {user_id}).")
    return 0


def cmd_device_add(args: argparse.Namespace) -> int:
    db = open_database()
    try:
        with db.write() as conn:
            unit_id = _unit_id(conn, args.unit_code)
            device_id, token = accounts.add_device(
                conn, unit_id=unit_id, kind=args.kind, name=args.name or f"{args.kind} device"
            )
    except LoketError as exc:
        return fail(exc.message)
    print(f"Device {device_id} ({args.kind}) token, shown once:", file=sys.stderr)
    print(token)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    settings = get_settings()
    url = settings.sqlalchemy_url
    if not url.startswith("sqlite:///"):
        return fail("`loket backup` copies the SQLite file; back up PostgreSQL with pg_dump.")
    source_path = Path(url[len("sqlite:///") :])
    if not source_path.is_file():
        return fail(f"No database at {source_path}.")
    destination: Path = args.destination
    if destination.exists():
        return fail(f"{destination} exists; choose a new file name.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source_path) as source, sqlite3.connect(destination) as target:
        source.backup(target)  # SQLite's online backup: consistent while the server writes
    print(f"Backup written to {destination} (personal data in it stays encrypted).")
    return 0
