"""Commands that run something: the server, the kiosk, and the all-in-one demo."""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import socket
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli import add_kiosk_arguments
from server.cli.common import fail, open_database
from server.config import Settings, get_settings

if TYPE_CHECKING:
    from server.db.database import Database

# The kiosk (Kivy), the web app and uvicorn are imported by the command that runs
# them, so `loket serve` loads no kiosk code and `loket kiosk` no server code.


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", help="run the HTTP server (API, console, board)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="init + serve + kiosk on SQLite, tickets as preview PNGs")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--data-dir", type=Path, default=Path("var/demo"))
    p.add_argument("--no-kiosk", action="store_true", help="do not open the kiosk window")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("kiosk", help="run the touchscreen kiosk (Kivy) against a Loket server")
    add_kiosk_arguments(p)
    p.set_defaults(func=cmd_kiosk)


def cmd_kiosk(args: argparse.Namespace) -> int:
    from kiosk.cli import run_kiosk, settings_from_args

    settings = settings_from_args(args)
    if not settings.device_token:
        return fail(
            "the kiosk needs a device token: `loket device add --kind kiosk`, "
            "then --token or LOKET_KIOSK_DEVICE_TOKEN."
        )
    run_kiosk(settings)
    return 0


def serve(settings: Settings, *, host: str, port: int) -> None:
    import uvicorn

    from server.api.app import create_app

    open_database(settings).dispose()  # migrate before accepting requests
    app = create_app(settings)
    # Live event streams never end by themselves: give them 2 s to close on Ctrl+C.
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=False,
        timeout_graceful_shutdown=2,
        ws="none",  # no WebSocket routes (live events are SSE): skips loading a WS library
    )


def cmd_serve(args: argparse.Namespace) -> int:
    settings = get_settings()
    serve(settings, host=args.host, port=args.port)
    return 0


def _wait_for_port(port: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


def _new_demo_password(db: Database, username: str) -> str | None:
    """A second demo run cannot show the first run's password: set and print a new one."""
    from server.store import accounts

    password = secrets.token_urlsafe(12)
    with db.write() as conn:
        user = accounts.find_user(conn, username=username)
        if user is None:
            return None
        accounts.set_password(conn, user_id=user["id"], password=password)
    return password


class _QuietKivy(logging.Filter):
    """The demo's console shows Kivy's warnings and errors only (no start-up debug flood)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.name.startswith("kivy") or record.levelno >= logging.WARNING


def _quiet_demo_logs() -> None:
    # SDL2's own clipboard always exists; Kivy otherwise probes xclip/xsel/dbus
    # providers and logs tracebacks for the ones this machine lacks.
    os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")
    for handler in logging.getLogger().handlers:
        handler.addFilter(_QuietKivy())


def cmd_demo(args: argparse.Namespace) -> int:
    _quiet_demo_logs()
    from kiosk.cli import run_kiosk
    from kiosk.settings import KioskSettings
    from server.bootstrap import init_unit
    from server.store import accounts

    data_dir: Path = args.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=data_dir, public_base_url=f"http://127.0.0.1:{args.port}")
    db = open_database(settings)
    result = init_unit(db, admin_password=os.environ.get("LOKET_ADMIN_PASSWORD"))
    admin_password = result.admin_password
    if not result.created and not os.environ.get("LOKET_ADMIN_PASSWORD"):
        admin_password = _new_demo_password(db, result.admin_username)
    token_file = data_dir / "kiosk.token"
    board_file = data_dir / "board.token"
    with db.write() as conn:
        if not token_file.exists():
            token_file.write_text(
                accounts.add_device(conn, unit_id=result.unit_id, kind="kiosk", name="Demo kiosk")[
                    1
                ]
            )
        if not board_file.exists():
            board_file.write_text(
                accounts.add_device(conn, unit_id=result.unit_id, kind="board", name="Demo board")[
                    1
                ]
            )
    db.dispose()
    base = settings.public_base_url
    print(f"Loket demo on {base}  (data in {data_dir})")
    if admin_password:
        fresh = "" if result.created else ", new for this run"
        print(
            f"  staff console: {base}/console  user {result.admin_username}, "
            f"password {admin_password} (shown once{fresh})"
        )
    else:
        print(
            f"  staff console: {base}/console  user {result.admin_username}, "
            "password from LOKET_ADMIN_PASSWORD"
        )
    print(f"  display board: {base}/board?token={board_file.read_text()}")
    print(f"  tickets are written as PNG previews to {data_dir / 'tickets'}")
    server = threading.Thread(
        target=serve, args=(settings,), kwargs={"host": "127.0.0.1", "port": args.port}, daemon=True
    )
    server.start()
    if not _wait_for_port(args.port):
        return fail(f"the server did not start on port {args.port}")
    if args.no_kiosk or not os.environ.get("DISPLAY"):
        print("Kiosk window not started (no display or --no-kiosk). Press Ctrl+C to stop.")
        while server.is_alive():
            server.join(1.0)
        return 0
    run_kiosk(
        KioskSettings(
            server_url=base,
            device_token=token_file.read_text().strip(),
            printer_url=f"preview://{(data_dir / 'tickets').resolve()}",
            data_dir=data_dir / "kiosk",
        )
    )
    return 0
