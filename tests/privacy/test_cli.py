"""``loket keys``, ``backup``, ``report personal-data`` and ``purge`` as real subprocesses."""

from __future__ import annotations

import json
import stat
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from server.bootstrap import init_unit
from server.cli.common import open_database
from server.config import Settings
from server.db.privacy_schema import id_photos, visitors
from server.privacy.keys import KeyFile
from server.store import units
from tests.privacy.conftest import direct_registration, nik_for, subprocess_env
from tests.server.conftest import Unit

ROOT = Path(__file__).resolve().parents[2]
LOKET = str(ROOT / ".venv" / "bin" / "loket")
PHOTO = b"\xff\xd8\xff\xe0" + b"CLI-PHOTO-MARKER" * 8


def _loket(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([LOKET, *args], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def _start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [LOKET, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return out


def test_keys_backup_report_purge(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = subprocess_env(data)
    key_path = data / "keys.json"

    out = _loket(env, "keys", "init").stdout
    assert "Created key file" in out
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600

    db = open_database(Settings(data_dir=data, database_url=""))
    unit_id = init_unit(db, admin_password="admin-password-123").unit_id
    with db.read() as conn:
        service_ids = [s["id"] for s in units.list_services(conn, unit_id=unit_id)]
    unit = Unit(unit_id, service_ids, [], "", "")
    ring = KeyFile(key_path, create=False).ring()
    long_ago = datetime.now(UTC) - timedelta(days=800)
    direct_registration(
        db, ring, unit, serial=1, name="Rahmat Hidayat Saputra", photo=PHOTO, now=long_ago
    )
    direct_registration(db, ring, unit, serial=2, name="Dewi Lestari Wulandari", photo=PHOTO)
    secrets_ = ("Rahmat Hidayat", "Dewi Lestari", nik_for(1), nik_for(2), "pengunjung1@example.com")

    # read-only commands side by side (each start-up imports the whole server)
    backup = tmp_path / "backup.sqlite3"
    backup_proc = _start(env, "backup", str(backup))
    report_proc = _start(env, "report", "personal-data", "--identities", "--json")
    _finish(backup_proc)
    raw = backup.read_bytes()
    assert len(raw) > 10_000
    for value in secrets_:
        assert value.encode() not in raw, value
    assert b"CLI-PHOTO-MARKER" not in raw
    report = json.loads(_finish(report_proc))["units"][0]
    assert report["counts"]["visitors"] == 2 and report["counts"]["id_photos"] == 2
    assert report["counts"]["id_number_by_type"] == {"ktp": 2}
    names = {person["name"] for person in report["identities"]}
    assert names == {"Rahmat Hidayat Saputra", "Dewi Lestari Wulandari"}
    assert {p["id_number"] for p in report["identities"]} == {nik_for(1), nik_for(2)}

    rotated = _loket(env, "keys", "rotate", "--batch", "1").stdout
    assert "re-encrypted 2 visitors and 2 ID photos" in rotated
    new_ring = KeyFile(key_path, create=False).ring()
    assert new_ring.active_id != ring.active_id and ring.active_id in new_ring.retired
    with db.read() as conn:
        assert set(conn.execute(sa.select(visitors.c.key_id)).scalars()) == {new_ring.active_id}
        assert set(conn.execute(sa.select(id_photos.c.key_id)).scalars()) == {new_ring.active_id}

    purged = _loket(env, "purge").stdout
    assert "2 ID photos" not in purged and "1 visitor identities" in purged
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(visitors)).scalar_one() == 1
    db.dispose()
