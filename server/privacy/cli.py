"""``loket keys init|rotate|status``, ``loket purge`` and ``loket report personal-data``.

Output names ids and counts only, except ``report personal-data --identities``,
which is the one place the admin sees decrypted identities (for a breach notice).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any

from server.cli.common import fail, open_database
from server.config import get_settings
from server.privacy.keys import KeyFileError, init_key_file, key_file_for, read_key_document
from server.privacy.report import personal_data_report, record_report
from server.privacy.retention import expired_counts, purge
from server.privacy.rotation import rotate, rows_per_key
from server.store.common import utcnow

Sub = argparse._SubParsersAction


def add_privacy_commands(sub: Sub) -> None:
    keys = sub.add_parser("keys", help="the personal-data encryption key file").add_subparsers(
        dest="keys_command", required=True
    )
    p = keys.add_parser("init", help="create the key file (mode 0600) if there is none")
    p.set_defaults(func=cmd_keys_init)
    p = keys.add_parser("rotate", help="re-encrypt all personal data under a new key, online")
    p.add_argument("--batch", type=int, default=200, help="rows per transaction (default 200)")
    p.add_argument(
        "--drop-old",
        action="store_true",
        help="remove old keys afterwards (older backups become unreadable)",
    )
    p.set_defaults(func=cmd_keys_rotate)
    p = keys.add_parser("status", help="key ids, the active one, and rows per key")
    p.set_defaults(func=cmd_keys_status)

    p = sub.add_parser("purge", help="delete or anonymise personal data past its retention")
    p.add_argument("--dry-run", action="store_true", help="only count what would be removed")
    p.add_argument("--now", type=datetime.fromisoformat, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_purge)

    report = sub.add_parser("report", help="reports").add_subparsers(
        dest="report_command", required=True
    )
    p = report.add_parser(
        "personal-data", help="whose personal data is held, by kind (breach notice)"
    )
    p.add_argument(
        "--identities",
        action="store_true",
        help="also list every identity, decrypted (handle with care)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_report_personal_data)


def cmd_keys_init(_args: argparse.Namespace) -> int:
    path = get_settings().resolved_key_file
    if init_key_file(path):
        print(f"Created key file {path} (mode 0600). Back it up apart from the database.")
    else:
        print(f"Key file {path} already exists; nothing changed.")
    return 0


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    settings = get_settings()
    path = settings.resolved_key_file
    if not path.exists():
        return fail(f"no key file at {path}; run `loket keys init` first")
    db = open_database(settings)
    try:
        result = rotate(db, path, batch=max(1, args.batch), drop_old=args.drop_old)
    except KeyFileError as exc:
        return fail(str(exc))
    finally:
        db.dispose()
    print(
        f"Active key is now {result.new_key_id}; re-encrypted {result.visitors} visitors "
        f"and {result.photos} ID photos."
    )
    state = "removed" if args.drop_old else "kept (retired) for older backups"
    print(f"Old keys {', '.join(result.old_key_ids)}: {state}. Back up the key file again.")
    return 0


def cmd_keys_status(_args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        doc = read_key_document(settings.resolved_key_file)
    except KeyFileError as exc:
        return fail(str(exc))
    db = open_database(settings)
    try:
        usage = rows_per_key(db)
    finally:
        db.dispose()
    for kid, entry in doc["keys"].items():
        flag = (
            "active" if kid == doc["active"] else ("retired" if entry.get("retired_at") else "old")
        )
        rows = usage.get(kid, {"visitors": 0, "photos": 0})
        print(
            f"{kid}  {flag:7}  created {entry.get('created_at')}  "
            f"visitors {rows['visitors']}  photos {rows['photos']}"
        )
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    db = open_database()
    config = get_settings()
    now = args.now or utcnow()
    try:
        if args.dry_run:
            result = expired_counts(db, settings=config, now=now)
            verb = "Would remove"
        else:
            result = purge(db, settings=config, now=now)
            verb = "Removed"
    finally:
        db.dispose()
    print(
        f"{verb}: {result.photos_deleted} ID photos (older than {config.retention_photo_days} "
        f"days), {result.visitors_erased} visitor identities (no visit for "
        f"{config.retention_guestbook_days} days), {result.ticket_notes_cleared} staff notes "
        f"on tickets (older than {config.retention_guestbook_days} days), "
        f"{result.audit_rows_deleted} audit rows."
    )
    print(
        f"{verb}: contact/form of {result.cases_cleared} cases, "
        f"{result.complaint_texts_cleared} complaint texts, "
        f"{result.step_notes_cleared} step notes and "
        f"{result.attachments_deleted} attachments (closed more than "
        f"{config.retention_case_days} days ago), recipient and bodies of "
        f"{result.mails_cleared} mails (older than {config.retention_mail_days} days)."
    )
    return 0


def cmd_report_personal_data(args: argparse.Namespace) -> int:
    settings = get_settings()
    db = open_database(settings)
    try:
        ring = (
            key_file_for(settings.resolved_key_file, create=False).ring()
            if args.identities
            else None
        )
        report = personal_data_report(db, ring=ring, identities=args.identities)
        record_report(db, identities=args.identities)
    except KeyFileError as exc:
        return fail(str(exc))
    finally:
        db.dispose()
    if args.json:
        json.dump(report, sys.stdout, default=str, indent=2, ensure_ascii=False)
        print()
        return 0
    _print_report(report)
    return 0


def _print_report(report: dict[str, Any]) -> None:
    print(f"Personal data held, as of {report['generated_at']:%Y-%m-%d %H:%M} UTC")
    for unit in report["units"]:
        c = unit["counts"]
        print(f"\nUnit {unit['unit_code']} {unit['unit_name']}")
        print(f"  visitors with identity: {c['visitors']}")
        for kind in ("name", "email", "phone", "id_number"):
            print(f"    {kind:10} {c[kind]}")
        for id_type, n in sorted(c["id_number_by_type"].items()):
            print(f"      id type {id_type:9} {n}")
        print(f"  ID photos: {c['id_photos']}")
        print(
            f"  visits linked to a visitor: {c['visits_identified']}, "
            f"anonymised: {c['visits_anonymised']}"
        )
        print(
            f"  cases with contact: {c['cases_with_contact']}, "
            f"with request form: {c['cases_with_form']}"
        )
        print(f"  complaints with text: {c['complaints_with_text']}")
        print(f"  mails with recipient or body: {c['mails_with_recipient']}")
        print(f"  attachments: {c['attachments']}")
        print(f"  case steps with notes or free text: {c['case_steps_with_notes']}")
        print(f"  oldest record: {unit['oldest_record']}, latest visit: {unit['latest_visit']}")
        for person in unit.get("identities", []):
            print(
                "  - "
                + " | ".join(
                    str(person.get(k))
                    for k in (
                        "visitor_id",
                        "name",
                        "id_type",
                        "id_number",
                        "email",
                        "phone",
                        "has_id_photo",
                        "last_visit",
                    )
                )
            )
