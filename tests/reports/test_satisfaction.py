"""IKM in the period report and the SKM PDF, from the hand-counted ratings of tests/reports/month.py.

By hand: NRR U1, U2, U4..U8 = (4+3+3+4)/4 = 3.5; U3 = (4+3+3+2)/4 = 3.0; U9 = (4+2+3+4)/4
= 3.25. IKM = 25 × (7 × 3.5 + 3.0 + 3.25) / 9 = 85.4166… → 85.42, grade B. Weakest:
U3, U9, then U1 (ties at 3.5 by code). Library: U9 = 3.0, others 3.5 → 25 × 31/9 = 86.11.
Consultation: U3 = 2.5, others 3.5 → 25 × 30.5/9 = 84.72. Served in November: 4, so the
Krejcie–Morgan minimum is 4 and it is reached.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from server.config import Settings
from tests.live import loket
from tests.reports.conftest import login
from tests.reports.month import SUPERVISOR_PASSWORD

MONTH = {"period": "month", "date": "2026-11-15", "lang": "en"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "reports"


def test_ikm_tables(client: TestClient) -> None:
    boss = login(client, "kepala", SUPERVISOR_PASSWORD)
    tables = {
        t["id"]: t
        for t in client.get("/api/v1/reports/period", params=MONTH, headers=boss).json()["tables"]
    }
    assert tables["ikm"]["rows"] == [
        ["Library", 2, 86.11, "B"],
        ["Statistical Consultation", 2, 84.72, "B"],
        ["Statistical Products Sales", 0, None, ""],
        ["Statistical Activity Recommendation", 0, None, ""],
        ["All services", 4, 85.42, "B"],
    ]
    trend = tables["ikm_trend"]
    assert [c["label"] for c in trend["columns"]] == [
        "Month",
        "Library",
        "Statistical Consultation",
        "Statistical Products Sales",
        "Statistical Activity Recommendation",
    ]
    assert trend["rows"] == [["2026-11", 86.11, 84.72, None, None]]
    r = client.get("/api/v1/reports/period.xlsx", params=MONTH, headers=boss)
    wb = load_workbook(io.BytesIO(r.content))
    rows = [list(x) for x in wb["IKM per service"].iter_rows(values_only=True)]
    assert rows[0] == ["Service", "Respondents", "IKM", "Grade"]
    assert rows[-1] == ["All services", 4, 85.42, "B"]


def pdf_text(data: bytes, path: Path) -> str:
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def test_skm_pdf_from_api_and_cli(
    client: TestClient, settings: Settings, month: dict[str, Any], tmp_path: Path
) -> None:
    staff = login(client, "petugas1", "staff-password-123")
    boss = login(client, "kepala", SUPERVISOR_PASSWORD)
    client.cookies.clear()
    params = {"period": "month", "date": "2026-11-15"}
    assert client.get("/api/v1/reports/skm.pdf", params=params).status_code == 401
    assert client.get("/api/v1/reports/skm.pdf", params=params, headers=staff).status_code == 403
    r = client.get("/api/v1/reports/skm.pdf", params=params, headers=boss)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="loket-1906-skm-2026-11.pdf"'
    text = pdf_text(r.content, tmp_path / "skm.pdf")
    assert "Periode 01-11-2026 s.d. 30-11-2026" in text
    assert "Jumlah responden: 4" in text and "(populasi): 4" in text
    assert "sampel minimum Krejcie–Morgan: 4" in text and "Sampel minimum terpenuhi" in text
    assert "IKM = 85,42 — mutu B (Baik)" in text
    results = text[text.index("3. Hasil") : text.index("4. IKM")]
    assert (
        "U3 Waktu penyelesaian 4 3,000" in results and "U9 Sarana dan prasarana 4 3,250" in results
    )
    services = text[text.index("4. IKM per layanan") : text.index("5. Unsur")]
    assert "Perpustakaan 2 86,11 B" in services and "Konsultasi Statistik 2 84,72 B" in services
    weakest = text[text.index("5. Unsur") : text.index("6. Rencana")]
    assert weakest.index("U3") < weakest.index("U9") < weakest.index("U1")
    assert "Tambah petugas pada jam sibuk" in text and "15-01-2027" in text
    assert "1. Ruang tunggu nyaman." in text and "2. Petugas ramah." in text
    assert not re.search(r"Pengunjung \d", text)  # no seeded visitor name anywhere
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "skm.pdf"),
            str(ARTIFACTS / "skm-month"),
        ],
        check=True,
    )
    env = {
        "LOKET_DATA_DIR": str(settings.data_dir),
        "LOKET_DATABASE_URL": settings.database_url,
        "LOKET_DEMO": "1",
    }
    out = tmp_path / "cli.pdf"
    result = loket(
        "report",
        "skm",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--lang",
        "en",
        "--out",
        str(out),
        env=env,
    )
    assert "4 respondents" in result.stdout
    english = pdf_text(out.read_bytes(), tmp_path / "cli-copy.pdf")
    assert "IKM = 85.42 — grade B (Good)" in english
