"""Administration commands: init, migrate, user add|passwd|disable|list,
device add|list|revoke, backup."""

from __future__ import annotations

import argparse
import getpass
import os
import sqlite3
import sys
from pathlib import Path

from server.bootstrap import init_unit
from server.cli import office
from server.cli.common import fail, open_database
from server.config import get_settings
from server.domain.admin import backup_name, backups_to_remove
from server.errors import LoketError
from server.store import accounts, audit, units
from server.store.common import Actor, as_aware, utcnow


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "init", help="create the database, the office with its services and counters, an admin"
    )
    office.add_arguments(p)
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

    p = user.add_parser(
        "passwd",
        help="set a temporary password (read from stdin); the person chooses a new one "
        "at next sign-in (--final: no change required)",
    )
    p.add_argument("username")
    p.add_argument("--final", action="store_true", help="do not require a change at sign-in")
    p.set_defaults(func=cmd_user_passwd)
    p = user.add_parser("disable", help="disable an account and end its sessions")
    p.add_argument("username")
    p.set_defaults(func=cmd_user_disable)
    p = user.add_parser("list", help="list staff accounts")
    p.add_argument("--unit-code", help="unit (default: the only one)")
    p.set_defaults(func=cmd_user_list)

    device = sub.add_parser(
        "device", help="manage kiosks, rating tablets and boards"
    ).add_subparsers(dest="device_command", required=True)
    p = device.add_parser("add", help="register a device and print its token once")
    p.add_argument("--kind", choices=accounts.DEVICE_KINDS, required=True)
    p.add_argument("--name", help="e.g. 'Kiosk lobby'")
    p.add_argument("--unit-code", help="unit (default: the only one)")
    p.set_defaults(func=cmd_device_add)

    p = device.add_parser("list", help="list devices with last-seen time and state")
    p.add_argument("--unit-code", help="unit (default: the only one)")
    p.set_defaults(func=cmd_device_list)
    p = device.add_parser("revoke", help="stop a device's token from working")
    p.add_argument("device_id", type=int)
    p.set_defaults(func=cmd_device_revoke)

    p = sub.add_parser("backup", help="consistent copy of the SQLite database while it runs")
    p.add_argument("destination", type=Path, nargs="?", help="a new file name")
    p.add_argument(
        "--into", type=Path, help="a folder: write loket-YYYYMMDD-HHMMSS.sqlite3 there (nightly)"
    )
    p.add_argument("--keep", type=int, default=0, help="with --into: keep only the newest N")
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
    try:
        demo = args.demo or os.environ.get("LOKET_DEMO", "").lower() in ("1", "true", "yes")
        description = office.office_from(args, demo=demo)
    except LoketError as exc:
        return fail(exc.message)
    db = open_database()
    password = os.environ.get("LOKET_ADMIN_PASSWORD")
    if password is None and sys.stdin.isatty():
        typed = getpass.getpass("Admin password (empty: generate one): ")
        password = typed or None
    try:
        result = init_unit(
            db,
            office=description,
            admin_username=args.admin,
            admin_password=password,
        )
    except LoketError as exc:
        return fail(exc.message)
    if not result.created:
        print(f"Unit already exists (id {result.unit_id}); nothing changed.")
        return 0
    print(
        f"Created unit id {result.unit_id} ({result.unit_name}) with {result.services} services "
        f"and {result.counters} counters."
    )
    print(f"Admin user: {result.admin_username}")
    if result.admin_password:
        print(f"Admin password (shown once, write it down): {result.admin_password}")
    return 0


def cmd_migrate(_args: argparse.Namespace) -> int:
    open_database()
    print("Database schema is up to date.")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    password = _read_password(f"Password for {args.username}: ")
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


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\n")


def _user(conn: object, username: str) -> dict[str, object]:
    from sqlalchemy.engine import Connection

    assert isinstance(conn, Connection)
    row = accounts.find_user(conn, username=username)
    if row is None:
        raise LoketError(f"No user named {username}.")
    return dict(row)


