"""The SKM PDF layout: pdftotext finds every section and number; pdftoppm makes a page image."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

from server.reports.skm_data import SkmElement, SkmFollowup, SkmReport, SkmService
from server.reports.skm_pdf import render

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "reports"
NAMES = [
    "Persyaratan",
    "Sistem, mekanisme, dan prosedur",
    "Waktu penyelesaian",
    "Biaya/tarif",
    "Produk spesifikasi jenis pelayanan",
    "Kompetensi pelaksana",
    "Perilaku pelaksana",
    "Penanganan pengaduan, saran dan masukan",
    "Sarana dan prasarana",
]
NRR = [3.5, 3.25, 2.75, 4.0, 3.5, 3.75, 3.75, 3.0, 2.5]


def sample() -> SkmReport:
    elements = [SkmElement(f"U{i + 1}", NAMES[i], 4, NRR[i]) for i in range(9)]
    weakest = sorted(elements, key=lambda e: e.nrr)[:3]
    return SkmReport(
        unit_name="BPS Kabupaten Belitung Timur",
        unit_code="1906",
        start=date(2026, 10, 1),
        end=date(2026, 12, 31),
        respondents=4,
        population=5,
        minimum=5,
        elements=elements,
        ikm=83.33,
        grade_letter="B",
        grade_label="Baik",
        weakest=weakest,
        services=[SkmService("Perpustakaan", 4, 83.33, "B")],
        profile={"sex": [("Perempuan", 3), ("Laki-laki", 1)]},
        followups=[
            SkmFollowup(
                "U9", "Tambah kursi ruang tunggu", "Kasubbag Umum", date(2027, 1, 31), False
            )
        ],
        suggestions=["Ruang tunggu kurang kursi.", "Petugas sangat membantu."],
    )


def pdf_text(path: Path) -> str:
    """The PDF's text with line breaks and runs of spaces folded to one space."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def test_skm_pdf_sections_and_numbers(tmp_path: Path) -> None:
    path = tmp_path / "skm.pdf"
    path.write_bytes(render(sample(), "id"))
    text = pdf_text(path)
    for heading in (
        "Laporan Survei Kepuasan Masyarakat (SKM)",
        "1. Metode",
        "2. Profil responden",
        "3. Hasil per unsur pelayanan",
        "4. IKM per layanan",
        "5. Unsur dengan nilai terendah",
        "6. Rencana tindak lanjut",
        "7. Saran dan masukan",
    ):
        assert heading in text, heading
    assert "Periode 01-10-2026 s.d. 31-12-2026" in text
    assert "Jumlah responden: 4" in text and "sampel minimum Krejcie–Morgan: 5" in text
    assert "BELUM terpenuhi" in text
    assert "IKM = 83,33 — mutu B (Baik)" in text
    # one man among the respondents is not shown as 1 (pdftotext may drop the space in "< 3")
    assert re.search(r"Laki-laki <\s?3", text) and "Laki-laki 1" not in text
    results = text[text.index("3. Hasil") : text.index("4. IKM")]
    assert "2,500" in results and "4,000" in results and "0,278" in results  # 2.5/9
    weakest = text[text.index("5. Unsur") : text.index("6. Rencana")]
    assert weakest.index("U9") < weakest.index("U3") < weakest.index("U8")
    assert "Tambah kursi ruang tunggu" in text and "31-01-2027" in text
    assert "1. Ruang tunggu kurang kursi." in text
    english = tmp_path / "skm-en.pdf"
    english.write_bytes(render(sample(), "en"))
    assert "IKM = 83.33 — grade B" in pdf_text(english)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(path), str(ARTIFACTS / "skm")],
        check=True,
    )
    assert (ARTIFACTS / "skm-1.png").stat().st_size > 10_000
