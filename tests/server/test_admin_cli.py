"""`loket init` for a new office, and the user/device commands, as real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import requests

from kiosk.forms import Unit
from kiosk.journey import TicketInfo
from kiosk.printing import ticket_content
from printers import open_printer
from tests.live import free_port, loket, serve_in_subprocess, wait_for_port
from tests.printers.conftest import read_ticket

BELITUNG = ("Belitung", "1906", "Manggar", "081278563877", "07199220090", "Manggarawan")
SECRET = "a-real-office-secret-key-0123456789-abcdefgh"

OFFICE_TOML = """
services = ["konsultasi", "penjualan"]
counters = 3
complaint_channels = ["lapor.go.id", "pengaduan7371@bps.go.id", "Kotak saran lantai 1"]

[unit]
code = "7371"
name = "BPS Kota Makassar"
address = "Jl. Perintis Kemerdekaan Km. 11, Tamalanrea"
phone = "0411-583004"
email = "bps7371@bps.go.id"
whatsapp = "0811 4400 7371"
timezone = "WITA"
"""


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "LOKET_DATA_DIR": str(tmp_path / "data"),
        "LOKET_SECRET_KEY": SECRET,
        "LOKET_DEMO": "0",
        "LOKET_ADMIN_PASSWORD": "makassar-admin-pass-1",
    }


def test_a_real_office_must_describe_itself(tmp_path: Path) -> None:
    env = _env(tmp_path)
    bare = loket("init", env=env, check=False)
    assert bare.returncode == 2
    assert "--unit-code" in bare.stderr and "--address" in bare.stderr
    assert "--timezone" in bare.stderr
    half = loket(
        "init", "--unit-code", "3273", "--unit-name", "BPS Kota Bandung",
        "--address", "Jl. Sumatera 15", "--email", "bps3273@bps.go.id", "--timezone", "CET",
        env=env, check=False,
    )  # fmt: skip
    assert half.returncode == 2 and "WIB, WITA or WIT" in half.stderr
    flags = loket(
        "init", "--unit-code", "3273", "--unit-name", "BPS Kota Bandung",
        "--address", "Jl. Sumatera 15", "--email", "bps3273@bps.go.id", "--timezone", "wib",
        "--whatsapp", "0812 2222 3273", "--counters", "1", "--service", "perpustakaan",
        env=env,
    )  # fmt: skip
    assert "BPS Kota Bandung) with 1 services and 1 counters" in flags.stdout


def test_second_office_ticket_and_notice_carry_only_its_own_details(tmp_path: Path) -> None:
    env = _env(tmp_path)
    config = tmp_path / "office.toml"
    config.write_text(OFFICE_TOML, encoding="utf-8")
    out = loket("init", "--config", str(config), env=env)
    assert "BPS Kota Makassar) with 2 services and 3 counters" in out.stdout
    token = loket("device", "add", "--kind", "kiosk", "--name", "Kios", env=env).stdout.strip()

    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    auth = {"Authorization": f"Bearer {token}"}
    with serve_in_subprocess(
        {**env, "LOKET_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}, port, tmp_path / "serve.log"
    ):
        unit = requests.get(f"{base}/unit", headers=auth, timeout=10).json()
        services = requests.get(f"{base}/services", headers=auth, timeout=10).json()
        ticket = requests.post(
            f"{base}/tickets", headers=auth, json={"service_id": services[0]["id"]}, timeout=10
        ).json()
        form = requests.get(f"{base}/guestbook/form", headers=auth, timeout=10).json()
        admin = requests.post(
            f"{base}/auth/login",
            json={"username": "admin", "password": "makassar-admin-pass-1"},
            timeout=10,
        )
        assert admin.status_code == 200
    assert unit["timezone"] == "Asia/Makassar"
    assert [s["code"] for s in services] == ["konsultasi", "penjualan"]
    assert ticket["number"] == "K001"

    info = TicketInfo(
        ticket_id=ticket["id"], number=ticket["number"], service_id=ticket["service_id"],
        people_ahead=ticket["people_ahead"],
        estimated_wait_minutes=ticket["estimated_wait_minutes"],
        tracking_url=ticket["tracking_url"], priority=False, issued_at=ticket["issued_at"],
    )  # fmt: skip
    content = ticket_content(info, services[0]["name"]["id"], Unit.from_json(unit), "id")
    target = tmp_path / "lp0"
    printer = open_printer(f"file://{target}")
    printer.print_ticket(content)
    printer.close()
    printed = read_ticket(target.read_bytes()).text
    assert "BPS Kota Makassar" in printed
    assert "Tamalanrea" in printed
    assert "pengaduan7371@bps.go.id" in printed
    assert "WITA" in printed
    notice = form["notice"]["text"]
    assert "BPS Kota Makassar" in notice and "bps7371@bps.go.id" in notice
    everything = printed + notice + json.dumps(unit)
    for foreign in BELITUNG:
        assert foreign not in everything, foreign


def test_user_and_device_commands(tmp_path: Path) -> None:
    env = _env(tmp_path)
    config = tmp_path / "office.json"
    config.write_text(
        json.dumps(
            {
                "code": "9471",
                "name": "BPS Kota Jayapura",
                "address": "Jl. Beringin, Entrop",
                "email": "bps9471@bps.go.id",
                "timezone": "WIT",
            }
        ),
        encoding="utf-8",
    )
    loket("init", "--config", str(config), env=env)
    loket("user", "add", "budi", "--role", "staff", env=env, stdin="budi-password-123\n")
    listed = loket("user", "list", env=env).stdout
    assert "budi" in listed and "admin" in listed
    out = loket("user", "passwd", "budi", env=env, stdin="temporary-pass-77\n").stdout
    assert "new one must be chosen" in out
    assert "reset" in loket("user", "list", env=env).stdout.split("budi", 1)[1].splitlines()[0]
    token = loket("device", "add", "--kind", "board", "--name", "TV", env=env).stdout.strip()
    devices = loket("device", "list", env=env).stdout
    assert "board" in devices and "never" in devices and "active" in devices
    device_id = devices.splitlines()[1].split()[0]

    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    with serve_in_subprocess(env, port, tmp_path / "serve.log"):
        r = requests.post(
            f"{base}/auth/login",
            json={"username": "budi", "password": "temporary-pass-77"},
            timeout=10,
        )
        assert r.status_code == 403
        assert r.json()["error"]["code"] == "password_change_required"
        board = {"Authorization": f"Bearer {token}"}
        assert requests.get(f"{base}/queue", headers=board, timeout=10).status_code == 200
    revoked = loket("device", "revoke", device_id, env=env).stdout
    assert "no longer works" in revoked
    assert "revoked" in loket("device", "list", env=env).stdout
    disabled = loket("user", "disable", "budi", env=env).stdout
    assert "Disabled budi" in disabled
    last = loket("user", "disable", "admin", env=env, check=False)
    assert last.returncode == 2 and "last active admin" in last.stderr
    unknown = loket("device", "revoke", "999", env=env, check=False)
    assert unknown.returncode == 2 and "No device" in unknown.stderr
    with serve_in_subprocess(env, port, tmp_path / "serve2.log"):
        assert requests.get(f"{base}/queue", headers=board, timeout=10).status_code == 401
        r = requests.post(
            f"{base}/auth/login",
            json={"username": "budi", "password": "temporary-pass-77"},
            timeout=10,
        )
        assert r.status_code == 401


def _demo_run(data_dir: Path, port: int) -> tuple[str, str]:
    """Start `loket demo --no-kiosk`, sign in with the password it prints, stop it."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "LOKET_ADMIN_PASSWORD")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli.main", "demo", "--no-kiosk",
         "--data-dir", str(data_dir), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if "Press Ctrl+C" in line or "Kiosk window not started" in line:
                break
        output = "".join(lines)
        console = next(line for line in lines if "staff console" in line)
        password = console.split("password ", 1)[1].split(" ", 1)[0]
        wait_for_port(port)
        r = requests.post(
            f"http://127.0.0.1:{port}/api/v1/auth/login",
            json={"username": "admin", "password": password},
            timeout=10,
        )
        assert r.status_code == 200, (output, r.text)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return output, password


def test_demo_second_run_still_tells_the_admin_how_to_sign_in(tmp_path: Path) -> None:
    first, first_password = _demo_run(tmp_path / "demo", free_port())
    second, second_password = _demo_run(tmp_path / "demo", free_port())
    assert "(shown once)" in first
    assert "new for this run" in second and second_password != first_password
    for output in (first, second):
        assert "Traceback" not in output and "DEBUG" not in output