def cmd_user_passwd(args: argparse.Namespace) -> int:
    password = _read_password(f"New password for {args.username}: ")
    db = open_database()
    try:
        with db.write() as conn:
            user = _user(conn, args.username)
            user_id = int(str(user["id"]))
            accounts.set_password(conn, user_id=user_id, password=password)
            if not args.final:
                accounts.require_password_change(conn, user_id=user_id, by_user_id=None)
            accounts.end_all_sessions(conn, user_id=user_id)
            audit.record(
                conn, unit_id=int(str(user["unit_id"])), actor=Actor(),
                action="admin.staff.reset_password", detail={"user_id": user_id, "via": "cli"},
            )  # fmt: skip
    except LoketError as exc:
        return fail(exc.message)
    then = "" if args.final else "; a new one must be chosen at next sign-in"
    print(f"Password of {args.username} set{then}.")
    return 0


def cmd_user_disable(args: argparse.Namespace) -> int:
    db = open_database()
    try:
        with db.write() as conn:
            user = _user(conn, args.username)
            user_id = int(str(user["id"]))
            unit_id = int(str(user["unit_id"]))
            if user["role"] == "admin" and accounts.count_active_admins(conn, unit_id=unit_id) <= 1:
                raise LoketError("This is the office's last active admin; keep it.")
            accounts.update_user(conn, user_id=user_id, changes={"active": False})
            accounts.end_all_sessions(conn, user_id=user_id)
            audit.record(
                conn, unit_id=unit_id, actor=Actor(), action="admin.staff.update",
                detail={"user_id": user_id, "active": False, "via": "cli"},
            )  # fmt: skip
    except LoketError as exc:
        return fail(exc.message)
    print(f"Disabled {args.username} and ended their sessions.")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    db = open_database()
    try:
        with db.read() as conn:
            rows = accounts.list_users(conn, unit_id=_unit_id(conn, args.unit_code))
    except LoketError as exc:
        return fail(exc.message)
    print(f"{'user':<20} {'role':<11} {'state':<9} full name")
    for row in rows:
        state = "active" if row["active"] else "disabled"
        if row["active"] and row["must_change_password"]:
            state = "reset"
        print(f"{row['username']:<20} {row['role']:<11} {state:<9} {row['full_name']}")
    return 0


def cmd_device_list(args: argparse.Namespace) -> int:
    db = open_database()
    try:
        with db.read() as conn:
            rows = accounts.list_devices(conn, unit_id=_unit_id(conn, args.unit_code))
    except LoketError as exc:
        return fail(exc.message)
    print(f"{'id':>4} {'kind':<7} {'state':<8} {'last seen (UTC)':<20} name")
    for row in rows:
        seen = as_aware(row["last_seen_at"])
        when = seen.strftime("%Y-%m-%d %H:%M:%S") if seen else "never"
        state = "active" if row["active"] else "revoked"
        print(f"{row['id']:>4} {row['kind']:<7} {state:<8} {when:<20} {row['name']}")
    return 0


def cmd_device_revoke(args: argparse.Namespace) -> int:
    db = open_database()
    try:
        with db.write() as conn:
            row = accounts.find_device(conn, device_id=args.device_id)
            if row is None:
                raise LoketError(f"No device with id {args.device_id}.")
            accounts.revoke_device(conn, unit_id=row["unit_id"], device_id=args.device_id)
            audit.record(
                conn, unit_id=row["unit_id"], actor=Actor(), action="admin.device.revoke",
                detail={"device_id": args.device_id, "via": "cli"},
            )  # fmt: skip
    except LoketError as exc:
        return fail(exc.message)
    print(
        f"Revoked device {args.device_id} ({row['kind']} {row['name']}); its token no longer works."
    )
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
    if (args.destination is None) == (args.into is None):
        return fail("Give either a file name or --into FOLDER.")
    if args.keep < 0:
        return fail("--keep is a number of backups, 0 (keep all) or more.")
    destination: Path = args.destination or args.into / backup_name(utcnow())
    if destination.exists():
        return fail(f"{destination} exists; choose a new file name.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source_path) as source, sqlite3.connect(destination) as target:
        source.backup(target)  # SQLite's online backup: consistent while the server writes
    print(f"Backup written to {destination} (personal data in it stays encrypted).")
    if args.into is not None and args.keep:
        names = [p.name for p in args.into.iterdir() if p.is_file()]
        for name in backups_to_remove(names, keep=args.keep):
            (args.into / name).unlink()
            print(f"Removed old backup {args.into / name}.")
    return 0
