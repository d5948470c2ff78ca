"""What ``loket serve`` loads, and the CLI's command table (structure, not time).

A server's start time and memory are mostly the code it imports (see
docs/benchmarks.md, issue 16). These tests pin which libraries stay out of a
running server until a request needs them, and that the lazily registered
command groups still add exactly the commands ``server.cli.main`` expects.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from server.cli import main as cli_main
from tests.live import free_port, loket, wait_for_port

# Loaded on first use, never by starting the server or answering a health check.
LAZY_IN_SERVE = (
    "qrcode",  # the device pairing QR
    "PIL",
    "holidays",  # the working-day calendar
    "jinja2",  # HTML pages
    "cryptography",  # personal data encryption
    "escpos",  # the printer stack
    "alembic",  # migrations run by `loket migrate`/init, not checked with it
    "fpdf",  # PDF reports
    "openpyxl",  # XLSX reports
    "psycopg",  # PostgreSQL, on SQLite
    "kivy",  # the kiosk
    "websockets",  # uvicorn runs with ws="none"
    "server.cli.admin",  # other command groups
    "server.cli.reports",
    "server.cli.sla",
    "server.privacy.cli",
    "printers.cli",
    "server.bootstrap",
)

# Starts the real `loket serve` and writes its sys.modules when it exits.
SERVE_AND_DUMP = """
import atexit, json, sys
atexit.register(lambda: json.dump(sorted(sys.modules), open(sys.argv[1], "w")))
from server.cli.main import main
main(["serve", "--port", sys.argv[2]])
"""


def test_a_serving_process_has_not_loaded_the_lazy_libraries(tmp_path: Path) -> None:
    env = {**os.environ, "LOKET_DATA_DIR": str(tmp_path), "LOKET_DEMO": "1"}
    loket("init", env=env)
    port = free_port()
    out = tmp_path / "modules.json"
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE_AND_DUMP, str(out), str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process=proc)
        health = requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=10)
        assert health.status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    loaded = set(json.loads(out.read_text()))
    assert "server.api.app" in loaded and "uvicorn" in loaded  # it really served
    assert "fastapi.templating" not in loaded
    assert [m for m in LAZY_IN_SERVE if m in loaded] == []


def _top_level_commands(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    raise AssertionError("no sub-commands")


@pytest.mark.parametrize("registrar", cli_main.REGISTRARS)
def test_each_command_group_adds_the_commands_the_table_names(registrar: str) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    cli_main._registrar(registrar)(sub)
    expected = {name for name, specs in cli_main.COMMANDS.items() if registrar in specs}
    assert _top_level_commands(parser) == expected


def test_a_chosen_command_builds_only_its_groups_and_help_lists_all() -> None:
    serve = cli_main.build_parser(["serve", "--port", "9"])
    assert _top_level_commands(serve) == {"serve", "demo", "kiosk"}
    report = cli_main.build_parser(["report", "skm", "--help"])
    assert _top_level_commands(report) == {"report", "keys", "purge"}
    everything = cli_main.build_parser(["--help"])
    assert _top_level_commands(everything) == set(cli_main.COMMANDS)
    assert _top_level_commands(cli_main.build_parser(["no-such-command"])) == set(cli_main.COMMANDS)


def test_help_and_unknown_commands_still_answer() -> None:
    env: dict[str, str] = {}
    listing = loket("--help", env=env)
    for name in cli_main.COMMANDS:
        assert name in listing.stdout
    wrong = loket("serv", env=env, check=False)
    assert wrong.returncode == 2 and "invalid choice: 'serv'" in wrong.stderr
    sub_help = loket("report", "--help", env=env)
    assert "period" in sub_help.stdout and "skm" in sub_help.stdout
