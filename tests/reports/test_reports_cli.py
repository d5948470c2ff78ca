"""``loket report period`` writes the same workbook and CSV as the API, beside ``personal-data``."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from server.config import Settings
from tests.live import loket


def _env(settings: Settings) -> dict[str, str]:
    return {
        "LOKET_DATA_DIR": str(settings.data_dir),
        "LOKET_DATABASE_URL": settings.database_url,
        "LOKET_DEMO": "1",
    }


def test_cli_period_xlsx_and_csv(settings: Settings, month: dict[str, Any], tmp_path: Path) -> None:
    env = _env(settings)
    out = tmp_path / "nov.xlsx"
    result = loket(
        "report", "period", "--date", "2026-11-15", "--lang", "en", "--out", str(out), env=env
    )
    assert "1906 2026-11 (2026-11-01 to 2026-11-30)" in result.stdout
    wb = load_workbook(out)
    rows = [list(r) for r in wb["Visitors by service"].iter_rows(values_only=True)]
    assert rows[2] == ["Statistical Consultation", 3, 2, 1, 0, 33.3, 1, 33.3]
    csv_out = tmp_path / "sex.csv"
    loket(
        "report",
        "period",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--table",
        "sex",
        "--out",
        str(csv_out),
        env=env,
    )
    parsed = list(csv.reader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
    assert parsed == [["Jenis kelamin", "Kunjungan"], ["Perempuan", "5"], ["Laki-laki", "< 3"]]
    bad = loket(
        "report",
        "period",
        "--from",
        "2026-11-30",
        "--to",
        "2026-11-01",
        "--out",
        str(tmp_path / "x.xlsx"),
        env=env,
        check=False,
    )
    assert bad.returncode == 2 and "end date is before the start date" in bad.stderr
    assert not (tmp_path / "x.xlsx").exists()
    helped = loket("report", "--help", env=env)
    assert "personal-data" in helped.stdout and "period" in helped.stdout
