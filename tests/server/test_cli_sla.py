"""``loket sla due`` as staff on the phone run it (real subprocesses)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from server.db.database import Database, create_db_engine
from server.db.migrate import upgrade
from server.store import calendar
from tests.live import loket


def test_due_dates_from_the_worked_examples(tmp_path: Path) -> None:
    env = {"LOKET_DATA_DIR": str(tmp_path), "LOKET_DEMO": "1"}
    assert loket("sla", "due", "2026-03-02", env=env).stdout.strip() == "2026-04-21"
    assert loket("sla", "due", "2025-03-20", "30", env=env).stdout.strip() == "2025-05-16"
    assert loket("sla", "due", "2026-12-23", "5", env=env).stdout.strip() == "2027-01-04"
    bad = loket("sla", "due", "2026-02-30", env=env, check=False)
    assert bad.returncode == 2 and "not a date" in bad.stderr
    negative = loket("sla", "due", "2026-03-02", "-1", env=env, check=False)
    assert negative.returncode == 2


def test_due_date_uses_the_units_calendar(tmp_path: Path) -> None:
    env = {"LOKET_DATA_DIR": str(tmp_path), "LOKET_DEMO": "1"}
    loket("init", env=env)
    db = Database(create_db_engine(f"sqlite:///{tmp_path / 'loket.sqlite3'}"))
    upgrade(db.engine)
    with db.write() as conn:
        calendar.set_day(
            conn,
            unit_id=1,
            day=date(2026, 4, 7),
            change="add",
            name="Libur kantor",
            user_id=None,
            now=datetime.now(UTC),
        )
    db.dispose()
    out = loket("sla", "due", "2026-03-02", "--unit", "1", env=env).stdout.strip()
    assert out == "2026-04-22"
