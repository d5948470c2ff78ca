"""What `loket init` learns about a new office: flags, a TOML/JSON file, or prompts.

Flags override the file; on a terminal, required details still missing are
asked for. Nothing is filled in from another office: only the demo
(``LOKET_DEMO=1`` with no office details at all) uses the example office.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from server.bootstrap import load_standard_services
from server.domain.admin import (
    REQUIRED_UNIT_FIELDS,
    UNIT_FIELDS,
    AdminRuleError,
    missing_unit_fields,
    office_config,
)
from server.errors import InvalidInput

PROMPTS = {
    "code": "BPS unit code (4 digits, e.g. 3273)",
    "name": "Office name (e.g. BPS Kota Bandung)",
    "address": "Street address",
    "phone": "Phone (optional)",
    "email": "Office e-mail",
    "whatsapp": "WhatsApp number (optional)",
    "timezone": "Time zone (WIB, WITA or WIT)",
}
FLAG_OF = {"code": "--unit-code", "name": "--unit-name"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, help="a TOML or JSON file describing the office")
    p.add_argument(
        "--demo",
        action="store_true",
        help="with no office details: the demo's example office (also LOKET_DEMO=1)",
    )
    p.add_argument("--unit-code", help="BPS code of the office, e.g. 3273")
    p.add_argument("--unit-name", help="e.g. 'BPS Kota Bandung'")
    p.add_argument("--address", help="street address printed on tickets")
    p.add_argument("--phone", help="office phone")
    p.add_argument("--email", help="office e-mail (privacy notice, complaints)")
    p.add_argument("--whatsapp", help="WhatsApp number for visitors")
    p.add_argument("--timezone", help="WIB, WITA or WIT")
    p.add_argument(
        "--complaint-channel",
        action="append",
        dest="complaint_channels",
        help="repeat for each channel (default: lapor.go.id and the office's own e-mail/WhatsApp)",
    )
    p.add_argument(
        "--service",
        action="append",
        dest="services",
        help="a standard PST service to offer (perpustakaan, konsultasi, penjualan, rekomendasi); "
        "repeat; default: all four",
    )
    p.add_argument("--counters", type=int, help="number of counters (default 2)")


def read_file(path: Path) -> dict[str, Any]:
    """The office description in ``path``; a ``[unit]`` table is flattened."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"Cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"{path} does not describe an office.")
    unit = data.pop("unit", {})
    return {**data, **(unit if isinstance(unit, dict) else {})}


def gather(args: argparse.Namespace) -> dict[str, Any]:
    """The raw description from the file and flags (flags win)."""
    raw = read_file(args.config) if args.config else {}
    flags = {
        "code": args.unit_code,
        "name": args.unit_name,
        "address": args.address,
        "phone": args.phone,
        "email": args.email,
        "whatsapp": args.whatsapp,
        "timezone": args.timezone,
        "complaint_channels": args.complaint_channels,
        "services": args.services,
        "counters": args.counters,
    }
    raw.update({k: v for k, v in flags.items() if v is not None})
    return raw


def ask_missing(raw: dict[str, Any], ask: Callable[[str], str]) -> dict[str, Any]:
    """Prompt for every unit detail not given (required ones until answered)."""
    out = dict(raw)
    for key in UNIT_FIELDS:
        if str(out.get(key) or "").strip():
            continue
        answer = ask(f"{PROMPTS[key]}: ").strip()
        while not answer and key in REQUIRED_UNIT_FIELDS:
            answer = ask(f"{PROMPTS[key]} (required): ").strip()
        out[key] = answer
    return out


def office_from(args: argparse.Namespace, *, demo: bool) -> dict[str, Any] | None:
    """The checked office description, or None for the demo's example office."""
    raw = gather(args)
    if demo and not any(str(raw.get(k) or "").strip() for k in UNIT_FIELDS):
        return None
    if missing_unit_fields(raw) and sys.stdin.isatty():
        raw = ask_missing(raw, input)
    missing = missing_unit_fields(raw)
    if missing:
        flags = ", ".join(FLAG_OF.get(k, f"--{k}") for k in missing)
        raise InvalidInput(
            f"Describe the office: give {flags} (or --config office.toml, or run on a terminal)."
        )
    try:
        return office_config(raw, standard=load_standard_services())
    except AdminRuleError as exc:
        raise InvalidInput(exc.message, code=exc.code) from exc
