"""The files under deploy/: systemd units pass `systemd-analyze verify`, keep the
promises docs/deploy.md makes (restart, journal, autoplay), and the nightly
backup rotates real SQLite copies."""

from __future__ import annotations

import configparser
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.live import loket

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
LONG_RUNNING = ("loket-server.service", "loket-server@.service", "loket-kiosk.service",
                "loket-rating.service", "loket-board.service")  # fmt: skip


def installed_copy(tmp_path: Path) -> Path:
    """The units as installed, with /opt/loket pointing at this checkout (its .venv)."""
    target = tmp_path / "units"
    target.mkdir()
    for unit in UNITS.iterdir():
        text = unit.read_text(encoding="utf-8").replace("/opt/loket", str(ROOT))
        (target / unit.name).write_text(text, encoding="utf-8")
    template = target / "loket-server@.service"
    (target / "loket-server@8001.service").write_text(template.read_text(), encoding="utf-8")
    return target


def parse(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS / name, encoding="utf-8")
    return parser


def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    target = installed_copy(tmp_path)
    names = sorted(p.name for p in target.iterdir() if p.name != "loket-server@.service")
    assert len(names) == 8
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *names],
        cwd=target, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # no unknown keys, no missing binaries


def test_verify_would_catch_a_broken_unit(tmp_path: Path) -> None:
    target = installed_copy(tmp_path)
    broken = target / "loket-kiosk.service"
    broken.write_text(broken.read_text().replace("Restart=", "Restartt="), encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", broken.name],
        cwd=target, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "Unknown key 'Restartt'" in result.stderr


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_long_running_units_restart_and_log_to_the_journal(name: str) -> None:
    service = parse(name)["Service"]
    assert service["Restart"] in ("always", "on-failure")
    assert service["StandardOutput"] == "journal" and service["StandardError"] == "journal"
    assert service["User"] == "loket"
    assert parse(name)["Install"]["WantedBy"] in ("multi-user.target", "graphical.target")


def test_sessions_board_and_backup_keep_their_promises() -> None:
    for name in ("loket-kiosk.service", "loket-rating.service", "loket-board.service"):
        service = parse(name)["Service"]
        assert service["PAMName"] == "login" and service["TTYPath"] == "/dev/tty1"
        assert service["ExecStart"].startswith("/usr/bin/xinit ")
    board = parse("loket-board.service")["Service"]["ExecStart"]
    assert "--kiosk" in board and "--autoplay-policy=no-user-gesture-required" in board
    assert "loket kiosk --fullscreen" in parse("loket-kiosk.service")["Service"]["ExecStart"]
    assert "/loket rating --fullscreen -- :0" in parse("loket-rating.service")["Service"]["ExecStart"]
    timer = parse("loket-backup.timer")["Timer"]
    assert timer["OnCalendar"] == "*-*-* 02:30:00" and timer["Persistent"] == "true"
    backup = parse("loket-backup.service")["Service"]["ExecStart"]
    assert backup.endswith("loket backup --into /var/backups/loket --keep 14")
    nginx = (ROOT / "deploy" / "nginx" / "loket.conf").read_text()
    assert "proxy_buffering off" in nginx and "ssl_certificate" in nginx
    assert "flush_interval -1" in (ROOT / "deploy" / "caddy" / "Caddyfile").read_text()


def test_nightly_backup_rotates_real_copies(tmp_path: Path) -> None:
    env = {"LOKET_DATA_DIR": str(tmp_path / "data"), "LOKET_DEMO": "1"}
    loket("init", env=env)
    folder = tmp_path / "backups"
    folder.mkdir()
    old = ["loket-20260101-023000.sqlite3", "loket-20260102-023000.sqlite3",
           "loket-20260103-023000.sqlite3"]  # fmt: skip
    for name in old:
        (folder / name).write_bytes(b"old")
    (folder / "notes.txt").write_text("not a backup")
    out = loket("backup", "--into", str(folder), "--keep", "2", env=env).stdout
    assert "Removed old backup" in out
    left = sorted(p.name for p in folder.iterdir())
    assert "notes.txt" in left and old[2] in left
    assert old[0] not in left and old[1] not in left
    new = [n for n in left if n not in (old[2], "notes.txt")]
    assert len(new) == 1
    with sqlite3.connect(folder / new[0]) as conn:
        assert conn.execute("SELECT name FROM units").fetchone() == (
            "BPS Kabupaten Belitung Timur",
        )
    both = loket("backup", str(tmp_path / "x.sqlite3"), "--into", str(folder), env=env, check=False)
    assert both.returncode == 2 and "either" in both.stderr
