"""``loket rating``: run the exit rating terminal; ``loket rating-setup``: the unit's rating settings.

``rating-setup`` turns the IPAK block and the SKD-16 template on or off and
sets the office's SKD link (shown as a QR code on the terminal's thanks screen
and as a link on the web form); with no option it prints the current values.
"""

from __future__ import annotations

import argparse
from typing import Any

from server.cli.common import fail, open_database
from server.errors import LoketError

SETTING_NAMES = {"ipak": "rating_ipak", "skd16": "rating_skd16", "skd_url": "rating_skd_url"}


def add_commands(sub: Any) -> None:
    from kiosk.rating.cli import add_rating_arguments

    parser = sub.add_parser("rating", help="run the exit rating terminal (tablet)")
    add_rating_arguments(parser)
    parser.set_defaults(func=_run)

    setup = sub.add_parser("rating-setup", help="the unit's exit rating settings (IPAK, SKD)")
    setup.add_argument("--ipak", action=argparse.BooleanOptionalAction, default=None,
                       help="ask the IPAK yes/no block after the nine SKM elements")  # fmt: skip
    setup.add_argument("--skd16", action=argparse.BooleanOptionalAction, default=None,
                       help="ask the SKD-16 template (1-10) as well")  # fmt: skip
    setup.add_argument("--skd-url", dest="skd_url", help="the office's SKD link ('' to remove)")
    setup.add_argument("--unit-code", help="unit (default: the only one)")
    setup.set_defaults(func=_setup)


def _run(args: argparse.Namespace) -> int:
    from kiosk.rating.cli import build_app, settings_from_args

    build_app(settings_from_args(args)).run()
    return 0


def _setup(args: argparse.Namespace) -> int:
    from server.cli.admin import _unit_id
    from server.store import units

    changes = {
        SETTING_NAMES[name]: getattr(args, name)
        for name in SETTING_NAMES
        if getattr(args, name) is not None
    }
    url = changes.get("rating_skd_url")
    if url and not str(url).startswith(("https://", "http://")):
        return fail("--skd-url must start with https:// or http://")
    db = open_database()
    try:
        with db.write() as conn:
            unit_id = _unit_id(conn, args.unit_code)
            if changes:
                units.update_unit_settings(conn, unit_id=unit_id, changes=changes)
            current = units.unit_settings(units.get_unit(conn, unit_id=unit_id))
    except LoketError as exc:
        return fail(exc.message)
    finally:
        db.dispose()
    for name, key in SETTING_NAMES.items():
        print(f"{name}: {current[key]}")
    return 0
